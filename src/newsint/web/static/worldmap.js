/* A Leaflet map with no tile server: the background is the world's country shapes, drawn
 * from the vendored world-atlas TopoJSON (Natural Earth 1:50m) with topojson-client. */
(function () {
  "use strict";
  var ATLAS = "/static/vendor/world-atlas/countries-50m.json";
  var atlas = null;  // one download per page, shared by every map on it

  function countries() {
    if (!atlas) {
      atlas = window.NI.fetchJSON(ATLAS).then(function (topology) {
        var shapes = topojson.feature(topology, topology.objects.countries);
        shapes.features.forEach(function (f) { if (f.geometry) unwrap(f.geometry); });
        return shapes;
      });
    }
    return atlas;
  }

  /** Rings that cross the antimeridian (Chukotka, Fiji) have points at both +180 and
   * -180; drawn as they are, their edges run across the whole map. Moving their western
   * points one turn east keeps each ring in one piece. */
  function unwrap(geometry) {
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates]
      : geometry.type === "MultiPolygon" ? geometry.coordinates : [];
    polygons.forEach(function (polygon) {
      polygon.forEach(function (ring) {
        // Only rings whose western points all lie near the antimeridian: Antarctica goes
        // round the whole globe and is left as it is.
        var east = ring.some(function (p) { return p[0] > 170; });
        var west = ring.some(function (p) { return p[0] < -170; });
        var nearSeam = ring.every(function (p) { return p[0] >= 0 || p[0] < -160; });
        if (east && west && nearSeam) ring.forEach(function (p) { if (p[0] < 0) p[0] += 360; });
      });
    });
  }

  /** A map in the element with this id, its countries drawing in the background;
   * resolves to the map once the countries are drawn. */
  function worldMap(id, options) {
    var map = L.map(id, Object.assign({
      worldCopyJump: true, minZoom: 1, maxZoom: 12, zoomSnap: 0.5,
      center: [20, 10], zoom: 2, preferCanvas: false
    }, options || {}));
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Natural Earth");
    // Countries sit in their own pane under the markers, whenever they finish loading.
    map.createPane("countries");
    map.getPane("countries").style.zIndex = 250;
    var ready = countries().then(function (shapes) {
      L.geoJSON(shapes, {
        pane: "countries", interactive: false,
        style: function () {
          return {color: "#8a9bab", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1};
        }
      }).addTo(map);
      return map;
    }).catch(function () { return map; });
    map.whenCountriesReady = ready;
    return map;
  }

  /** A Leaflet tooltip or popup content: always a DOM node, because Leaflet puts strings
   * in with innerHTML. */
  function label(text, className) {
    return window.NI.el("span", {class: className || "map-label"}, text);
  }

  /** Keep permanent place labels from covering each other: a label that would overlap a
   * label of more weight (its `data-weight`) is hidden until zooming makes room. */
  function declutter(map) {
    function run() {
      var labels = Array.prototype.slice.call(
        map.getContainer().querySelectorAll(".leaflet-tooltip.place-tooltip"));
      labels.sort(function (a, b) {
        return (Number(b.getAttribute("data-weight")) || 0) - (Number(a.getAttribute("data-weight")) || 0);
      });
      var kept = [];
      labels.forEach(function (label) {
        label.classList.remove("label-hidden");
        var r = label.getBoundingClientRect();
        var clash = kept.some(function (k) {
          return r.left < k.right && r.right > k.left && r.top < k.bottom && r.bottom > k.top;
        });
        if (clash) label.classList.add("label-hidden"); else kept.push(r);
      });
    }
    map.on("zoomend moveend", run);
    return run;
  }

  /** A permanent label for a marker, with the weight declutter() ranks it by. */
  function labelMarker(marker, text, weight) {
    marker.bindTooltip(label(text), {permanent: true, direction: "right", offset: [8, 0],
      className: "place-tooltip"});
    var tooltip = marker.getTooltip();
    if (tooltip && tooltip.getElement()) tooltip.getElement().setAttribute("data-weight", String(weight));
  }

  window.NI.worldMap = worldMap;
  window.NI.declutter = declutter;
  window.NI.labelMarker = labelMarker;
  window.NI.mapLabel = label;
})();
