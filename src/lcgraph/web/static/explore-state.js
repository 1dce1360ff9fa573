/*
 * /explore: the builder's state in the URL (#state=<JSON>), checked before Sparnatural sees
 * it (issue 16). A state that does not parse, that names terms the configuration lacks, or
 * whose lines lack the fields of Sparnatural's query format is dropped with a message saying
 * why, so the builder opens empty instead of failing. Used by static/explore.js.
 */
(function () {
  "use strict";

  /* The terms a Sparnatural query names (classes and property shapes), depth first. */
  function namedTerms(query) {
    var terms = [];
    (function walk(branches) {
      (Array.isArray(branches) ? branches : []).forEach(function (branch) {
        var line = (branch && branch.line) || {};
        [line.sType, line.p, line.oType].forEach(function (t) { if (t) terms.push(String(t)); });
        walk(branch && branch.children);
      });
    })(query.branches);
    return terms;
  }

  /*
   * What keeps `query` from being a Sparnatural question (Query JSON format): "" when none.
   * Sparnatural's loadQuery trusts its input and fails later, out of reach of a try/catch,
   * on a line without its fields; so the shape is checked here, before it is loaded.
   */
  function shapeProblem(query) {
    function isText(v) { return typeof v === "string"; }
    if (!Array.isArray(query.variables) || !query.variables.every(function (v) { return v && isText(v.value); })) {
      return "variables";
    }
    var problem = "";
    (function walk(branches, where) {
      if (!Array.isArray(branches)) { problem = problem || where; return; }
      branches.forEach(function (branch, i) {
        var line = branch && branch.line, at = where + "[" + i + "]";
        var optional = ["p", "o", "oType"]; // empty (or absent) while a line is unfinished
        if (!line || typeof line !== "object" || !isText(line.s) || !line.sType || !isText(line.sType) ||
            !optional.every(function (f) { return line[f] === undefined || isText(line[f]); }) ||
            !Array.isArray(line.values) || !line.values.every(function (v) { return v && typeof v === "object"; })) {
          problem = problem || at + ".line";
          return;
        }
        walk(branch.children, at + ".children");
      });
    })(query.branches, "branches");
    return problem;
  }

  /*
   * The state in the URL fragment `hash`, checked: {query}, {dropped: message} or {} (none).
   * `known` holds the configuration's terms; `tr(en, nl)` picks the page language.
   */
  function fromUrl(hash, known, tr) {
    var match = /(?:^#|&)state=([^&]*)/.exec(hash);
    if (!match) return {};
    var query;
    try {
      query = JSON.parse(decodeURIComponent(match[1]));
    } catch (error) {
      return { dropped: tr("The question in the link could not be read (", "De vraag in de link kon niet worden gelezen (") + error.message + tr("); the builder starts empty.", "); de vraagbouwer begint leeg.") };
    }
    if (!query || typeof query !== "object" || !Array.isArray(query.branches)) {
      return { dropped: tr("The link holds no builder question; the builder starts empty.", "De link bevat geen vraag voor de vraagbouwer; de vraagbouwer begint leeg.") };
    }
    var unknown = namedTerms(query).filter(function (t) { return !known.has(t); });
    if (unknown.length) {
      return { dropped: tr("Dropped the question in the link: these terms are not in the ontology: ", "De vraag in de link is weggelaten: deze termen staan niet in de ontologie: ") + Array.from(new Set(unknown)).join(", ") };
    }
    var problem = shapeProblem(query);
    if (problem) {
      return { dropped: tr("The question in the link is not one the builder can open (at " + problem + "); the builder starts empty.", "De vraag in de link kan de vraagbouwer niet openen (bij " + problem + "); de vraagbouwer begint leeg.") };
    }
    return { query: query };
  }

  window.lcgraphExploreState = { fromUrl: fromUrl, namedTerms: namedTerms, shapeProblem: shapeProblem };
})();
