/* A Leaflet map with no tile server: the background is the world's country shapes, drawn
 * from the vendored world-atlas TopoJSON (Natural Earth 1:50m) with topojson-client. */
(function () {
  "use strict";
  var ATLAS = "/static/vendor/world-atlas/countries-50m.json";
  var atlas = null;  // one download per page, shared by every map on it

  function countries() {
    if (!atlas) {
      atlas = window.NI.fetchJSON(ATLAS).then(function (topology) {
        return topojson.feature(topology, topology.objects.countries);
      });
    }
    return atlas;
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

  window.NI.worldMap = worldMap;
  window.NI.mapLabel = label;
})();
