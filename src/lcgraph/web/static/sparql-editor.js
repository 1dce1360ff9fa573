/*
 * The lcgraph SPARQL editor: YASGUI (from npm, served by us) bound to this service.
 *
 * Contract with templates/sparql.html: a JSON element #lcgraph-editor-config holds
 * {endpoint, prefixes: {prefix: namespace}, pages: {namespace: local path},
 * examples: [{name, title, query}], messages: {key: text in the page's language},
 * vocabulary: {classes: [IRI], properties: [IRI]}}, and
 * buttons .lcgraph-example[data-example=i] open example i in its own tab.
 *
 * Our own IRIs (under the base: `{base}/id/…`, `{base}/def/…`) link to this service's
 * pages (`/doc/…`, `/def/…`), in the result table and in the response view, so that a
 * local or offline copy stays local; other IRIs keep their own links.
 *
 * Privacy and safety: the page talks to its own origin only. YASGUI's class and property
 * autocompleters ask lov.linkeddata.es, and its endpoint list names public endpoints;
 * both are switched off here. Prefix completion uses our prefixes, handed over as a
 * blob: URL so that nothing is fetched from the network; class and property completion
 * uses our ontology's terms (config.vocabulary), in completers forked from YASQE's own.
 */
(function () {
  "use strict";

  var LOCAL_COMPLETERS = ["prefixes", "variables", "lcgraphClass", "lcgraphProperty"];
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
  var pages = config.pages || {};
  var messages = config.messages || {};
  var vocabulary = config.vocabulary || {};
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

  /* The local page of an IRI under one of our namespaces (the longest that matches), or
     null for IRIs this service does not serve. */
  function localPage(iri) {
    var found = null;
    Object.keys(pages).forEach(function (namespace) {
      if (iri.indexOf(namespace) === 0 && iri.length > namespace.length &&
          (found === null || namespace.length > found.length)) found = namespace;
    });
    return found === null ? null : pages[found] + iri.substring(found.length);
  }

  /* The table plugin writes `<a class="iri" href="IRI">` for each cell as DataTables draws
     a page of rows; YASR has no option for the href, so the links are pointed at our pages
     as they appear. */
  function localiseTableLinks(root) {
    function localise() {
      root.querySelectorAll("a.iri:not([data-lcgraph-iri])").forEach(function (link) {
        var iri = link.getAttribute("href");
        link.setAttribute("data-lcgraph-iri", iri);
        var local = localPage(iri);
        if (local !== null) link.setAttribute("href", local);
      });
    }
    localise(); // a response restored from an earlier visit is drawn already
    new MutationObserver(localise).observe(root, { childList: true, subtree: true });
  }

  var QUOTED_IRI = /"((?:https?:)\/\/[^"\s]+)"|<((?:https?:)\/\/[^>\s]+)>/g;

  /* The response view is a read-only CodeMirror 5 editor showing the raw response; each of
     our IRIs in it becomes a link (a marked range replaced by an <a>, which CodeMirror leaves
     to the browser), again after "Show all" replaces the text. */
  function linkResponse(cm) {
    cm.operation(function () {
      cm.getAllMarks().forEach(function (mark) { mark.clear(); });
      cm.eachLine(function (handle) {
        var text = handle.text;
        var line = cm.getLineNumber(handle);
        var match;
        QUOTED_IRI.lastIndex = 0;
        while ((match = QUOTED_IRI.exec(text)) !== null) {
          var iri = match[1] || match[2];
          var local = localPage(iri);
          if (local === null) continue;
          var link = document.createElement("a");
          link.href = local;
          link.className = "lcgraph-iri";
          link.textContent = match[0];
          link.setAttribute("data-lcgraph-iri", iri);
          cm.markText(
            { line: line, ch: match.index },
            { line: line, ch: match.index + match[0].length },
            { replacedWith: link }
          );
        }
      });
    });
  }

  function linkResponseView(yasr) {
    var wrapper = yasr.resultsEl.querySelector(".CodeMirror");
    var cm = wrapper && wrapper.CodeMirror;
    if (!cm || cm.lcgraphLinked) return;
    cm.lcgraphLinked = true;
    linkResponse(cm);
    cm.on("change", function () { linkResponse(cm); });
  }

  /* Our error shape {error, errors, status, type} in full: the message with its line and
     column (the server words it, query_errors.py), not a raw JSON body. */
  function renderError(error) {
    var body;
    try {
      body = JSON.parse(error.text || "");
    } catch (e) {
      return Promise.resolve(undefined);
    }
    if (!body || typeof body.error !== "string") return Promise.resolve(undefined);
    var box = document.createElement("div");
    box.className = "lcgraph-error";
    var title = document.createElement("p");
    title.className = "lcgraph-error-title";
    title.textContent = (messages[body.type] || messages.error || "Error") +
      (error.status ? " (HTTP " + error.status + ")" : "");
    box.appendChild(title);
    (body.errors && body.errors.length ? body.errors : [body.error]).forEach(function (text) {
      var message = document.createElement("pre");
      message.className = "lcgraph-error-message";
      message.textContent = text;
      box.appendChild(message);
    });
    return Promise.resolve(box);
  }

  /* Per tab: local links in the table and the response view. */
  function bindTab(tab) {
    var yasr = tab && tab.getYasr();
    if (!yasr || yasr.lcgraphBound) return;
    yasr.lcgraphBound = true;
    localiseTableLinks(yasr.resultsEl);
    linkResponseView(yasr);
    yasr.on("drawn", function () { linkResponseView(yasr); });
  }

  /* YASQE's class and property completers, with their positions (after `a`, in predicate
     place) and prefix handling, but completing from a fixed list of our IRIs: `bulk` puts
     them in YASQE's trie at start. Each keeps its own storage key, so that the list is
     never written over the tab's saved query. */
  function registerOntologyCompleters() {
    [["class", "lcgraphClass", vocabulary.classes], ["property", "lcgraphProperty", vocabulary.properties]]
      .forEach(function (fork) {
        Yasgui.Yasqe.forkAutocompleter(fork[0], {
          name: fork[1],
          bulk: true,
          autoShow: true,
          get: (fork[2] || []).slice(),
          persistenceId: "lcgraph-completion-" + fork[0],
        }, false);
      });
  }

  function createYasgui() {
    registerOntologyCompleters();
    // Class and property completion would send what is typed to lov.linkeddata.es. Set on
    // the defaults: YASGUI merges config arrays index by index, so a shorter list in the
    // config would keep the defaults' tail ("property", "class").
    Yasgui.Yasqe.defaults.autocompleters = LOCAL_COMPLETERS.slice();
    // Each tab gives its YASR the defaults' error renderers (after its own CORS one).
    Yasgui.Yasr.defaults.errorRenderers = [renderError];
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
  bindTab(yasgui.getTab());
  yasgui.on("tabSelect", function (instance, tabId) {
    // the tab's YASR exists once it is shown: after this event
    window.setTimeout(function () { bindTab(yasgui.getTab(tabId)); }, 0);
  });
  // For the browser test and the console: window.lcgraphEditor.yasgui.getTab().getYasqe().
  window.lcgraphEditor = { yasgui: yasgui, endpoint: endpoint, openExample: openExample };
})();
