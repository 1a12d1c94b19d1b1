/* The map of events: /api/events with the page's filters, one marker per place. */
(function () {
  "use strict";
  var NI = window.NI, el = NI.el;
  var filters = NI.readJSON("filters-data") || {};
  var status = document.getElementById("status");
  var map = NI.worldMap("map");

  function key(item) { return item.lat.toFixed(4) + "," + item.lon.toFixed(4); }

  function popupFor(group) {
    var box = el("div", {class: "popup"},
      el("h3", {class: "popup-place"}, group.name),
      el("p", {class: "popup-count"}, group.items.length === 1 ? "1 event" : group.items.length + " events"));
    group.items.forEach(function (item) { box.appendChild(NI.eventSummary(item)); });
    return box;
  }

  function dominantType(items) {
    var counts = {};
    items.forEach(function (i) { counts[i.type] = (counts[i.type] || 0) + 1; });
    return Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : 1); })[0];
  }

  function draw(page) {
    var groups = {}, order = [], unlocated = 0;
    page.items.forEach(function (item) {
      if (item.lat === null || item.lon === null || item.lat === undefined) { unlocated += 1; return; }
      var k = key(item);
      if (!groups[k]) {
        groups[k] = {name: item.place_name || "(unnamed place)", lat: item.lat, lon: item.lon, items: [], dead: 0};
        order.push(k);
      }
      groups[k].items.push(item);
      groups[k].dead += item.fatalities || 0;
    });
    var markers = [];
    var labelled = order.length <= 300;
    order.forEach(function (k) {
      var g = groups[k];
      var marker = L.circleMarker([g.lat, g.lon], {
        radius: 6 + Math.min(18, Math.sqrt(g.dead) * 2.5 + (g.items.length - 1) * 1.5),
        color: "#1b1b1b", weight: 1, fillColor: NI.typeColour(dominantType(g.items)), fillOpacity: 0.85,
        className: "event-marker"
      });
      marker.bindPopup(popupFor(g), {maxWidth: 360, maxHeight: 380, className: "event-popup"});
      marker.addTo(map);
      marker.getElement().setAttribute("data-place", g.name);
      var text = g.name + (g.items.length > 1 ? " (" + g.items.length + ")" : "");
      if (labelled) {
        NI.labelMarker(marker, text, g.items.length * 10 + g.dead);
      } else {
        marker.bindTooltip(NI.mapLabel(text), {direction: "right", offset: [8, 0], className: "place-tooltip"});
      }
      markers.push(marker);
    });
    var tidy = NI.declutter(map);
    if (markers.length) {
      map.fitBounds(L.featureGroup(markers).getBounds().pad(0.3), {maxZoom: 7, animate: false});
    }
    tidy();
    var parts = [page.count + (page.count === 1 ? " event" : " events")];
    parts.push(markers.length + (markers.length === 1 ? " place" : " places") + " on the map");
    if (unlocated) parts.push(unlocated + " without a place");
    if (page.truncated) parts.push("only the first " + page.count + " are shown: narrow the filters");
    status.textContent = parts.join(" · ");
    status.setAttribute("data-located", String(markers.length));
    drawLegend(page.items);
  }

  function drawLegend(items) {
    var types = [];
    items.forEach(function (i) { if (i.type && types.indexOf(i.type) < 0) types.push(i.type); });
    if (!types.length) return;
    types.sort(function (a, b) { return NI.TYPE_ORDER.indexOf(a) - NI.TYPE_ORDER.indexOf(b); });
    var Legend = L.Control.extend({
      onAdd: function () {
        return el("div", {class: "map-legend"}, types.map(function (t) {
          var dot = el("span", {class: "dot"});
          dot.style.backgroundColor = NI.typeColour(t);
          return el("div", {class: "legend-row"}, dot, t);
        }));
      }
    });
    new Legend({position: "bottomleft"}).addTo(map);
  }

  NI.fetchJSON("/api/events?" + NI.eventQuery(filters, {limit: 5000}))
    .then(draw)
    .catch(function (err) { status.textContent = "Could not load events: " + err.message; status.classList.add("error"); });
})();
