// Material wraps every table in a box that scrolls sideways when the table is
// wider than the page (a phone, a nine-column breakdown). A box that scrolls
// must be reachable by keyboard and have a name (WCAG 2.1.1): each wrapper
// that overflows becomes a focusable region named after the table's heading.
(function () {
  function heading(el) {
    for (var node = el; node && !node.classList.contains("md-content__inner"); node = node.parentElement) {
      for (var prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) return prev.textContent.replace(/\u00b6/g, "").trim();
      }
    }
    return "";
  }
  function mark() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("tabindex")) {
        var name = heading(wrap);
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", name ? "Table: " + name + " (scrolls sideways)" : "Table (scrolls sideways)");
      } else if (!scrolls && wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  var pending;
  function later() {
    clearTimeout(pending);
    pending = setTimeout(mark, 100);
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(mark); // Material's page-load signal, also after instant navigation
  } else {
    document.addEventListener("DOMContentLoaded", mark);
  }
  window.addEventListener("resize", later);
  document.addEventListener("toggle", later, true); // a table inside a <details> that was closed
})();
