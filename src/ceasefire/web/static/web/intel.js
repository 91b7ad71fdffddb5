/* The intelligence share form: only the distribution fields the chosen TLP uses are shown, and places are rows
   filled by typing, by a gazetteer result or by a click on the map. Without script every field shows and the rows
   are typed by hand; the server checks everything either way. */
(function () {
  "use strict";

  // TLP:AMBER names parties, TLP:RED names people, CLEAR and GREEN name nobody.
  function distribution(form) {
    var tlp = form.elements.tlp;
    var sections = form.querySelectorAll("[data-show-for]");
    var levels = form.querySelectorAll(".tlp-levels [data-tlp]");
    function show() {
      sections.forEach(function (section) {
        var wanted = section.dataset.showFor.split(" ").indexOf(tlp.value) >= 0;
        // A section with an error stays in view whatever the level, so its message can be read.
        section.hidden = !wanted && !section.querySelector(".field-error");
        // What a hidden section holds is not sent: recipients ticked before switching to RED are not named.
        section.querySelectorAll("input").forEach(function (input) { input.disabled = section.hidden; });
      });
      levels.forEach(function (level) { level.classList.toggle("chosen", level.dataset.tlp === tlp.value); });
    }
    tlp.addEventListener("change", show);
    show();
  }

  function places(form) {
    var body = document.getElementById("place-rows");
    var template = document.getElementById("place-row-template");
    var total = form.elements["places-TOTAL_FORMS"];
    var max = parseInt(form.elements["places-MAX_NUM_FORMS"].value, 10);
    var mapNode = document.getElementById("intel-pick-map");
    var markers = null, map = null;

    function rows() { return Array.prototype.slice.call(body.querySelectorAll("tr.place-row")); }
    function field(row, name) { return row.querySelector("input[name$='-" + name + "']"); }
    function isEmpty(row) {
      return !field(row, "name").value && !field(row, "latitude").value && !field(row, "longitude").value;
    }

    function addRow() {
      var index = parseInt(total.value, 10);
      if (index >= max) return null;
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      return rows()[rows().length - 1];
    }

    function freeRow() {
      var empty = rows().filter(isEmpty);
      return empty.length ? empty[0] : addRow();
    }

    function fill(row, name, lat, lon) {
      if (!row) return;
      if (name !== null) field(row, "name").value = name;
      field(row, "latitude").value = lat;
      field(row, "longitude").value = lon;
      redraw();
    }

    function redraw() {
      if (!markers) return;
      markers.clearLayers();
      rows().forEach(function (row) {
        var lat = parseFloat(field(row, "latitude").value), lon = parseFloat(field(row, "longitude").value);
        if (!isFinite(lat) || !isFinite(lon)) return;
        var marker = L.circleMarker([lat, lon], window.ceasefireMaps.intelStyle).addTo(markers);
        var name = field(row, "name").value;
        if (name) marker.bindTooltip(name, { direction: "top", offset: [0, -8] });
      });
    }

    document.getElementById("add-place").addEventListener("click", function () {
      var row = addRow();
      if (row) field(row, "name").focus();
    });
    body.addEventListener("click", function (event) {
      var remove = event.target.closest(".remove-place");
      if (!remove) return;
      // An emptied row is a place removed: the server skips it, and the row numbering stays intact.
      var row = remove.closest("tr");
      ["name", "latitude", "longitude"].forEach(function (name) { field(row, name).value = ""; });
      row.hidden = true;
      redraw();
    });
    body.addEventListener("change", redraw);

    // A gazetteer result (web/complaints/place_results.html) fills the first empty row.
    document.addEventListener("click", function (event) {
      var choice = event.target.closest && event.target.closest("#intel-place-results .place-choice");
      if (!choice) return;
      fill(freeRow(), choice.dataset.name, choice.dataset.lat, choice.dataset.lon);
      var results = document.getElementById("intel-place-results");
      results.textContent = "";
      var status = document.createElement("p");
      status.className = "chosen-place";
      status.textContent = "✓ ";
      var name = document.createElement("bdi");
      name.textContent = choice.dataset.name;
      status.appendChild(name);
      results.appendChild(status);
      if (map) map.setView([parseFloat(choice.dataset.lat), parseFloat(choice.dataset.lon)], window.ceasefireMaps.chosenZoom);
    });

    if (mapNode && window.L && window.ceasefireMaps) {
      map = window.ceasefireMaps.baseMap(mapNode);
      markers = L.layerGroup().addTo(map);
      // A click on the map adds a place there; its name is typed next.
      map.on("click", function (event) {
        var row = freeRow();
        fill(row, null, event.latlng.lat.toFixed(5), event.latlng.lng.toFixed(5));
        if (row) field(row, "name").focus();
      });
      redraw();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.intel-form");
    if (!form) return;
    distribution(form);
    places(form);
  });
})();
