/* Small behaviours of every page, loaded as a file so the CSP needs no inline script. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Selects marked data-autosubmit (language, acting membership) submit on change; the button stays for no-JS.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.tagName === "SELECT" && select.form && select.form.hasAttribute("data-autosubmit")) {
      select.form.requestSubmit();
    }
  });

  // A gazetteer result fills the place fields of the filing form.
  document.addEventListener("click", function (event) {
    var choice = event.target.closest && event.target.closest(".place-choice");
    if (!choice) return;
    var form = choice.closest("form");
    // Only the complaint form has these fields; the intelligence form's place rows are filled by intel.js.
    if (!form || !form.elements.latitude || !form.elements.place_id) return;
    form.elements.latitude.value = choice.dataset.lat;
    form.elements.longitude.value = choice.dataset.lon;
    form.elements.place_id.value = choice.dataset.placeId;
    if (!form.elements.place_description.value) form.elements.place_description.value = choice.dataset.name;
    form.elements.latitude.dispatchEvent(new Event("change", { bubbles: true }));
    var results = document.getElementById("place-results");
    if (results) results.textContent = "";
    var status = document.createElement("p");
    status.className = "chosen-place";
    status.textContent = "✓ ";
    var name = document.createElement("bdi");  // a place name in its own script, on a page in another
    name.textContent = choice.dataset.name;
    status.appendChild(name);
    if (results) results.appendChild(status);
  });
})();
