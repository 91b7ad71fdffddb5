/* The external-events layer of the overview map: H3 hexagons counting events when zoomed out, each event when
   zoomed in, filtered by source, category and dates, with a month-by-month timeline. Hooks into the map that
   map.js builds (L.Map.addInitHook), so map.js itself stays unaware of it. Everything comes from the site. */
(function () {
  "use strict";
  var POINT_ZOOM = 8;  // from this zoom on, single events; below it, hexagons
  var HEX = { color: "#3d5a80", weight: 1, fillColor: "#3d5a80" };
  var SOURCE_COLOURS = { ucdp: "#2a6f4e", acled: "#8a5a00", gdelt: "#5b4b8a" };

  // About ten hexagons across a province at any zoom: H3 resolution 3 (~60 km edge) to 6 (~3.7 km edge).
  function resolutionFor(zoom) {
    if (zoom < 6) return 3;
    if (zoom < 7) return 4;
    if (zoom < 7.75) return 5;
    return 6;
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function query(form, extra) {
    var params = new URLSearchParams();
    ["source", "category", "date_from", "date_to"].forEach(function (name) {
      var value = form.elements[name].value;
      if (value) params.set(name, value);
    });
    Object.keys(extra || {}).forEach(function (key) { params.set(key, extra[key]); });
    return params.toString();
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(url + " " + r.status); return r.json(); });
  }

  function popup(props, panel) {
    var box = el("div", null, "popup");
    var link = el("a", props.source.toUpperCase() + " " + props.id);
    link.href = props.url;
    link.dir = "ltr";
    box.appendChild(link);
    box.appendChild(el("div", props.date + (props.type ? " · " + props.type : ""), "muted"));
    if (props.fatalities !== null && props.fatalities !== undefined) box.appendChild(el("div", "† " + props.fatalities, "muted"));
    return box;
  }

  function attach(map, panel) {
    var form = panel.querySelector("form");
    // Hexagons in a pane of their own that lets clicks through to the complaints and crossings under it (the
    // national outlines' fill, at the bottom of the overlay pane, would hide anything placed below them).
    var hexPane = map.createPane("external-events-hexagons");
    hexPane.style.zIndex = 405;
    hexPane.style.pointerEvents = "none";
    var layer = L.layerGroup().addTo(map);
    var pending = 0;

    function draw() {
      var ticket = ++pending;
      layer.clearLayers();
      if (!form.elements.show.checked) return;
      var zoom = map.getZoom();
      var url;
      if (zoom >= POINT_ZOOM) {
        var b = map.getBounds();
        url = panel.dataset.pointsUrl + "?" + query(form, { bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].join(",") });
      } else {
        url = panel.dataset.hexagonsUrl + "?" + query(form, { res: resolutionFor(zoom) });
      }
      getJSON(url).then(function (data) {
        if (ticket !== pending) return;  // a newer view was asked for meanwhile
        if (zoom >= POINT_ZOOM) {
          L.geoJSON(data, {
            pointToLayer: function (feature, latlng) {
              var colour = SOURCE_COLOURS[feature.properties.source] || "#333";
              return L.circleMarker(latlng, {
                radius: 5, color: colour, weight: 1, fillColor: colour, fillOpacity: 0.6,
              });
            },
            onEachFeature: function (feature, item) { item.bindPopup(popup(feature.properties, panel)); },
          }).addTo(layer);
        } else {
          var max = 1;
          data.features.forEach(function (f) { max = Math.max(max, f.properties.count); });
          L.geoJSON(data, {
            pane: "external-events-hexagons",
            interactive: false,
            style: function (f) {
              return Object.assign({}, HEX, { fillOpacity: 0.15 + 0.6 * Math.sqrt(f.properties.count / max) });
            },
          }).addTo(layer);
        }
      });
    }

    function timeline() {
      var box = panel.querySelector(".events-timeline");
      getJSON(panel.dataset.timelineUrl + "?" + query(form, { date_from: "", date_to: "" })).then(function (data) {
        box.textContent = "";
        var max = 1;
        data.months.forEach(function (m) { max = Math.max(max, m.count); });
        data.months.forEach(function (m) {
          var bar = el("button", null, "timeline-bar");
          bar.type = "button";
          bar.title = m.month + ": " + m.count;
          bar.style.height = Math.max(2, Math.round(48 * m.count / max)) + "px";
          bar.addEventListener("click", function () {
            var parts = m.month.split("-");
            var last = new Date(Date.UTC(+parts[0], +parts[1], 0)).getUTCDate();
            form.elements.date_from.value = m.month + "-01";
            form.elements.date_to.value = m.month + "-" + String(last).padStart(2, "0");
            draw();
          });
          box.appendChild(bar);
        });
      });
    }

    form.addEventListener("change", function (event) {
      if (event.target.name === "source" || event.target.name === "category") timeline();
      draw();
    });
    map.on("zoomend moveend", draw);
    timeline();
    draw();
  }

  if (window.L && L.Map) {
    L.Map.addInitHook(function () {
      var map = this;
      var panel = document.getElementById("events-layer");
      if (panel && map.getContainer().id === "overview-map") map.whenReady(function () { attach(map, panel); });
    });
  }
})();
