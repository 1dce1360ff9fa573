/*
 * The lcgraph SPARQL editor: YASGUI (from npm, served by us) bound to this service.
 *
 * Contract with templates/sparql.html: a JSON element #lcgraph-editor-config holds
 * {endpoint, prefixes: {prefix: namespace}, examples: [{name, title, query}]}, and
 * buttons .lcgraph-example[data-example=i] open example i in its own tab.
 *
 * Privacy and safety: the page talks to its own origin only. YASGUI's class and property
 * autocompleters ask lov.linkeddata.es, and its endpoint list names public endpoints;
 * both are switched off here. Prefix completion uses our prefixes, handed over as a
 * blob: URL so that nothing is fetched from the network.
 */
(function () {
  "use strict";

  var LOCAL_COMPLETERS = ["prefixes", "variables"];
  var DEFAULT_PREFIXES = ["lc", "rdf", "rdfs", "skos", "org", "dct"];
  var DEFAULT_QUERY =
    "# Which kinds of things does the graph hold? Ctrl+Enter runs the query.\n" +
    "SELECT ?class (COUNT(?thing) AS ?things)\n" +
    "WHERE { GRAPH ?graph { ?thing a ?class } }\n" +
    "GROUP BY ?class\n" +
    "ORDER BY DESC(?things)\n";

  var config = JSON.parse(document.getElementById("lcgraph-editor-config").textContent);
  var prefixes = config.prefixes || {};
  var examples = config.examples || [];
  var endpoint = new URL(config.endpoint || window.location.pathname, window.location.href).href;

  /* PREFIX lines for those of `names` that we know. */
  function prologue(names) {
    return names
      .filter(function (name) {
        return prefixes[name] !== undefined;
      })
      .map(function (name) {
        return "PREFIX " + name + ": <" + prefixes[name] + ">\n";
      })
      .join("");
  }

  function createYasgui() {
    // Class and property completion would send what is typed to lov.linkeddata.es. Set on
    // the defaults: YASGUI merges config arrays index by index, so a shorter list in the
    // config would keep the defaults' tail ("property", "class").
    Yasgui.Yasqe.defaults.autocompleters = LOCAL_COMPLETERS.slice();
    var prefixUrl = URL.createObjectURL(
      new Blob([JSON.stringify(prefixes)], { type: "application/json" })
    );
    return new Yasgui(document.getElementById("yasgui"), {
      requestConfig: { endpoint: endpoint, method: "POST" },
      copyEndpointOnNewTab: false,
      endpointCatalogueOptions: {
        getData: function () { return [{ endpoint: endpoint }]; },
        keys: [],
      },
      persistenceId: "lcgraph-sparql-editor",
      yasqe: {
        value: prologue(DEFAULT_PREFIXES) + "\n" + DEFAULT_QUERY,
        prefixCcApi: prefixUrl,
      },
      // The result table shortens IRIs with our prefixes, and with those the query declares.
      yasr: { prefixes: prefixes },
    });
  }

  /* Tabs restored from an earlier visit may name another host or port: this page is the
     editor of this endpoint, so every tab queries it. */
  function pinEndpoint(yasgui) {
    Object.keys(yasgui._tabs).forEach(function (tabId) {
      var tab = yasgui.getTab(tabId);
      if (tab && tab.getEndpoint() !== endpoint) tab.setEndpoint(endpoint);
    });
  }

  /* Open a named query in its own tab, or switch to that tab if it is open already. */
  function openExample(yasgui, example) {
    var name = example.title || example.name;
    var open = Object.keys(yasgui._tabs).filter(function (tabId) {
      return yasgui.getTab(tabId).getName() === name;
    });
    if (open.length) return yasgui.selectTabId(open[0]);
    return yasgui.addTab(true, {
      name: name,
      yasqe: { value: example.query },
      requestConfig: { endpoint: endpoint, method: "POST" },
    });
  }

  function bindExamples(yasgui) {
    document.querySelectorAll(".lcgraph-example").forEach(function (button) {
      button.addEventListener("click", function () {
        openExample(yasgui, examples[Number(button.dataset.example)]);
      });
    });
  }

  var yasgui = createYasgui();
  pinEndpoint(yasgui);
  bindExamples(yasgui);
  // For the browser test and the console: window.lcgraphEditor.yasgui.getTab().getYasqe().
  window.lcgraphEditor = { yasgui: yasgui, endpoint: endpoint, openExample: openExample };
})();
