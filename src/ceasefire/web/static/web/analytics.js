/* Dashboard charts: each Vega-Lite spec is inline as JSON data (<script type="application/json">, which the CSP
   lets through because it never runs) and drawn by the vendored vega-embed, as the border pages draw theirs. */
(function () {
  "use strict";

  function draw(node) {
    var source = document.getElementById(node.dataset.specId);
    if (!source) return;
    var spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (error) {
      node.textContent = String(error);
      return;
    }
    node.textContent = "";
    // ast + vega-embed's bundled interpreter: no eval, as the CSP requires; no injected <style> either.
    vegaEmbed(node, spec, { ast: true, actions: false, defaultStyle: false, renderer: "svg",
      tooltip: { disableDefaultStyle: true } }).catch(function (error) {
      node.textContent = String(error);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".vega-chart[data-spec-id]").forEach(draw);
  });
})();
