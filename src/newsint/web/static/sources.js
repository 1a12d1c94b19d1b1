/* The sourcing graph of one article, drawn as SVG from the record's `sources`: the article
 * (or its outlet) on the left, then the outlets and reports it relies on, then the people
 * and groups they quote. An arrow reads "reports / cites / quotes". */
(function () {
  "use strict";
  var NI = window.NI, el = NI.el, svg = NI.svg;
  var record = NI.readJSON("record-data");
  var graphBox = document.getElementById("graph");
  var panel = document.getElementById("panel-body");
  var text = record.article.text;
  var nodes = (record.sources && record.sources.nodes) || [];
  var edges = ((record.sources && record.sources.edges) || []).filter(function (e) {
    return e.source !== e.target;
  });
  var statements = {};
  (record.statements || []).forEach(function (s) { statements[s.id] = s; });
  var actors = {};
  (record.actors || []).forEach(function (a) { actors[a.id] = a; });

  var BOX_W = 230, BOX_H = 46, GAP_X = 110, GAP_Y = 22, PAD = 24, LABEL_CHARS = 28;

  if (!nodes.length) {
    graphBox.appendChild(el("p", {class: "empty"}, (record.statements || []).length
      ? "This record's statements name no sources beyond the article itself."
      : "This record has no statements, so there is no sourcing to draw."));
    return;
  }

  var index = {};
  nodes.forEach(function (n, i) { index[n.id] = i; });
  edges = edges.filter(function (e) { return e.source in index && e.target in index; });
  var incoming = {}, outgoing = {};
  nodes.forEach(function (n) { incoming[n.id] = []; outgoing[n.id] = []; });
  edges.forEach(function (e) { outgoing[e.source].push(e); incoming[e.target].push(e); });

  // Depth: hops from a node nobody cites (the article or its outlet).
  var depth = {}, queue = [];
  nodes.forEach(function (n) { if (!incoming[n.id].length) { depth[n.id] = 0; queue.push(n.id); } });
  if (!queue.length) { depth[nodes[0].id] = 0; queue.push(nodes[0].id); }
  while (queue.length) {
    var id = queue.shift();
    outgoing[id].forEach(function (e) {
      if (!(e.target in depth)) { depth[e.target] = depth[id] + 1; queue.push(e.target); }
    });
  }
  nodes.forEach(function (n) { if (!(n.id in depth)) depth[n.id] = 0; });

  // Columns, each ordered by where its nodes' citers sit (fewer crossing edges).
  var columns = [];
  nodes.forEach(function (n) { (columns[depth[n.id]] = columns[depth[n.id]] || []).push(n); });
  var row = {};
  columns.forEach(function (column, c) {
    if (c > 0) {
      column.sort(function (a, b) {
        return centre(a) - centre(b) || index[a.id] - index[b.id];
      });
    }
    column.forEach(function (n, i) { row[n.id] = i; });
  });
  function centre(n) {
    var parents = incoming[n.id].filter(function (e) { return e.source in row; });
    if (!parents.length) return 1e6 + index[n.id];
    return parents.reduce(function (sum, e) { return sum + row[e.source]; }, 0) / parents.length;
  }

  var tallest = Math.max.apply(null, columns.map(function (c) { return c ? c.length : 0; }));
  var width = PAD * 2 + columns.length * BOX_W + (columns.length - 1) * GAP_X;
  var height = PAD * 2 + tallest * BOX_H + (tallest - 1) * GAP_Y + 30;
  var pos = {};
  columns.forEach(function (column, c) {
    var offset = (tallest - column.length) * (BOX_H + GAP_Y) / 2;
    column.forEach(function (n, i) {
      pos[n.id] = {x: PAD + c * (BOX_W + GAP_X), y: PAD + offset + i * (BOX_H + GAP_Y)};
    });
  });

  var root = svg("svg", {width: width, height: height, viewBox: "0 0 " + width + " " + height,
    class: "sources-graph", role: "group"});
  root.appendChild(svg("defs", null,
    svg("marker", {id: "arrow", viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: "8",
      markerHeight: "8", orient: "auto-start-reverse"}, svg("path", {d: "M 0 0 L 10 5 L 0 10 z", class: "arrowhead"}))));

  // Edges under the boxes.
  var edgeLayer = svg("g", {class: "edges"});
  edges.forEach(function (e) {
    var a = pos[e.source], b = pos[e.target];
    var x1 = a.x + BOX_W, y1 = a.y + BOX_H / 2, x2 = b.x, y2 = b.y + BOX_H / 2, d, lx, ly;
    if (b.x > a.x) {
      var mid = (x1 + x2) / 2;
      d = "M" + x1 + "," + y1 + " C" + mid + "," + y1 + " " + mid + "," + y2 + " " + x2 + "," + y2;
      lx = mid; ly = (y1 + y2) / 2 - 6;
    } else {
      // A citation back to an earlier column: loop under the boxes.
      var low = Math.max(a.y, b.y) + BOX_H + 18;
      x1 = a.x + BOX_W / 2; y1 = a.y + BOX_H; x2 = b.x + BOX_W / 2; y2 = b.y + BOX_H;
      d = "M" + x1 + "," + y1 + " C" + x1 + "," + low + " " + x2 + "," + low + " " + x2 + "," + y2;
      lx = (x1 + x2) / 2; ly = low - 4;
    }
    var count = (e.statements || []).length;
    var g = svg("g", {class: "edge rel-" + e.relation, "data-source": e.source, "data-target": e.target},
      svg("path", {d: d, "marker-end": "url(#arrow)"}),
      svg("text", {x: lx, y: ly, "text-anchor": "middle", class: "edge-label"},
        e.relation + (count > 1 ? " ×" + count : "")));
    edgeLayer.appendChild(g);
  });
  root.appendChild(edgeLayer);

  var nodeLayer = svg("g", {class: "nodes"});
  nodes.forEach(function (n) {
    var p = pos[n.id];
    var name = n.name.length > LABEL_CHARS ? n.name.slice(0, LABEL_CHARS - 1) + "…" : n.name;
    var actor = actors[n.actor];
    var sub = n.kind + (actor && actor.type && actor.type !== n.kind ? " · " + actor.type.replace(/_/g, " ") : "");
    var g = svg("g", {class: "node kind-" + n.kind, "data-node": n.id, tabindex: "0", role: "button",
      transform: "translate(" + p.x + "," + p.y + ")"},
      svg("title", null, n.name + " (" + n.kind + ")"),
      svg("rect", {width: BOX_W, height: BOX_H, rx: "7", ry: "7"}),
      svg("text", {x: 12, y: 20, class: "node-name"}, name),
      svg("text", {x: 12, y: 36, class: "node-kind"}, sub));
    nodeLayer.appendChild(g);
  });
  root.appendChild(nodeLayer);
  graphBox.appendChild(root);

  // -- details of a source
  function statementBlock(id) {
    var s = statements[id];
    if (!s) return null;
    var who = s.speaker ? s.speaker.text : "(unattributed)";
    return el("div", {class: "said-block"},
      el("blockquote", {class: "said"}, NI.clip(text.slice(s.content[0], s.content[1]), 400)),
      el("div", {class: "said-by"}, "— " + who + " (" + s.kind + ") ",
        el("a", {href: NI.articleHref(record.article.id, s.id)}, "in the text")));
  }

  function names(list, key) {
    return list.map(function (e) {
      var other = nodes[index[e[key]]];
      return other.name + " (" + e.relation + ")";
    }).join("; ");
  }

  function show(id) {
    var n = nodes[index[id]];
    var actor = actors[n.actor];
    Array.prototype.forEach.call(root.querySelectorAll(".node.selected"), function (x) { x.classList.remove("selected"); });
    var g = root.querySelector('[data-node="' + CSS.escape(id) + '"]');
    if (g) g.classList.add("selected");
    var said = [];
    incoming[id].forEach(function (e) {
      (e.statements || []).forEach(function (s) { if (said.indexOf(s) < 0) said.push(s); });
    });
    panel.replaceChildren(
      el("section", {class: "card card-source"},
        el("h3", null, el("span", {class: "card-title"}, n.name), " ", el("span", {class: "card-sub"}, n.kind)),
        NI.fields([
          ["Actor", actor ? actor.name + " · " + actor.type + (actor.country ? " · " + actor.country : "") : null],
          ["Relies on", names(outgoing[id], "target")],
          ["Relayed by", names(incoming[id], "source")]
        ]),
        said.length ? el("h4", null, "What it says here") : null,
        said.map(statementBlock)));
  }

  root.addEventListener("click", function (e) {
    var g = e.target instanceof Element ? e.target.closest("[data-node]") : null;
    if (g) show(g.getAttribute("data-node"));
  });
  root.addEventListener("keydown", function (e) {
    var g = e.target instanceof Element ? e.target.closest("[data-node]") : null;
    if (g && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); show(g.getAttribute("data-node")); }
  });
})();
