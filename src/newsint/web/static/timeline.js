/* The timeline: events from /api/events with the page's filters, one row per event type,
 * drawn as SVG. A bar spans an event's dates; a dot is one day; a hollow mark is an event
 * the article does not date, placed at the article's publication.
 *
 * The view opens on the dates where most events lie; events outside it (the 2001 invasion
 * in a report about 2021) sit as arrows at the edges. Drag across the axis to zoom in;
 * double-click to see every date. */
(function () {
  "use strict";
  var NI = window.NI, el = NI.el, svg = NI.svg;
  var filters = NI.readJSON("filters-data") || {};
  var status = document.getElementById("status");
  var box = document.getElementById("timeline");
  var panel = document.getElementById("panel-body");
  var DAY = 86400000;
  var LEFT = 110, RIGHT = 24, AXIS = 30, LANE = 15, MAX_SUBLANES = 8;

  function parse(day) { return day ? Date.parse(day + "T00:00:00Z") : NaN; }

  /** Tick dates between lo and hi, at the finest step that gives at most ~10 ticks. */
  function ticks(lo, hi, width) {
    var span = (hi - lo) / DAY;
    var most = Math.max(3, Math.floor(width / 90));
    var steps = [[1, "day"], [2, "day"], [7, "day"], [14, "day"], [1, "month"], [3, "month"], [6, "month"],
      [1, "year"], [2, "year"], [5, "year"], [10, "year"], [20, "year"], [50, "year"], [100, "year"]];
    var approx = {day: 1, month: 30.44, year: 365.25};
    var step = steps[steps.length - 1];
    for (var i = 0; i < steps.length; i++) {
      if (span / (steps[i][0] * approx[steps[i][1]]) <= most) { step = steps[i]; break; }
    }
    var d = new Date(lo), out = [];
    if (step[1] === "day") d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    if (step[1] === "month") d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (d.getUTCMonth() % step[0]), 1));
    if (step[1] === "year") d = new Date(Date.UTC(d.getUTCFullYear() - (d.getUTCFullYear() % step[0]), 0, 1));
    while (d.getTime() <= hi && out.length < 200) {
      if (d.getTime() >= lo) out.push({t: d.getTime(), label: step[1] === "year" ? String(d.getUTCFullYear())
        : step[1] === "month" ? d.toISOString().slice(0, 7) : d.toISOString().slice(0, 10)});
      if (step[1] === "day") d = new Date(d.getTime() + step[0] * DAY);
      else if (step[1] === "month") d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + step[0], 1));
      else d = new Date(Date.UTC(d.getUTCFullYear() + step[0], 0, 1));
    }
    return out;
  }

  function quantile(sorted, q) {
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))];
  }

  function pad(lo, hi) {
    var margin = Math.max((hi - lo) * 0.04, 5 * DAY);
    return [lo - margin, hi + margin];
  }

  function start(page) {
    var items = page.items.map(function (item) {
      var s = parse(item.date_start), e = parse(item.date_end);
      var undated = isNaN(s) && isNaN(e);
      if (undated) s = e = parse(item.published);
      if (isNaN(s)) s = e;
      if (isNaN(e)) e = s;
      return {item: item, start: s, end: e + DAY - 1, undated: undated};
    }).filter(function (x) { return !isNaN(x.start); });
    var skipped = page.items.length - items.length;
    var summary = page.count + (page.count === 1 ? " event" : " events") +
      (skipped ? " · " + skipped + " with no date and no publication date" : "") +
      (page.truncated ? " · only the first " + page.count + " are shown: narrow the filters" : "");
    if (!items.length) {
      status.textContent = summary;
      box.replaceChildren(el("p", {class: "empty"}, "No dated events match."));
      return;
    }
    var starts = items.map(function (x) { return x.start; }).sort(function (a, b) { return a - b; });
    var full = pad(starts[0], Math.max.apply(null, items.map(function (x) { return x.end; })));
    // Open on where most events are when a few outliers would squeeze them together.
    var core = pad(quantile(starts, 0.05), quantile(starts, 0.95));
    var domain = (core[1] - core[0]) < (full[1] - full[0]) / 4 ? core : full;
    var selected = null;

    function draw() {
      var lo = domain[0], hi = domain[1];
      var width = Math.max(box.clientWidth || 900, 480);
      var plot = width - LEFT - RIGHT;
      function x(t) { return LEFT + (Math.min(Math.max(t, lo), hi) - lo) / (hi - lo) * plot; }
      var outside = 0;

      var types = [];
      items.forEach(function (m) { if (types.indexOf(m.item.type) < 0) types.push(m.item.type); });
      types.sort(function (a, b) { return NI.TYPE_ORDER.indexOf(a) - NI.TYPE_ORDER.indexOf(b); });
      var rows = [], y = AXIS;
      types.forEach(function (type) {
        var subEnds = [];
        var marks = items.filter(function (m) { return m.item.type === type; })
          .sort(function (a, b) { return a.start - b.start || a.end - b.end; });
        marks.forEach(function (m) {
          m.before = m.end < lo; m.after = m.start > hi;
          if (m.before || m.after) outside += 1;
          m.x1 = x(m.start); m.x2 = Math.max(x(m.end), m.x1);
          var sub = 0;
          while (sub < subEnds.length && subEnds[sub] > m.x1 - 6 && sub < MAX_SUBLANES - 1) sub++;
          subEnds[sub] = Math.max(m.x2, m.x1 + 10);
          m.sub = sub;
        });
        var lanes = Math.max(1, subEnds.length);
        rows.push({type: type, y: y, height: lanes * LANE + 8, marks: marks});
        y += lanes * LANE + 8;
      });
      var height = y + 8;

      var root = svg("svg", {width: width, height: height, viewBox: "0 0 " + width + " " + height, class: "timeline-svg"});
      rows.forEach(function (r, i) {
        root.appendChild(svg("rect", {x: 0, y: r.y, width: width, height: r.height, class: i % 2 ? "lane odd" : "lane"}));
        root.appendChild(svg("text", {x: 8, y: r.y + 14, class: "lane-label"}, r.type));
      });
      var axis = svg("g", {class: "axis"});
      axis.appendChild(svg("rect", {x: LEFT, y: 0, width: plot, height: AXIS - 4, class: "axis-band"},
        svg("title", null, "Drag across the dates to zoom in; double-click to see every date")));
      ticks(lo, hi, plot).forEach(function (tick) {
        var tx = x(tick.t);
        axis.appendChild(svg("line", {x1: tx, x2: tx, y1: AXIS - 6, y2: y, class: "gridline"}));
        axis.appendChild(svg("text", {x: tx, y: AXIS - 11, "text-anchor": "middle", class: "tick"}, tick.label));
      });
      root.appendChild(axis);

      rows.forEach(function (r) {
        r.marks.forEach(function (m) {
          var cy = r.y + 8 + m.sub * LANE;
          var colour = NI.typeColour(r.type);
          var cls = "mark mod-" + (m.item.modality || "asserted") + (m.undated ? " undated" : "");
          var mark;
          if (m.before || m.after) {
            // Outside the view: an arrow at the edge, pointing to where the event lies.
            var tip = m.before ? LEFT - 2 : LEFT + plot + 2, dir = m.before ? 1 : -1;
            mark = svg("path", {d: "M" + tip + "," + cy + " l" + (7 * dir) + ",-5 v10 z", class: cls + " outside"});
          } else if (m.x2 - m.x1 < 6) {
            mark = svg("circle", {cx: m.x1, cy: cy, r: 5, class: cls});
          } else {
            mark = svg("rect", {x: m.x1, y: cy - 5, width: m.x2 - m.x1, height: 10, rx: 4, class: cls});
          }
          mark.style.fill = m.undated ? "#ffffff" : colour;
          mark.style.stroke = colour;
          var index = items.indexOf(m);
          var g = svg("g", {class: "tl-event" + (index === selected ? " selected" : ""), "data-index": String(index), tabindex: "0", role: "button"},
            svg("title", null, [r.type, NI.dateRange(m.item.date_start, m.item.date_end) || "published " + m.item.published,
              m.item.place_name, NI.roleLine(m.item)].filter(Boolean).join(" · ")),
            mark);
          root.appendChild(g);
        });
      });
      var brush = svg("rect", {x: 0, y: 0, width: 0, height: height, class: "brush"});
      brush.style.display = "none";
      root.appendChild(brush);
      box.replaceChildren(root);

      var zoomed = domain[0] > full[0] || domain[1] < full[1];
      status.textContent = summary + (outside ? " · " + outside + " outside the dates shown (arrows at the edges)" : "") +
        (zoomed ? " · double-click the timeline to see every date" : " · drag across the dates to zoom in");

      root.addEventListener("click", function (e) {
        var g = e.target instanceof Element ? e.target.closest("[data-index]") : null;
        if (g) show(Number(g.getAttribute("data-index")));
      });
      root.addEventListener("keydown", function (e) {
        var g = e.target instanceof Element ? e.target.closest("[data-index]") : null;
        if (g && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); show(Number(g.getAttribute("data-index"))); }
      });
      root.addEventListener("dblclick", function () { domain = full; draw(); });

      // Drag on the axis band to choose the dates to show.
      var from = null;
      function localX(e) { return e.clientX - root.getBoundingClientRect().left; }
      root.addEventListener("mousedown", function (e) {
        if (!(e.target instanceof Element) || !e.target.matches(".axis-band, .gridline, .tick, .lane, .lane-label")) return;
        from = Math.max(LEFT, Math.min(LEFT + plot, localX(e)));
        e.preventDefault();
      });
      root.addEventListener("mousemove", function (e) {
        if (from === null) return;
        var to = Math.max(LEFT, Math.min(LEFT + plot, localX(e)));
        brush.style.display = "";
        brush.setAttribute("x", String(Math.min(from, to)));
        brush.setAttribute("width", String(Math.abs(to - from)));
      });
      root.addEventListener("mouseup", function (e) {
        if (from === null) return;
        var to = Math.max(LEFT, Math.min(LEFT + plot, localX(e)));
        var a = Math.min(from, to), b = Math.max(from, to);
        from = null;
        if (b - a < 8) { brush.style.display = "none"; return; }
        function t(px) { return lo + (px - LEFT) / plot * (hi - lo); }
        domain = [t(a), Math.max(t(b), t(a) + DAY)];
        draw();
      });
    }

    function show(index) {
      selected = index;
      Array.prototype.forEach.call(box.querySelectorAll(".tl-event.selected"), function (n) { n.classList.remove("selected"); });
      var g = box.querySelector('[data-index="' + index + '"]');
      if (g) g.classList.add("selected");
      panel.replaceChildren(NI.eventSummary(items[index].item));
    }

    draw();
  }

  NI.fetchJSON("/api/events?" + NI.eventQuery(filters, {limit: 5000}))
    .then(start)
    .catch(function (err) { status.textContent = "Could not load events: " + err.message; status.classList.add("error"); });
})();
