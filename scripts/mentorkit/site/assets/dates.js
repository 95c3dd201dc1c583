// "Your next session" for the reader's own today (site/upcoming.py writes the cards).
// The pages hold every answer, so they stay the same from build to build; this script only
// chooses: in each [data-mk-next] group it shows the first card whose data-mk-date is today
// or later (or the "has ended" card) instead of the default one, and after the first date of
// each table or list that is today or later it writes "(next)": a word, not a colour.
// No outside requests, no storage; without scripts the default card and the lists still read well.
(function () {
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  var now = new Date();
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());  // ISO dates sort as text

  document.querySelectorAll("[data-mk-next]").forEach(function (group) {
    var chosen = null;
    var cards = group.querySelectorAll(":scope > [data-mk-date]");
    for (var i = 0; i < cards.length && !chosen; i++) {
      if (cards[i].getAttribute("data-mk-date") >= today) chosen = cards[i];
    }
    chosen = chosen || group.querySelector(":scope > [data-mk-ended]");
    if (!chosen) return;
    group.querySelectorAll(":scope > [data-mk-default]").forEach(function (el) { el.hidden = true; });
    chosen.hidden = false;
  });

  var marked = [];
  document.querySelectorAll("time.mk-date").forEach(function (time) {
    var list = time.closest("table, ul, ol");
    if (!list || marked.indexOf(list) >= 0 || time.getAttribute("datetime") < today) return;
    marked.push(list);
    var label = document.createElement("strong");
    label.className = "mk-next-label";
    label.textContent = " (next)";
    time.after(label);
  });
})();
