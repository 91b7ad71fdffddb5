/* Leaflet maps: the overview map (outlines, reference line, crossings, complaints, intelligence places), the filing
   form's picker, and an intelligence item's places.
   Everything is drawn from the site's own GeoJSON, so the maps work offline; tiles only when configured. */
(function () {
  "use strict";
  // The bundled outlines' extent, for the first frame; the map refits to the outlines actually loaded.
  var BOUNDS = [[23.69, 60.49], [38.47, 77.05]];
  var FIT = { padding: [16, 16] };
  var CHOSEN_ZOOM = 7;  // close enough to place a point, far enough to keep the line and crossings in view
  var LABEL_ZOOM = 6.5;  // crossing names below this zoom would pile on top of each other
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

  function escapeHTML(text) {
    var node = document.createElement("span");
    node.textContent = text;
    return node.innerHTML;
  }

  function baseMap(node) {
    var map = L.map(node, { zoomSnap: 0.25, attributionControl: true });
    // A neutral mechanism shows no flag in the map library's credit line.
    map.attributionControl.setPrefix("Leaflet");
    map.fitBounds(BOUNDS, FIT);
    if (node.dataset.tileUrl) {
      L.tileLayer(node.dataset.tileUrl, { maxZoom: 17 }).addTo(map);
      OUTLINE.fillOpacity = 0.15;
    }
    getJSON(node.dataset.outlinesUrl).then(function (data) {
      var outlines = L.geoJSON(data, { style: OUTLINE, interactive: false }).addTo(map).bringToBack();
      // Fit the outlines actually served (an operator may swap the dataset), unless a point is already shown.
      if (!node.dataset.keepView && outlines.getBounds().isValid()) map.fitBounds(outlines.getBounds(), FIT);
      return getJSON(node.dataset.lineUrl);
    }).then(function (line) {
      var layer = L.geoJSON(line, { style: LINE }).addTo(map);
      layer.bindTooltip(node.dataset.lineLabel, { sticky: true });
      // The label mixes the page's script with the dataset's (English) name: isolate it in the LTR map corner.
      map.attributionControl.addAttribution('<span dir="auto">' + escapeHTML(node.dataset.lineLabel) + "</span>");
    });
    return map;
  }

  function crossingPopup(props, node) {
    var box = el("div", null, "popup");
    var name = el("strong", props.name);
    name.dir = "auto";
    box.appendChild(name);
    box.appendChild(el("div", node.dataset.crossingLabel, "muted"));
    if (props.afghan_side) box.appendChild(labelled(node.dataset.afghanSideLabel, props.afghan_side));
    if (props.pakistani_side) box.appendChild(labelled(node.dataset.pakistaniSideLabel, props.pakistani_side));
    if (props.suspect) box.appendChild(el("div", "⚠ " + node.dataset.suspectLabel, "warning"));
    return box;
  }

  // "Label: value", the value (a place name in its own script) isolated from the label's direction.
  function labelled(label, value) {
    var line = el("div", label + ": ");
    line.appendChild(el("bdi", value));
    return line;
  }

  function complaintPopup(props, node) {
    var box = el("div", null, "popup");
    var link = el("a", props.code);
    link.href = props.url;
    link.dir = "ltr";
    box.appendChild(link);
    var title = el("div", props.title);
    title.dir = "auto";
    box.appendChild(title);
    box.appendChild(el("div", props.category + " · " + props.state, "muted"));
    var parties = el("div", null, "muted");
    parties.appendChild(el("bdi", props.complainant));
    parties.appendChild(el("span", " → ", "dir-arrow"));
    parties.appendChild(el("bdi", props.respondent));
    box.appendChild(parties);
    return box;
  }

  // Intelligence places: violet markers, told apart from the complaints' red ones.
  var INTEL = { radius: 7, color: "#3f2a6b", weight: 1.5, fillColor: "#7b5cc4", fillOpacity: 0.85 };

  function intelPopup(props) {
    var box = el("div", null, "popup");
    var link = el("a", props.code);
    link.href = props.url;
    link.dir = "ltr";
    box.appendChild(link);
    var title = el("div", props.title);
    title.dir = "auto";
    box.appendChild(title);
    var where = el("div", null, "muted");
    where.appendChild(el("bdi", props.place));
    where.appendChild(document.createTextNode(" · TLP:" + props.tlp + " · "));
    where.appendChild(el("bdi", props.originator));
    box.appendChild(where);
    return box;
  }

  // Returns the promise of the drawn layer, so a caller can fit the view to it.
  function intelLayer(map, url) {
    return getJSON(url).then(function (data) {
      return L.geoJSON(data, {
        pointToLayer: function (feature, latlng) { return L.circleMarker(latlng, INTEL); },
        onEachFeature: function (feature, layer) { layer.bindPopup(intelPopup(feature.properties)); },
      }).addTo(map);
    });
  }

  function overview(node) {
    var map = baseMap(node);
    if (node.dataset.intelUrl) intelLayer(map, node.dataset.intelUrl);
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

  function shortName(name) {
    return name.split(" (")[0];
  }

  // The crossings as small named markers: offline, with no tiles, they are what a liaison officer orients by.
  function labelledCrossings(map, node) {
    getJSON(node.dataset.crossingsUrl).then(function (data) {
      L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, {
            radius: 4, color: "#1f4e79", weight: 2, fillColor: "#ffffff", fillOpacity: 1, interactive: false,
          }).bindTooltip(shortName(feature.properties.name), {
            permanent: true, direction: "right", offset: [6, 0], className: "crossing-label",
          });
        },
      }).addTo(map);
    });
    function showLabels() {
      node.classList.toggle("crossing-labels-hidden", map.getZoom() < LABEL_ZOOM);
    }
    map.on("zoomend", showLabels);
    showLabels();
  }

  function picker(node) {
    var form = node.closest("form");
    var lat = form.elements.latitude, lon = form.elements.longitude;
    // A form sent back with its point keeps that point in view instead of refitting the whole area.
    if (isFinite(parseFloat(lat.value)) && isFinite(parseFloat(lon.value))) node.dataset.keepView = "1";
    var map = baseMap(node);
    if (node.dataset.crossingsUrl) labelledCrossings(map, node);
    var halo = null, marker = null;
    function place(where, pan) {
      var latlng = L.latLng(where);
      var label = latlng.lat.toFixed(4) + ", " + latlng.lng.toFixed(4);
      if (marker) {
        marker.setLatLng(latlng);
        halo.setLatLng(latlng);
        marker.setTooltipContent(label);
      } else {
        // A white ring under the red dot keeps the point visible on the red line and on any tile background.
        halo = L.circleMarker(latlng, { radius: 13, color: "#ffffff", weight: 5, fill: false, interactive: false }).addTo(map);
        marker = L.circleMarker(latlng, { radius: 8, color: "#7a1f1d", weight: 2.5, fillColor: "#d9534f", fillOpacity: 1 })
          .bindTooltip(label, { permanent: true, direction: "top", offset: [0, -12], className: "chosen-label" })
          .addTo(map);
      }
      if (pan) map.setView(latlng, Math.max(map.getZoom(), CHOSEN_ZOOM));
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
    fromInputs(node.dataset.keepView === "1");
  }

  // An intelligence item's own places, fitted into view (web/templates/web/intel/detail.html).
  function itemPlaces(node) {
    node.dataset.keepView = "1";
    var map = baseMap(node);
    intelLayer(map, node.dataset.placesUrl).then(function (layer) {
      var bounds = layer.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds.pad(0.5), { maxZoom: CHOSEN_ZOOM });
    });
  }

  // For intel.js: the share form's place picker draws on the same base map.
  window.ceasefireMaps = { baseMap: baseMap, intelStyle: INTEL, chosenZoom: CHOSEN_ZOOM };

  document.addEventListener("DOMContentLoaded", function () {
    var placesNode = document.getElementById("intel-places-map");
    if (placesNode) itemPlaces(placesNode);
    var overviewNode = document.getElementById("overview-map");
    if (overviewNode) overview(overviewNode);
    var pickNode = document.getElementById("pick-map");
    if (pickNode) picker(pickNode);
  });
})();
