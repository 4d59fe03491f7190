// Start YASGUI on this server's SPARQL endpoint, with the project's example queries as tabs.
// The endpoint and the examples' URL come from data attributes of #yasgui, so the page has no inline script.
(function () {
  "use strict";
  var el = document.getElementById("yasgui");
  if (!el || typeof Yasgui === "undefined") {
    return;
  }
  var endpoint = new URL(el.getAttribute("data-endpoint"), window.location.href).href;

  function start(examples) {
    var yasgui = new Yasgui(el, {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: true,
      autoAddOnInit: false,
      // Tabs come from the examples, not from what an earlier visit left in localStorage.
      persistenceId: null,
      populateFromUrl: true,
      endpointCatalogueOptions: {
        getData: function () { return [{ endpoint: endpoint }]; },
      },
    });
    // The first tab is added as the active one: selectTabId() does nothing while no tab is active.
    examples.forEach(function (ex, i) {
      yasgui.addTab(i === 0, {
        name: ex.name,
        yasqe: { value: ex.query },
        requestConfig: { endpoint: endpoint, method: "POST" },
      });
    });
    if (examples.length === 0) {
      yasgui.addTab(true, { requestConfig: { endpoint: endpoint, method: "POST" } });
    }
    el.setAttribute("data-ready", String(examples.length));
    window.egovkgYasgui = yasgui;
  }

  fetch(el.getAttribute("data-examples"), { headers: { Accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : []; })
    .catch(function () { return []; })
    .then(start);
})();
