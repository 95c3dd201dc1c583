// Before printing, unfold every collapsed block and label every content tab,
// so the printout of a handbook holds everything the screen can show.
(function () {
  function prepare() {
    document.querySelectorAll("details").forEach(function (el) {
      if (!el.open) {
        el.setAttribute("data-print-opened", "");
        el.open = true;
      }
    });
    document.querySelectorAll(".tabbed-set").forEach(function (set) {
      var labels = set.querySelectorAll(".tabbed-labels > label");
      var blocks = set.querySelectorAll(".tabbed-content > .tabbed-block");
      blocks.forEach(function (block, i) {
        if (labels[i]) block.setAttribute("data-print-label", labels[i].textContent.trim());
      });
    });
  }
  function restore() {
    document.querySelectorAll("details[data-print-opened]").forEach(function (el) {
      el.open = false;
      el.removeAttribute("data-print-opened");
    });
  }
  window.addEventListener("beforeprint", prepare);
  window.addEventListener("afterprint", restore);
})();
