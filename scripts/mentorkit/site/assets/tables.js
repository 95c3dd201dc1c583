// Material wraps every table in a box that scrolls sideways when the table is
// wider than the page (a phone, a nine-column breakdown). A box that scrolls
// must be reachable by keyboard and have a name (WCAG 2.1.1): each wrapper
// that overflows becomes a focusable region named after the table's heading.
// The same holds for code blocks and the label strip of content tabs, which
// scroll sideways on a phone. Material also gives each code block a <nav> of
// buttons without a name, so a page with two code blocks repeats an unnamed
// landmark: each gets its own name ("Code block 2 buttons").
(function () {
  function heading(el) {
    for (var node = el; node && !node.classList.contains("md-content__inner"); node = node.parentElement) {
      for (var prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) return prev.textContent.replace(/\u00b6/g, "").trim();
      }
    }
    return "";
  }
  var KINDS = [[".md-typeset__scrollwrap", "Table"], [".md-typeset pre > code", "Code"],
               [".md-typeset .tabbed-labels", "Tabs"]];
  // On a phone, a table wider than the page gets a layout that fits:
  // - a table of figures (every cell after the first is short) keeps its grid, its first column pinned while the
  //   rest scrolls, under a line that says it scrolls ("pin");
  // - any other table is shown as stacked rows, each cell on its own line after its column's name (extra.css
  //   draws data-label), so no text is off-screen ("stack").
  var PHONE = window.matchMedia("(max-width: 44.9375em)");
  var CUE = "mk-scroll-cue";
  function figures(table) {
    return Array.prototype.every.call(table.querySelectorAll("tbody td:not(:first-child)"), function (td) {
      return td.textContent.trim().length <= 12;
    });
  }
  function lay(table) {
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (td, i) {
        if (headers[i] && !td.hasAttribute("data-label")) td.setAttribute("data-label", headers[i]);
      });
    });
    var wrap = table.closest(".md-typeset__scrollwrap");
    table.removeAttribute("data-mk-stack");
    table.removeAttribute("data-mk-pin");
    var mode = "";
    if (PHONE.matches && wrap.scrollWidth > wrap.clientWidth + 1) mode = figures(table) ? "pin" : "stack";
    if (mode) table.setAttribute("data-mk-" + mode, "");
    var cue = wrap.previousElementSibling;
    var hasCue = cue && cue.classList.contains(CUE);
    if (mode === "pin" && !hasCue) {  // only when it changes: the page's observer would see every insertion
      cue = document.createElement("p");
      cue.className = CUE;
      cue.setAttribute("aria-hidden", "true");  // the table's region already says that it scrolls
      cue.textContent = "Swipe sideways for more columns →";
      wrap.parentNode.insertBefore(cue, wrap);
    } else if (mode !== "pin" && hasCue) {
      cue.remove();
    }
  }
  function stack() {
    document.querySelectorAll(".md-typeset__scrollwrap table").forEach(lay);
  }
  function mark() {
    stack();
    KINDS.forEach(function (kind) {
      document.querySelectorAll(kind[0]).forEach(function (wrap, n) {
        var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
        if (scrolls && wrap.getAttribute("data-mk-scroll") === null) {
          var name = heading(wrap);
          wrap.setAttribute("data-mk-scroll", wrap.getAttribute("tabindex") || "");
          wrap.setAttribute("tabindex", "0");
          wrap.setAttribute("role", "region");
          // numbered: two code blocks under one heading are two regions, each with its own name
          wrap.setAttribute("aria-label", kind[1] + " " + (n + 1) + (name ? ": " + name : "") + " (scrolls sideways)");
        } else if (!scrolls && wrap.getAttribute("data-mk-scroll") !== null) {
          var before = wrap.getAttribute("data-mk-scroll");
          if (before) wrap.setAttribute("tabindex", before); else wrap.removeAttribute("tabindex");
          wrap.removeAttribute("data-mk-scroll");
          wrap.removeAttribute("role");
          wrap.removeAttribute("aria-label");
        }
      });
    });
    document.querySelectorAll("nav.md-code__nav:not([aria-label])").forEach(function (nav, i) {
      nav.setAttribute("aria-label", "Code block " + (i + 1) + " buttons");
    });
  }
  // Material adds the code blocks' buttons after the page loads: name them as they appear.
  new MutationObserver(later).observe(document.body, {childList: true, subtree: true});
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
