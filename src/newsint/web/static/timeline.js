/* The timeline: events from /api/events with the page's filters, one row per event type,
 * drawn as SVG. A bar spans an event's dates; a dot is one day; a hollow mark is an event
 * the article does not date, placed at the article's publication. */
(function () {
  "use strict";
  var NI = window.NI, el = NI.el, svg = NI.svg;
  var filters = NI.readJSON("filters-data") || {};
  var status = document.getElementById("status");
  var box = document.getElementById("timeline");
  var panel = document.getElementById("panel-body");
  var DAY = 86400000;
  var LEFT = 110, RIGHT = 24, TOP = 16, LANE = 18, AXIS = 34;

  function parse(day) { return day ? Date.parse(day + "T00:00:00Z") : NaN; }
  function iso(ms) { return new Date(ms).toISOString().slice(0, 10); }

  /** Tick dates between lo and hi, at the finest step that gives at most ~10 ticks. */
  function ticks(lo, hi) {
    var span = (hi - lo) / DAY;
    var steps = [[1, "day"], [7, "day"], [14, "day"], [1, "month"], [3, "month"], [6, "month"],
      [1, "year"], [2, "year"], [5, "year"], [10, "year"], [20, "year"], [50, "year"], [100, "year"]];
    var approx = {day: 1, month: 30.44, year: 365.25};
    var step = steps[steps.length - 1];
    for (var i = 0; i < steps.length; i++) {
      if (span / (steps[i][0] * approx[steps[i][1]]) <= 10) { step = steps[i]; break; }
    }
    var d = new Date(lo), out = [];
    if (step[1] === "day") d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    if (step[1] === "month") d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (d.getUTCMonth() % step[0]), 1));
    if (step[1] === "year") d = new Date(Date.UTC(d.getUTCFullYear() - (d.getUTCFullYear() % step[0]), 0, 1));
    while (d.getTime() <= hi && out.length < 200) {
      if (d.getTime() >= lo) out.push({t: d.getTime(), label: label(d, step)});
      if (step[1] === "day") d = new Date(d.getTime() + step[0] * DAY);
      else if (step[1] === "month") d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + step[0], 1));
      else d = new Date(Date.UTC(d.getUTCFullYear() + step[0], 0, 1));
    }
    return out;
  }
  function label(d, step) {
    if (step[1] === "year") return String(d.getUTCFullYear());
    if (step[1] === "month") return d.toISOString().slice(0, 7);
    return d.toISOString().slice(0, 10);
  }

  function draw(page) {
    var items = page.items.map(function (item) {
      var start = parse(item.date_start), end = parse(item.date_end);
      var undated = isNaN(start) && isNaN(end);
      if (undated) start = end = parse(item.published);
      if (isNaN(start)) start = end;
      if (isNaN(end)) end = start;
      return {item: item, start: start, end: end + DAY - 1, undated: undated};
    }).filter(function (x) { return !isNaN(x.start); });
    var skipped = page.items.length - items.length;
    status.textContent = page.count + (page.count === 1 ? " event" : " events") +
      (skipped ? " · " + skipped + " with no date and no publication date" : "") +
      (page.truncated ? " · only the first " + page.count + " are shown: narrow the filters" : "");
    if (!items.length) {
      box.replaceChildren(el("p", {class: "empty"}, "No dated events match."));
      return;
    }
    var lo = Math.min.apply(null, items.map(function (x) { return x.start; }));
    var hi = Math.max.apply(null, items.map(function (x) { return x.end; }));
    var pad = Math.max((hi - lo) * 0.04, 10 * DAY);
    lo -= pad; hi += pad;

    // Rows: event types in PLOVER order; inside a type, marks that would overlap go on
    // separate sub-rows.
    var types = [];
    items.forEach(function (x) { if (types.indexOf(x.item.type) < 0) types.push(x.item.type); });
    types.sort(function (a, b) { return NI.TYPE_ORDER.indexOf(a) - NI.TYPE_ORDER.indexOf(b); });
    var width = Math.max(box.clientWidth || 900, 480);
    var plot = width - LEFT - RIGHT;
    function x(t) { return LEFT + (t - lo) / (hi - lo) * plot; }
    var rows = [], y = TOP;
    types.forEach(function (type) {
      var subEnds = [];
      var marks = items.filter(function (m) { return m.item.type === type; })
        .sort(function (a, b) { return a.start - b.start || a.end - b.end; });
      marks.forEach(function (m) {
        var x1 = x(m.start), x2 = Math.max(x(m.end), x1);
        var sub = 0;
        while (sub < subEnds.length && subEnds[sub] > x1 - 8) sub++;
        subEnds[sub] = Math.max(x2, x1 + 10);
        m.sub = sub; m.x1 = x1; m.x2 = x2;
      });
      var lanes = Math.max(1, subEnds.length);
      rows.push({type: type, y: y, height: lanes * LANE + 10, marks: marks});
      y += lanes * LANE + 10;
    });
    var height = y + AXIS;

    var root = svg("svg", {width: width, height: height, viewBox: "0 0 " + width + " " + height, class: "timeline-svg"});
    var axis = svg("g", {class: "axis"});
    ticks(lo, hi).forEach(function (tick) {
      var tx = x(tick.t);
      axis.appendChild(svg("line", {x1: tx, x2: tx, y1: TOP - 4, y2: y, class: "gridline"}));
      axis.appendChild(svg("text", {x: tx, y: y + 18, "text-anchor": "middle", class: "tick"}, tick.label));
    });
    rows.forEach(function (r, i) {
      root.appendChild(svg("rect", {x: 0, y: r.y, width: width, height: r.height, class: i % 2 ? "lane odd" : "lane"}));
      root.appendChild(svg("text", {x: 8, y: r.y + 16, class: "lane-label"}, r.type));
    });
    root.appendChild(axis);  // over the lane backgrounds
    rows.forEach(function (r) {
      r.marks.forEach(function (m, i) {
        var cy = r.y + 9 + m.sub * LANE;
        var colour = NI.typeColour(r.type);
        var mark;
        var cls = "mark mod-" + (m.item.modality || "asserted") + (m.undated ? " undated" : "");
        if (m.x2 - m.x1 < 6) {
          mark = svg("circle", {cx: m.x1, cy: cy, r: 5.5, class: cls});
        } else {
          mark = svg("rect", {x: m.x1, y: cy - 5, width: m.x2 - m.x1, height: 10, rx: 4, class: cls});
        }
        mark.style.fill = m.undated ? "#ffffff" : colour;
        mark.style.stroke = colour;
        var g = svg("g", {class: "tl-event", "data-index": String(items.indexOf(m)), tabindex: "0", role: "button"},
          svg("title", null, [r.type, NI.dateRange(m.item.date_start, m.item.date_end) || "published " + m.item.published,
            m.item.place_name, NI.roleLine(m.item)].filter(Boolean).join(" · ")),
          mark);
        root.appendChild(g);
      });
    });
    box.replaceChildren(root);

    function show(index) {
      var m = items[index];
      Array.prototype.forEach.call(root.querySelectorAll(".tl-event.selected"), function (n) { n.classList.remove("selected"); });
      var g = root.querySelector('[data-index="' + index + '"]');
      if (g) g.classList.add("selected");
      panel.replaceChildren(NI.eventSummary(m.item));
    }
    root.addEventListener("click", function (e) {
      var g = e.target instanceof Element ? e.target.closest("[data-index]") : null;
      if (g) show(Number(g.getAttribute("data-index")));
    });
    root.addEventListener("keydown", function (e) {
      var g = e.target instanceof Element ? e.target.closest("[data-index]") : null;
      if (g && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); show(Number(g.getAttribute("data-index"))); }
    });
  }

  NI.fetchJSON("/api/events?" + NI.eventQuery(filters, {limit: 5000}))
    .then(draw)
    .catch(function (err) { status.textContent = "Could not load events: " + err.message; status.classList.add("error"); });
})();
