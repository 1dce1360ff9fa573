/*
 * /explore: Sparnatural bound to this service (issue 16).
 *
 * Contract with templates/explore.html: #explore-config holds {lang, endpoint, config, save,
 * search, suggest, terms, prefixes, base}; static/explore-state.js is loaded first. The builder's
 * state lives in the URL fragment (#state=<JSON>), so a question can be mailed; a state that
 * explore-state.js rejects opens the builder empty with a message saying what was dropped.
 * Results are fetched from /sparql as SPARQL JSON; IRIs are shown with their labels (one
 * bounded lookup) and link to their page on this server.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("explore-config").textContent);
  var translatedLists = window.lcgraphExploreI18n ? window.lcgraphExploreI18n.restore() : 0;
  var nl = config.lang === "nl";
  if (nl && translatedLists !== 1) {
    // explore-i18n.js found no English word table (or several) in this Sparnatural bundle.
    console.error("explore: Sparnatural's interface words were not translated to Dutch (" + translatedLists + " tables); see static/explore-i18n.js");
  }
  var known = new Set(config.terms);
  var endpoint = new URL(config.endpoint, window.location.href).href;
  var LABEL = "<http://www.w3.org/2004/02/skos/core#prefLabel>|<http://www.w3.org/2000/01/rdf-schema#label>";
  var current = { query: null, json: null, rows: [], columns: [], labels: {} };

  function tr(en, dutch) { return nl ? dutch : en; }
  function $(id) { return document.getElementById(id); }

  function say(text) {
    var box = $("explore-message");
    box.textContent = text;
    box.hidden = !text;
  }

  /* The state in the URL, checked (static/explore-state.js): {query} or {dropped: message}. */
  function stateFromUrl() {
    return window.lcgraphExploreState.fromUrl(window.location.hash, known, tr);
  }

  function shareUrl(json) {
    return window.location.pathname + window.location.search + "#state=" + encodeURIComponent(JSON.stringify(json));
  }

  /* `text` as a SPARQL string literal. */
  function sparqlString(text) {
    return '"' + String(text).replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r") + '"';
  }

  /*
   * Autocomplete through Sparnatural's public customization.autocomplete.dataProvider.
   * Values come from lcgraph's own search (issue 15): GET /api/suggest with the typed text
   * as a URL parameter and the class the widget asks for (`range`) as its class filter, so
   * the text is never put into SPARQL (Sparnatural's datasource pastes it in as typed: a
   * quote or a backslash made the lookup unparsable) and labels are completed word by word
   * from the index instead of a CONTAINS scan of every label. When the service answers the
   * suggestion with anything but 200 or 400 (no search index can be made), the bounded
   * SPARQL lookup of the configuration (config.search) runs instead, the text as a SPARQL
   * string literal. A 400 (a text without letters, such as '"') means no suggestions.
   */
  function sparqlSuggestions(domain, predicate, range, key, typePredicate) {
    var query = config.search
      .replace(/\$domain/g, "<" + domain + ">")
      .replace(/\$property/g, "<" + predicate + ">")
      .replace(/\$range/g, "<" + range + ">")
      .replace(/\$lang/g, sparqlString(config.lang))
      .replace(/\$type/g, typePredicate)
      .split('"$key"').join(sparqlString(key)); // last: the typed text is left as it is
    return runSparql(query).then(function (data) {
      return data.results.bindings.map(function (b) {
        return { term: { type: b.uri.type, value: b.uri.value }, label: b.label ? b.label.value : b.uri.value };
      });
    });
  }

  function searchSuggestions(range, key) {
    var params = new URLSearchParams({ q: key, lang: config.lang, class: range });
    return fetch(config.suggest + "?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 400) return [];
        if (!response.ok) return null; // no search here: the caller falls back to SPARQL
        return response.json().then(function (found) {
          return found.map(function (s) { return { term: { type: "uri", value: s.iri }, label: s.label }; });
        });
      });
  }

  var autocomplete = {
    typePredicate: "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
    init: function (lang, defaultLang, typePredicate) { if (typePredicate) this.typePredicate = typePredicate; },
    getAutocompleteSuggestions: function (domain, predicate, range, key, callback, errorCallback) {
      var typePredicate = this.typePredicate;
      var found = config.suggest ? searchSuggestions(range, key) : Promise.resolve(null);
      found.then(function (items) {
        return items !== null ? items : sparqlSuggestions(domain, predicate, range, key, typePredicate);
      }).then(callback).catch(function (error) { if (errorCallback) errorCallback(error); });
    },
  };

  function createBuilder() {
    var element = document.createElement("spar-natural");
    element.setAttribute("src", config.config);
    element.setAttribute("endpoint", endpoint);
    element.setAttribute("lang", config.lang);
    element.setAttribute("defaultLang", "en");
    element.setAttribute("distinct", "true");
    element.setAttribute("limit", "1000");
    element.setAttribute("prefixes", Object.keys(config.prefixes).map(function (p) { return p + ":" + config.prefixes[p]; }).join(" "));
    element.setAttribute("debug", "false");
    return element;
  }

  function onQueryUpdated(element, event) {
    current.query = element.expandSparql(event.detail.queryString);
    current.json = event.detail.queryJson;
    $("explore-open-editor").href = "/sparql#query=" + encodeURIComponent(current.query);
    $("explore-open-editor").removeAttribute("aria-disabled");
    $("explore-share").href = shareUrl(current.json);
    window.history.replaceState(null, "", shareUrl(current.json));
  }

  function runSparql(query) {
    var body = new URLSearchParams({ query: query });
    return fetch(endpoint, {
      method: "POST",
      headers: { Accept: "application/sparql-results+json" },
      body: body,
    }).then(function (response) {
      if (!response.ok) {
        return response.text().then(function (text) { throw new Error(response.status + ": " + text); });
      }
      return response.json();
    });
  }

  /* Labels in the page language, else without language, else any, for the IRIs of the rows. */
  function fetchLabels(iris) {
    if (!iris.length) return Promise.resolve({});
    var values = iris.slice(0, 1000).map(function (i) { return "<" + i + ">"; }).join(" ");
    var query = "SELECT ?uri (SAMPLE(?name) AS ?label) WHERE { VALUES ?uri { " + values + " }\n" +
      "  OPTIONAL { ?uri " + LABEL + " ?inLang FILTER(LANG(?inLang) = \"" + config.lang + "\") }\n" +
      "  OPTIONAL { ?uri " + LABEL + " ?plain FILTER(LANG(?plain) = \"\") }\n" +
      "  OPTIONAL { ?uri " + LABEL + " ?other }\n" +
      "  BIND(STR(COALESCE(?inLang, ?plain, ?other)) AS ?name) } GROUP BY ?uri";
    return runSparql(query).then(function (data) {
      var labels = {};
      data.results.bindings.forEach(function (b) { if (b.label) labels[b.uri.value] = b.label.value; });
      return labels;
    });
  }

  /* The page of a thing on this server: /id/… → /doc/…, /def/… as it is. */
  function pageOf(iri) {
    if (iri.indexOf(config.base + "/id/") === 0) return "/doc/" + iri.slice(config.base.length + 4);
    if (iri.indexOf(config.base + "/") === 0) return iri.slice(config.base.length);
    return null;
  }

  function cellText(term) {
    if (!term) return "";
    if (term.type === "uri") return current.labels[term.value] || term.value;
    return term.value;
  }

  function showTable() {
    var head = $("explore-table").tHead, body = $("explore-table").tBodies[0];
    head.innerHTML = "";
    body.innerHTML = "";
    var tr_ = head.insertRow();
    current.columns.forEach(function (c) { var th = document.createElement("th"); th.textContent = c; tr_.appendChild(th); });
    current.rows.forEach(function (row) {
      var line = body.insertRow();
      current.columns.forEach(function (c) {
        var cell = line.insertCell(), term = row[c];
        var href = term && term.type === "uri" ? pageOf(term.value) : null;
        if (href) {
          var link = document.createElement("a");
          link.href = href;
          link.title = term.value;
          link.textContent = cellText(term);
          cell.appendChild(link);
        } else {
          cell.textContent = cellText(term);
        }
      });
    });
    $("explore-count").textContent = current.rows.length + " " + tr("rows", "rijen");
  }

  function showChart() {
    var select = $("explore-chart-column");
    if (!select.options.length) {
      current.columns.forEach(function (c) { select.add(new Option(c, c)); });
    }
    var column = select.value || current.columns[0];
    var counts = {};
    current.rows.forEach(function (row) {
      var key = cellText(row[column]) || "—";
      counts[key] = (counts[key] || 0) + 1;
    });
    var keys = Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a]; }).slice(0, 40);
    var chart = window.echarts.getInstanceByDom($("explore-chart")) || window.echarts.init($("explore-chart"));
    chart.setOption({
      tooltip: {},
      grid: { left: 200, right: 20 },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: keys.slice().reverse(), axisLabel: { width: 190, overflow: "truncate" } },
      series: [{ type: "bar", data: keys.slice().reverse().map(function (k) { return counts[k]; }) }],
    }, true);
  }

  function setView(view) {
    var chart = view === "chart";
    $("explore-view-table").setAttribute("aria-selected", String(!chart));
    $("explore-view-chart").setAttribute("aria-selected", String(chart));
    $("explore-table").hidden = chart;
    $("explore-chart-panel").hidden = !chart;
    if (chart) showChart();
  }

  function csvCell(text) { return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text; }

  /* CSV with the label and the IRI of each IRI column. */
  function downloadCsv() {
    var header = [];
    current.columns.forEach(function (c) { header.push(c, c + "_iri"); });
    var lines = [header.map(csvCell).join(",")];
    current.rows.forEach(function (row) {
      var cells = [];
      current.columns.forEach(function (c) {
        var term = row[c];
        cells.push(cellText(term), term && term.type === "uri" ? term.value : "");
      });
      lines.push(cells.map(csvCell).join(","));
    });
    offer(new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv" }), "explore.csv");
  }

  function offer(blob, name) {
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }

  function onSubmit(element) {
    if (!current.query) { element.enablePlayBtn(); return; }
    say("");
    runSparql(current.query)
      .then(function (data) {
        current.columns = data.head.vars;
        current.rows = data.results.bindings;
        var iris = new Set();
        current.rows.forEach(function (row) {
          Object.keys(row).forEach(function (k) { if (row[k].type === "uri") iris.add(row[k].value); });
        });
        return fetchLabels(Array.from(iris));
      })
      .then(function (labels) {
        current.labels = labels;
        $("explore-chart-column").innerHTML = "";
        $("explore-results").hidden = false;
        showTable();
        setView($("explore-view-chart").getAttribute("aria-selected") === "true" ? "chart" : "table");
      })
      .catch(function (error) { say(tr("The question failed: ", "De vraag mislukte: ") + error.message); })
      .finally(function () { element.enablePlayBtn(); });
  }

  /* The chosen values of single-value lists: they become the named query's parameters. */
  function chosenValues(query) {
    var chosen = [];
    (function walk(branches) {
      (branches || []).forEach(function (branch) {
        var line = branch.line || {};
        var iris = (line.values || []).filter(function (v) { return v.rdfTerm && v.rdfTerm.type === "uri"; });
        if (iris.length === 1) {
          chosen.push({ variable: line.o, iri: iris[0].rdfTerm.value, label: iris[0].label || "", class_iri: line.oType || null });
        }
        walk(branch.children);
      });
    })(query ? query.branches : []);
    return chosen;
  }

  function saveNamedQuery(event) {
    event.preventDefault();
    if (!current.query) { say(tr("Build a question first.", "Stel eerst een vraag samen.")); return; }
    var title = $("explore-title").value.trim();
    fetch(config.save, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sparql: current.query, title: title, chosen: chosenValues(current.json) }),
    }).then(function (response) {
      if (!response.ok) return response.json().then(function (e) { throw new Error(e.error); });
      var name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
      return response.blob().then(function (blob) { offer(blob, name ? name[1] : "explore-query.rq"); });
    }).catch(function (error) { say(error.message); });
  }

  function start() {
    var state = stateFromUrl();
    if (state.dropped) {
      say(state.dropped);
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    }
    var element = createBuilder();
    element.addEventListener("init", function () {
      element.customization = { autocomplete: { dataProvider: autocomplete } };
      if (state.query) {
        try {
          element.loadQuery(state.query);
        } catch (error) {
          element.clear();
          say(tr("The question in the link could not be opened (", "De vraag in de link kon niet worden geopend (") + error.message + ")");
        }
      }
      window.lcgraphExplore = { element: element, current: current, translatedLists: translatedLists };
    });
    element.addEventListener("queryUpdated", function (event) { onQueryUpdated(element, event); });
    element.addEventListener("submit", function () { onSubmit(element); });
    element.addEventListener("reset", function () { current.query = null; current.json = null; });
    $("explore-builder").appendChild(element);
    $("explore-view-table").addEventListener("click", function () { setView("table"); });
    $("explore-view-chart").addEventListener("click", function () { setView("chart"); });
    $("explore-chart-column").addEventListener("change", showChart);
    $("explore-csv").addEventListener("click", downloadCsv);
    $("explore-save").addEventListener("submit", saveNamedQuery);
  }

  start();
})();
