/* Helpers shared by the newsint pages.
 *
 * Everything shown here comes from articles, which are untrusted: the DOM is built with
 * createElement and textContent only (never innerHTML with data), attributes are set one by
 * one with setAttribute, event-handler attributes are refused, and links go only to this
 * server's own paths or to http(s) addresses. */
(function () {
  "use strict";

  function append(node, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(node, c); }); return; }
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }

  function setAttrs(node, attrs) {
    Object.keys(attrs || {}).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (/^on/i.test(key)) throw new Error("event handler attributes are not allowed: " + key);
      if (key === "text") { node.textContent = String(value); return; }
      if (key === "href" && !isSafeHref(String(value))) return;
      node.setAttribute(key, value === true ? "" : String(value));
    });
  }

  /** An HTML element: el("a", {href: "/x", class: "y"}, "text", otherNode). */
  function el(tag, attrs) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    append(node, Array.prototype.slice.call(arguments, 2));
    return node;
  }

  var SVG_NS = "http://www.w3.org/2000/svg";
  /** An SVG element, built the same way. */
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    setAttrs(node, attrs);
    append(node, Array.prototype.slice.call(arguments, 2));
    return node;
  }

  /** Links may point at this server ("/...", "#...") or at an http(s) address. */
  function isSafeHref(href) {
    if (/^\/(?!\/)/.test(href) || /^#/.test(href)) return true;
    try {
      var url = new URL(href, window.location.href);
      return url.protocol === "http:" || url.protocol === "https:";
    } catch (e) {
      return false;
    }
  }

  function httpUrl(value) {
    if (typeof value !== "string") return null;
    try {
      var url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  /** The parsed content of a <script type="application/json"> data block. */
  function readJSON(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function articleHref(id, anchor) {
    return "/article/" + encodeURIComponent(id) + (anchor ? "#" + encodeURIComponent(anchor) : "");
  }

  function fetchJSON(url) {
    return fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) {
          return response.json().catch(function () { return {}; }).then(function (body) {
            var detail = body && body.detail;
            if (Array.isArray(detail)) detail = detail.map(function (d) { return (d.loc || []).slice(-1)[0] + ": " + d.msg; }).join("; ");
            throw new Error(detail || ("HTTP " + response.status));
          });
        }
        return response.json();
      });
  }

  var EVENT_FILTERS = ["country", "type", "since", "until", "actor", "modality", "article"];

  /** The API query string for a page's validated filters (only the known keys). */
  function eventQuery(filters, extra) {
    var params = new URLSearchParams();
    EVENT_FILTERS.forEach(function (key) {
      if (filters && filters[key]) params.set(key, filters[key]);
    });
    Object.keys(extra || {}).forEach(function (key) { params.set(key, extra[key]); });
    return params.toString();
  }

  /** A definition list of [label, value] rows; empty values are left out. */
  function fields(rows) {
    var dl = el("dl", {class: "fields"});
    rows.forEach(function (row) {
      var value = row[1];
      if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return;
      dl.appendChild(el("dt", null, row[0]));
      dl.appendChild(el("dd", null, value));
    });
    return dl;
  }

  // PLOVER event types, in the order of the timeline's rows, with their colours: cooperation
  // in blues and greens, verbal conflict in ambers, material conflict in reds.
  var TYPE_ORDER = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
    "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE",
    "ASSAULT", "OTHER"];
  var TYPE_COLOURS = {
    AGREE: "#2a9d8f", CONSULT: "#4d908e", SUPPORT: "#43aa8b", CONCEDE: "#90be6d",
    COOPERATE: "#277da1", AID: "#577590", RETREAT: "#8d99ae", REQUEST: "#6d597a",
    ACCUSE: "#e9c46a", REJECT: "#f4a261", THREATEN: "#f8961e", PROTEST: "#b5838d",
    SANCTION: "#9d4edd", MOBILIZE: "#e76f51", COERCE: "#d62828", ASSAULT: "#9b2226",
    OTHER: "#6c757d"
  };
  function typeColour(type) { return TYPE_COLOURS[type] || TYPE_COLOURS.OTHER; }

  function dateRange(start, end) {
    if (!start && !end) return "";
    if (!end || start === end) return start || end;
    return start + " – " + end;
  }

  function roleLine(item) {
    var who = (item.sources || []).join(", ");
    var whom = (item.targets || []).join(", ");
    if (who && whom) return who + " → " + whom;
    return who || (whom ? "→ " + whom : "");
  }

  function clip(text, limit) {
    text = String(text || "").replace(/\s+/g, " ").trim();
    return text.length <= limit ? text : text.slice(0, limit - 1).replace(/\s+\S*$/, "") + " …";
  }

  /** What one event row of /api/events says, as a block for a popup or a side panel. */
  function eventSummary(item) {
    var badge = el("span", {class: "ev-type"}, item.type || "event");
    badge.style.backgroundColor = typeColour(item.type);
    var heading = el("div", {class: "ev-head"},
      badge,
      item.acled_type ? el("span", {class: "ev-acled"}, " " + item.acled_type + (item.acled_subtype ? " / " + item.acled_subtype : "")) : null);
    var place = [item.place_name, item.admin1, item.country].filter(Boolean).join(", ");
    var evidence = (item.evidence_text || []).map(function (text) {
      return el("blockquote", {class: "evidence"}, clip(text, 320));
    });
    var cluster = item.cluster_reports > 1 ? item.cluster_reports + " reports by " + item.cluster_outlets +
      " outlets, " + item.cluster_origins + " independent" : null;
    var article = [item.title || null, item.outlet, item.published].filter(Boolean).join(" · ");
    return el("div", {class: "event-summary"},
      heading,
      fields([
        ["Who → whom", roleLine(item)],
        ["Victims", (item.victims || []).join(", ")],
        ["Where", place],
        ["When", dateRange(item.date_start, item.date_end) || (item.published ? "(published " + item.published + ")" : "")],
        ["Dead", item.fatalities === null || item.fatalities === undefined ? null : String(item.fatalities)],
        ["Injured", item.injuries === null || item.injuries === undefined ? null : String(item.injuries)],
        ["Modality", item.modality],
        ["Says who", item.speaker],
        ["Origin", item.origin_name],
        ["Cluster", cluster],
        ["Article", article]
      ]),
      evidence,
      el("a", {class: "evidence-link", href: articleHref(item.article_id, item.event_id)}, "Read the evidence in the article →"));
  }

  window.NI = {
    el: el, svg: svg, readJSON: readJSON, articleHref: articleHref, httpUrl: httpUrl,
    fetchJSON: fetchJSON, eventQuery: eventQuery, fields: fields, typeColour: typeColour,
    TYPE_ORDER: TYPE_ORDER, dateRange: dateRange, roleLine: roleLine, clip: clip,
    eventSummary: eventSummary
  };
})();
