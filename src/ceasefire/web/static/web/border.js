/* Border pages: the crossings map coloured by status, a crossing's own map, and Vega-Lite charts drawn by the
   vendored vega-embed. Loaded as a file (no inline script): URLs and labels come in data- attributes. */
(function () {
  "use strict";
  var COLOURS = { open: "#2e7d32", restricted: "#e0a100", closed: "#b3261e", disputed: "#7b3fa0", unknown: "#8c939a" };
  var OUTLINE = { color: "#5b6770", weight: 1, fillColor: "#f4f1e8", fillOpacity: 1 };
  var LINE = { color: "#b0413e", weight: 2.5, dashArray: "6 4" };
  var BOUNDS = [[29.0, 64.0], [36.5, 72.5]];

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(url + " " + r.status); return r.json(); });
  }

  function baseMap(node) {
    var map = L.map(node, { zoomSnap: 0.25 });
    map.attributionControl.setPrefix("Leaflet");
    map.fitBounds(BOUNDS);
    getJSON(node.dataset.outlinesUrl).then(function (data) {
      L.geoJSON(data, { style: OUTLINE, interactive: false }).addTo(map).bringToBack();
      return getJSON(node.dataset.lineUrl);
    }).then(function (line) {
      L.geoJSON(line, { style: LINE }).addTo(map).bindTooltip(node.dataset.lineLabel, { sticky: true });
    });
    return map;
  }

  function marker(latlng, state) {
    return L.circleMarker(latlng, {
      radius: 8, color: "#222", weight: 1.5, fillColor: COLOURS[state] || COLOURS.unknown, fillOpacity: 0.95,
    });
  }

  function popup(props, node) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = props.url;
    link.textContent = props.name;
    link.dir = "auto";
    box.appendChild(link);
    var state = document.createElement("div");
    state.textContent = props.state_label;
    box.appendChild(state);
    (props.flags || []).forEach(function (flag) {
      var line = document.createElement("div");
      line.className = "flag";
      line.textContent = "⚠ " + flag;
      box.appendChild(line);
    });
    return box;
  }

  function crossingsMap(node) {
    var map = baseMap(node);
    getJSON(node.dataset.crossingsUrl).then(function (data) {
      L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          return marker(latlng, feature.properties.state).bindTooltip(feature.properties.name.split(" (")[0]);
        },
        onEachFeature: function (feature, layer) { layer.bindPopup(popup(feature.properties, node)); },
      }).addTo(map);
    });
  }

  function crossingMap(node) {
    var map = baseMap(node);
    var latlng = [parseFloat(node.dataset.lat), parseFloat(node.dataset.lon)];
    marker(latlng, node.dataset.state).bindTooltip(node.dataset.name.split(" (")[0], { permanent: true, direction: "right" }).addTo(map);
    map.setView(latlng, 8);
  }

  function chart(node) {
    getJSON(node.dataset.specUrl).then(function (spec) {
      node.textContent = "";
      // ast + vega-embed's bundled interpreter: no eval, as the CSP requires; no injected <style> either.
      return vegaEmbed(node, spec, { ast: true, actions: false, defaultStyle: false, renderer: "svg",
        tooltip: { disableDefaultStyle: true } });
    }).catch(function (error) {
      node.textContent = String(error);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var list = document.getElementById("border-map");
    if (list) crossingsMap(list);
    var one = document.getElementById("crossing-map");
    if (one) crossingMap(one);
    document.querySelectorAll(".vega-chart[data-spec-url]").forEach(chart);
  });
})();
