/* The article view: click a marked span to see its record; layer toggles; the map of the
 * article's places and events. The record comes from the page's JSON data block. */
(function () {
  "use strict";
  var NI = window.NI, el = NI.el, fields = NI.fields;
  var record = NI.readJSON("record-data");
  var clusters = NI.readJSON("clusters-data") || {};
  var textBox = document.getElementById("article-text");
  var panel = document.getElementById("panel-body");
  var hint = document.getElementById("panel-hint");
  var text = record.article.text;

  // -- the record's items by id
  function byId(list) {
    var out = {};
    (list || []).forEach(function (item) { out[item.id] = item; });
    return out;
  }
  var entities = byId(record.entities), actors = byId(record.actors), places = byId(record.places),
    times = byId(record.times), statements = byId(record.statements), events = byId(record.events),
    framing = byId(record.framing);

  // Annotation kinds in the text, and the record family each belongs to.
  var FAMILY = {actor: "entity", entity: "entity", place: "place", time: "time",
    statement: "statement", speaker: "statement", cue: "statement",
    evidence: "event", trigger: "event", framing: "framing"};
  var FAMILY_KINDS = {entity: ["actor", "entity"], place: ["place"], time: ["time"],
    statement: ["statement", "speaker", "cue"], event: ["evidence", "trigger"], framing: ["framing"]};

  function spanText(span) {
    return span && span.length === 2 ? text.slice(span[0], span[1]) : "";
  }

  function familyOf(id) {
    if (events[id]) return "event";
    if (statements[id]) return "statement";
    if (places[id]) return "place";
    if (times[id]) return "time";
    if (entities[id]) return "entity";
    if (framing[id]) return "framing";
    return null;
  }

  // -- selection

  function marksOf(family, id) {
    var kinds = FAMILY_KINDS[family] || [];
    return Array.prototype.filter.call(textBox.querySelectorAll("mark.ann"), function (m) {
      return m.getAttribute("data-ref") === id && kinds.indexOf(m.getAttribute("data-kind")) >= 0;
    });
  }

  function clearSelection() {
    Array.prototype.forEach.call(textBox.querySelectorAll("mark.selected"), function (m) {
      m.classList.remove("selected");
    });
  }

  function highlight(family, id, scroll) {
    clearSelection();
    var marks = marksOf(family, id);
    marks.forEach(function (m) { m.classList.add("selected"); });
    if (scroll && marks.length) marks[0].scrollIntoView({block: "center", behavior: "auto"});
  }

  /** Select one item: highlight its spans and show its record in the panel. */
  function select(family, id, scroll) {
    if (!family) return;
    highlight(family, id, scroll);
    show([{family: family, id: id}]);
  }

  function ref(family, id, label) {
    // A button that selects another item of the record.
    var button = el("button", {type: "button", class: "linklike ref", "data-family": family, "data-ref": id}, label);
    return button;
  }

  // -- cards

  function actorName(id) { return actors[id] ? actors[id].name : null; }

  function entityCard(entity) {
    var actor = actors[entity.actor];
    var others = actor ? (actor.mentions || []).filter(function (m) { return m !== entity.id && entities[m]; }) : [];
    return card(actor ? actor.name : entity.text, actor ? actor.type : entity.type, "entity", [
      ["Mention", "“" + entity.text + "” (" + entity.type + ")"],
      ["Actor type", actor && actor.type],
      ["Country", actor && actor.country],
      ["Knowledge base", actor && actor.kb],
      ["Wikidata", actor && actor.wikidata],
      ["Part of", actor && actor.parent],
      ["Also called", actor && (actor.aliases || []).slice(0, 12).join(", ")],
      ["Other mentions", others.length ? others.map(function (m) {
        return ref("entity", m, "“" + entities[m].text + "”");
      }) : null]
    ]);
  }

  var FEATURES = {PCLI: "country", PCLD: "dependent territory", PCLS: "semi-independent state",
    ADM1: "first-order division (province, state)", ADM2: "second-order division (district)",
    ADM3: "third-order division", PPLC: "capital city", PPLA: "seat of a first-order division",
    PPLA2: "seat of a second-order division", PPLA3: "seat of a third-order division",
    PPL: "populated place", RGN: "region", CONT: "continent"};

  function placeCard(place) {
    var feature = place.feature ? place.feature + (FEATURES[place.feature] ? " — " + FEATURES[place.feature] : "") : null;
    var onMap = el("button", {type: "button", class: "linklike", "data-map": place.id}, "show on the map");
    return card(place.name, "place", "place", [
      ["Mention", "“" + place.text + "”"],
      ["Country", place.country],
      ["Province / state", place.admin1],
      ["Feature", feature],
      ["Coordinates", place.lat.toFixed(4) + ", " + place.lon.toFixed(4)],
      ["GeoNames id", place.geonameid === null ? null : String(place.geonameid)],
      ["Confidence", place.confidence === null || place.confidence === undefined ? null : place.confidence.toFixed(2)],
      ["Map", onMap]
    ]);
  }

  function timeCard(time) {
    var interval = time.interval ? NI.dateRange(time.interval.begin, time.interval.end) : null;
    return card(time.value, "time (" + time.type + ")", "time", [
      ["Mention", "“" + time.text + "”"],
      ["TIMEX3 value", time.value],
      ["Modifier", time.mod],
      ["Days covered", interval],
      ["Resolved against", record.article.published ? "publication date " + record.article.published : "no publication date"]
    ]);
  }

  function viaChain(statement) {
    return (statement.via || []).map(function (hop) {
      if (hop.indexOf("outlet:") === 0) return el("span", {class: "via-hop"}, hop.slice(7));
      var s = statements[hop];
      return s ? ref("statement", hop, (s.speaker && s.speaker.text) || hop) : el("span", {class: "via-hop"}, hop);
    }).reduce(function (acc, node, i) {
      if (i) acc.push(" ← ");
      acc.push(node);
      return acc;
    }, []);
  }

  function statementCard(statement) {
    var speaker = statement.speaker;
    var actor = speaker ? actors[speaker.actor] : null;
    var reported = (record.events || []).filter(function (v) { return v.statement === statement.id; });
    var who = speaker ? speaker.text : "(speaker not found)";
    var roleBits = [speaker && speaker.role, speaker && speaker.organisation].filter(Boolean).join(", ");
    var box = card(who, statement.kind + " statement", "statement", [
      ["Speaker", speaker ? who + (roleBits ? " (" + roleBits + ")" : "") : null],
      ["Speaker is", actor ? actor.name + " · " + actor.type + (actor.country ? " · " + actor.country : "") : null],
      ["Referred to as", speaker && speaker.mention ? "“" + spanText(speaker.mention) + "”" : null],
      ["Cue", statement.cue ? "“" + spanText(statement.cue) + "”" : null],
      ["Addressee", statement.addressee ? statement.addressee.text : null],
      ["Reaches us via", statement.via && statement.via.length ? viaChain(statement) : null],
      ["Reports events", reported.length ? reported.map(function (v) { return ref("event", v.id, v.type); }) : null]
    ]);
    box.insertBefore(el("blockquote", {class: "said"}, spanText(statement.content)), box.children[1]);
    return box;
  }

  function eventCard(event) {
    var roles = (event.actors || []).map(function (r) {
      var name = actorName(r.actor) || (entities[r.entity] ? entities[r.entity].text : null);
      var mention = r.entity && entities[r.entity] ? r.entity : firstMention(r.actor);
      return name ? el("div", null, el("span", {class: "role-name"}, r.role + ": "),
        mention ? ref("entity", mention, name) : name) : null;
    });
    var place = places[event.place];
    var statement = statements[event.statement];
    var cluster = clusters[event.id];
    var box = card(event.type + (event.mode ? " · " + event.mode : ""), "event", "event", [
      ["ACLED", (event.acled || []).join(" / ")],
      ["CAMEO root", event.cameo],
      ["Trigger", "“" + spanText(event.trigger) + "”"],
      ["Participants", roles.filter(Boolean).length ? roles : null],
      ["Where", place ? ref("place", place.id, place.name + (place.country ? " (" + place.country + ")" : "")) : null],
      ["When", event.time ? NI.dateRange(event.time.start, event.time.end) : null],
      ["Dated by", (event.times || []).filter(function (t) { return times[t]; }).map(function (t) { return ref("time", t, "“" + times[t].text + "”"); })],
      ["Dead", event.fatalities === null || event.fatalities === undefined ? null : String(event.fatalities)],
      ["Injured", event.injuries === null || event.injuries === undefined ? null : String(event.injuries)],
      ["Modality", event.modality],
      ["Says who", statement ? ref("statement", statement.id, (statement.speaker && statement.speaker.text) || "a statement") : null],
      ["Other reports", cluster && cluster.reports > 1 ? cluster.reports + " reports by " + cluster.outlets + " outlets, " + cluster.origins + " independent origins" : null]
    ]);
    (event.evidence || []).forEach(function (span) {
      box.appendChild(el("blockquote", {class: "evidence"}, spanText(span)));
    });
    return box;
  }

  function firstMention(actorId) {
    var actor = actors[actorId];
    var mention = actor && (actor.mentions || []).filter(function (m) { return entities[m]; })[0];
    return mention || null;
  }

  function framingCard(item) {
    return card(item.technique.replace(/_/g, " "), "framing", "framing", [["Words", "“" + item.text + "”"]]);
  }

  function card(title, subtitle, family, rows) {
    return el("section", {class: "card card-" + family},
      el("h3", null, el("span", {class: "card-title"}, title), " ", el("span", {class: "card-sub"}, subtitle)),
      fields(rows));
  }

  function cardFor(family, id) {
    if (family === "entity" && entities[id]) return entityCard(entities[id]);
    if (family === "place" && places[id]) return placeCard(places[id]);
    if (family === "time" && times[id]) return timeCard(times[id]);
    if (family === "statement" && statements[id]) return statementCard(statements[id]);
    if (family === "event" && events[id]) return eventCard(events[id]);
    if (family === "framing" && framing[id]) return framingCard(framing[id]);
    return null;
  }

  function show(items) {
    panel.replaceChildren();
    if (hint) hint.hidden = true;
    items.forEach(function (item) {
      var node = cardFor(item.family, item.id);
      if (node) panel.appendChild(node);
    });
  }

  // -- clicks in the text: every annotation around the clicked point, innermost first
  textBox.addEventListener("click", function (e) {
    var node = e.target instanceof Element ? e.target : null;
    var found = [], seen = {};
    while (node && node !== textBox) {
      if (node.matches("mark.ann")) {
        var family = FAMILY[node.getAttribute("data-kind")];
        var id = node.getAttribute("data-ref");
        if (family && !seen[family + ":" + id]) {
          seen[family + ":" + id] = true;
          found.push({family: family, id: id});
        }
      } else if (node.matches(".attribution")) {
        found.push({family: "statement", id: node.getAttribute("data-ref")});
      }
      node = node.parentElement;
    }
    if (!found.length) return;
    highlight(found[0].family, found[0].id, false);
    show(found);
  });

  // Buttons in the panel and the lists below select the item they name.
  document.addEventListener("click", function (e) {
    var target = e.target instanceof Element ? e.target.closest("[data-ref]") : null;
    if (!target || textBox.contains(target)) return;
    if (target.matches("button.ref")) {
      select(target.getAttribute("data-family"), target.getAttribute("data-ref"), true);
    } else if (target.matches("button[data-select]")) {
      select(FAMILY[target.getAttribute("data-select")], target.getAttribute("data-ref"), true);
    }
  });

  // -- layer toggles
  Array.prototype.forEach.call(document.querySelectorAll("#legend input[data-kinds]"), function (box) {
    box.addEventListener("change", function () {
      box.getAttribute("data-kinds").split(" ").forEach(function (kind) {
        textBox.classList.toggle("hide-" + kind, !box.checked);
      });
    });
  });

  // -- the map of the article's places (dots) and located events (rings)
  var mapMarkers = {};
  (function drawMap() {
    var note = document.getElementById("minimap-note");
    var list = record.places || [];
    if (!list.length) {
      note.textContent = "The record names no places.";
    }
    var map = NI.worldMap("minimap", {scrollWheelZoom: false});
    var FEATURE_RANK = {PCLI: 0, PCLD: 0, CONT: 0, RGN: 0, ADM1: 1, ADM2: 2, ADM3: 2};
    var eventPlaces = {};
    (record.events || []).forEach(function (v) { if (v.place) eventPlaces[v.place] = true; });
    var groups = {}, order = [];
    list.forEach(function (p) {
      var k = p.lat.toFixed(4) + "," + p.lon.toFixed(4);
      if (!groups[k]) { groups[k] = {place: p, ids: []}; order.push(k); }
      groups[k].ids.push(p.id);
    });
    var bounds = [];
    order.forEach(function (k) {
      var g = groups[k], p = g.place;
      var marker = L.circleMarker([p.lat, p.lon], {radius: 5, color: "#14532d", weight: 1.5,
        fillColor: "#22c55e", fillOpacity: 0.9, className: "place-marker"});
      marker.bindPopup(el("div", {class: "popup"},
        el("h3", null, p.name),
        fields([["Country", p.country], ["Province / state", p.admin1], ["Feature", p.feature],
          ["Mentions", g.ids.length + ""]]),
        el("button", {type: "button", class: "linklike ref", "data-family": "place", "data-ref": p.id}, "show in the text")));
      marker.addTo(map);
      marker.getElement().setAttribute("data-place", p.name);
      // Places where events happen first, then towns before provinces before countries
      // (a country's name is least needed on a map), then the most mentioned.
      var rank = p.feature in FEATURE_RANK ? FEATURE_RANK[p.feature] : 3;
      var evented = g.ids.some(function (id) { return eventPlaces[id]; });
      NI.labelMarker(marker, p.name, (evented ? 1000 : 0) + rank * 100 + g.ids.length);
      g.ids.forEach(function (id) { mapMarkers[id] = marker; });
      bounds.push([p.lat, p.lon]);
    });
    (record.events || []).forEach(function (v) {
      var p = places[v.place];
      if (!p) return;
      var ring = L.circleMarker([p.lat, p.lon], {radius: 11, color: NI.typeColour(v.type), weight: 2.5,
        fill: false, className: "event-ring"});
      ring.bindPopup(el("div", {class: "popup"},
        el("h3", null, v.type + " at " + p.name),
        fields([["When", v.time ? NI.dateRange(v.time.start, v.time.end) : null],
          ["Dead", v.fatalities === null || v.fatalities === undefined ? null : String(v.fatalities)],
          ["Modality", v.modality]]),
        (v.evidence || []).slice(0, 1).map(function (s) { return el("blockquote", {class: "evidence"}, NI.clip(spanText(s), 240)); }),
        el("button", {type: "button", class: "linklike ref", "data-family": "event", "data-ref": v.id}, "show the evidence")));
      ring.addTo(map);
      mapMarkers[v.id] = ring;
    });
    var tidy = NI.declutter(map);
    if (bounds.length) map.fitBounds(L.latLngBounds(bounds).pad(0.4), {maxZoom: 5, animate: false});
    tidy();
    document.addEventListener("click", function (e) {
      var button = e.target instanceof Element ? e.target.closest("button[data-map]") : null;
      if (!button) return;
      var marker = mapMarkers[button.getAttribute("data-map")];
      if (marker) {
        // The chosen place's label wins over its neighbours' from now on.
        var tooltip = marker.getTooltip() && marker.getTooltip().getElement();
        if (tooltip) tooltip.setAttribute("data-weight", String(1e9));
        document.getElementById("minimap").scrollIntoView({block: "center"});
        map.setView(marker.getLatLng(), Math.max(map.getZoom(), 6));
        tidy();
      }
    });
  })();

  // -- a link to /article/ID#v1 selects that item
  function fromHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (id) select(familyOf(id), id, true);
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
