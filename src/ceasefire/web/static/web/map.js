/* Leaflet maps: the overview map (outlines, reference line, crossings, complaints) and the filing form's picker.
   Everything is drawn from the site's own GeoJSON, so the maps work offline; tiles only when configured. */
(function () {
  "use strict";
  var BOUNDS = [[23.5, 60.5], [38.5, 77.8]];
  var OUTLINE = { color: "#5b6770", weight: 1, fillColor: "#f4f1e8", fillOpacity: 1 };
  var LINE = { color: "#b0413e", weight: 2.5, dashArray: "6 4" };

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (r) { if (!r.ok) throw new Error(url + " " + r.status); return r.json(); });
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function baseMap(node) {
    var map = L.map(node, { zoomSnap: 0.5, attributionControl: true });
    // A neutral mechanism shows no flag in the map library's credit line.
    map.attributionControl.setPrefix("Leaflet");
    map.fitBounds(BOUNDS);
    if (node.dataset.tileUrl) {
      L.tileLayer(node.dataset.tileUrl, { maxZoom: 17 }).addTo(map);
      OUTLINE.fillOpacity = 0.15;
    }
    getJSON(node.dataset.outlinesUrl).then(function (data) {
      L.geoJSON(data, { style: OUTLINE, interactive: false }).addTo(map).bringToBack();
      return getJSON(node.dataset.lineUrl);
    }).then(function (line) {
      var layer = L.geoJSON(line, { style: LINE }).addTo(map);
      layer.bindTooltip(node.dataset.lineLabel, { sticky: true });
      map.attributionControl.addAttribution(node.dataset.lineLabel);
    });
    return map;
  }

  function crossingPopup(props, node) {
    var box = el("div", null, "popup");
    box.appendChild(el("strong", props.name));
    box.appendChild(el("div", node.dataset.crossingLabel, "muted"));
    if (props.afghan_side) box.appendChild(el("div", node.dataset.afghanSideLabel + ": " + props.afghan_side));
    if (props.pakistani_side) box.appendChild(el("div", node.dataset.pakistaniSideLabel + ": " + props.pakistani_side));
    if (props.suspect) box.appendChild(el("div", "⚠ " + node.dataset.suspectLabel, "warning"));
    return box;
  }

  function complaintPopup(props, node) {
    var box = el("div", null, "popup");
    var link = el("a", props.code);
    link.href = props.url;
    box.appendChild(link);
    box.appendChild(el("div", props.title));
    box.appendChild(el("div", props.category + " · " + props.state, "muted"));
    box.appendChild(el("div", props.complainant + " → " + props.respondent, "muted"));
    return box;
  }

  function overview(node) {
    var map = baseMap(node);
    getJSON(node.dataset.crossingsUrl).then(function (data) {
      L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          var suspect = feature.properties.suspect;
          return L.circleMarker(latlng, {
            radius: 5, color: suspect ? "#8a5a00" : "#1f4e79", weight: 2,
            dashArray: suspect ? "2 2" : null, fillColor: "#ffffff", fillOpacity: 1,
          });
        },
        onEachFeature: function (feature, layer) { layer.bindPopup(crossingPopup(feature.properties, node)); },
      }).addTo(map);
    });
    getJSON(node.dataset.complaintsUrl).then(function (data) {
      L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, { radius: 7, color: "#7a1f1d", weight: 1.5, fillColor: "#d9534f", fillOpacity: 0.85 });
        },
        onEachFeature: function (feature, layer) { layer.bindPopup(complaintPopup(feature.properties, node)); },
      }).addTo(map);
    });
  }

  function picker(node) {
    var map = baseMap(node);
    var form = node.closest("form");
    var lat = form.elements.latitude, lon = form.elements.longitude;
    var marker = null;
    function place(latlng, pan) {
      if (marker) marker.setLatLng(latlng);
      else marker = L.circleMarker(latlng, { radius: 8, color: "#7a1f1d", fillColor: "#d9534f", fillOpacity: 0.9 }).addTo(map);
      if (pan) map.setView(latlng, Math.max(map.getZoom(), 8));
    }
    function fromInputs(pan) {
      var a = parseFloat(lat.value), b = parseFloat(lon.value);
      if (isFinite(a) && isFinite(b)) place([a, b], pan);
    }
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(5);
      lon.value = event.latlng.lng.toFixed(5);
      form.elements.place_id.value = "";
      place(event.latlng, false);
    });
    lat.addEventListener("change", function () { fromInputs(true); });
    lon.addEventListener("change", function () { fromInputs(true); });
    fromInputs(false);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var overviewNode = document.getElementById("overview-map");
    if (overviewNode) overview(overviewNode);
    var pickNode = document.getElementById("pick-map");
    if (pickNode) picker(pickNode);
  });
})();
