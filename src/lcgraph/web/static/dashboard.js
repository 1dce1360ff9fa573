// /dashboard (templates/dashboard.html): fetch each panel's named query (queries/analysis-*.rq)
// from this service's own /api/queries as SPARQL JSON and draw it with ECharts (vendored, see
// scripts/install-web-assets.sh).
// window.lcgraphDashboard.done resolves when every panel is drawn; .error holds a failure.
(function () {
  "use strict";
  const script = document.currentScript;
  const lang = (script && script.dataset.lang) || "en";
  const tr = (en, nl) => (lang === "nl" ? nl : en);
  const panels = JSON.parse(document.getElementById("dashboard-panels").textContent);
  const state = { charts: {}, error: null };
  window.lcgraphDashboard = state;

  async function select(name) {
    const response = await fetch(panels[name], {
      headers: { "Accept": "application/sparql-results+json" },
    });
    if (!response.ok) {
      throw new Error(name + ": " + panels[name] + " answered " + response.status);
    }
    const json = await response.json();
    return json.results.bindings.map((row) => {
      const plain = {};
      for (const key of Object.keys(row)) plain[key] = row[key].value;
      return plain;
    });
  }

  const num = (value) => (value === undefined ? null : Number(value));
  const fixed = (value, digits) => (value === null ? "–" : value.toFixed(digits));

  function chart(id) {
    const made = echarts.init(document.getElementById(id), null, { renderer: "canvas" });
    window.addEventListener("resize", () => made.resize());
    state.charts[id] = made;
    return made;
  }

  // a sector by its notation (the topsector's code), as the heat map's axes show it
  const sectorPairs = (rows) => rows.map((r) => Object.assign({}, r, {
    from: r.fromNotation || r.fromSector, to: r.toNotation || r.toSector,
  }));

  // one row per stakeholder (the query gives one per brokerage role), the first 20 in its order
  function topBrokers(rows) {
    const seen = new Set();
    return rows.filter((r) => !seen.has(r.stakeholder) && seen.add(r.stakeholder)).slice(0, 20);
  }

  function drawMatrix(rows, measure) {
    const sectors = [...new Set(rows.map((r) => r.from))].sort();
    const data = rows.map((r) => [sectors.indexOf(r.to), sectors.indexOf(r.from), num(r[measure])]);
    const values = data.map((d) => d[2]).filter((v) => v !== null);
    const heat = state.charts["sector-heatmap"] || chart("sector-heatmap");
    heat.setOption({
      animation: false,
      tooltip: {
        formatter: (p) => sectors[p.value[1]] + " × " + sectors[p.value[0]] + ": " +
          (p.value[2] === null ? "–" : Number(p.value[2]).toPrecision(3)),
      },
      grid: { left: 60, right: 20, top: 10, bottom: 90 },
      xAxis: { type: "category", data: sectors, axisLabel: { rotate: 45 }, splitArea: { show: true } },
      yAxis: { type: "category", data: sectors, splitArea: { show: true } },
      visualMap: {
        min: 0, max: Math.max(1e-9, ...values), calculable: true, orient: "horizontal",
        left: "center", bottom: 0, inRange: { color: ["#f7fbff", "#6baed6", "#08306b"] },
      },
      series: [{ type: "heatmap", data: data, label: { show: sectors.length <= 10,
        formatter: (p) => (p.value[2] === null ? "" : Number(p.value[2]).toFixed(2)), fontSize: 9 } }],
    }, true);
  }

  function drawBrokers(rows) {
    const top = rows.slice(0, 15).reverse();
    const names = top.map((r) => r.label || r.stakeholder.split("/").pop());
    const roles = [
      ["coordinatorCount", tr("coordinator", "coördinator")],
      ["itinerantCount", tr("itinerant", "rondreizend")],
      ["gatekeeperRepresentativeCount", tr("gatekeeper/representative", "poortwachter/vertegenwoordiger")],
      ["liaisonCount", "liaison"],
    ];
    chart("broker-chart").setOption({
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 150, right: 20, top: 40, bottom: 30 },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: names, axisLabel: { width: 140, overflow: "truncate" } },
      series: roles.map(([key, name]) => ({
        name: name, type: "bar", stack: "roles", data: top.map((r) => num(r[key])),
      })),
    });
    const body = document.querySelector("#brokers tbody");
    body.replaceChildren(...rows.map((r) => {
      const tr_ = document.createElement("tr");
      const link = document.createElement("a");
      link.href = r.stakeholder;
      link.textContent = r.label || r.stakeholder;
      const first = document.createElement("td");
      first.appendChild(link);
      tr_.appendChild(first);
      const cells = [r.brokerageCount, r.coordinatorCount, r.itinerantCount,
        r.gatekeeperRepresentativeCount, r.liaisonCount,
        fixed(num(r.betweenness), 4), fixed(num(r.constraint), 3)];
      for (const value of cells) {
        const td = document.createElement("td");
        td.className = "n";
        td.textContent = value === undefined ? "–" : value;
        tr_.appendChild(td);
      }
      return tr_;
    }));
  }

  function drawGaps(rows) {
    const list = document.getElementById("gaps");
    list.replaceChildren(...rows.map((r) => {
      const item = document.createElement("li");
      const key = r.gap.split("/").pop();
      let text = r.label ||
        (r.gapKind === "uncovered-cell" ? tr("no community: ", "geen leergemeenschap: ") + key.replace("--", " × ") : key);
      if (r.participationShare !== undefined) text += " (" + (100 * num(r.participationShare)).toFixed(1) + " %)";
      if (r.confirmed !== undefined) text += r.confirmed === "true" ? tr(" – confirmed", " – bevestigd") : tr(" – not confirmed", " – niet bevestigd");
      item.textContent = text;
      item.dataset.kind = r.gapKind;
      return item;
    }));
    if (rows.length === 0) list.textContent = tr("No gaps found.", "Geen leemtes gevonden.");
  }

  function drawSummary(rows) {
    const run = rows[0];
    const summary = document.getElementById("run-summary");
    if (!run) { summary.textContent = tr("No analysis run found.", "Geen analyserun gevonden."); return; }
    summary.textContent = [
      tr("Run", "Run") + " " + run.run.split("/").pop() + (run.ended ? " (" + run.ended + ")" : ""),
      run.stakeholderCount + " " + tr("stakeholders", "belanghebbenden"),
      run.communityCount + " " + tr("communities", "leergemeenschappen"),
      run.participationCount + " " + tr("participations", "deelnames"),
      "E-I " + fixed(num(run.eiIndex), 3),
      "NMI " + fixed(num(run.nmi), 3), "ARI " + fixed(num(run.ari), 3),
      tr("betweenness sample", "steekproef tussenliggendheid") + " " + (run.betweennessSample || tr("none (exact)", "geen (exact)")),
    ].join(" · ");
  }

  async function main() {
    const [matrix, brokers, gaps, run] = await Promise.all(
      ["matrix", "brokers", "gaps", "run"].map(select));
    const measure = document.getElementById("matrix-measure");
    const pairs = sectorPairs(matrix);
    drawMatrix(pairs, measure.value);
    measure.addEventListener("change", () => drawMatrix(pairs, measure.value));
    drawBrokers(topBrokers(brokers));
    drawGaps(gaps);
    drawSummary(run);
  }

  state.done = main().catch((error) => {
    state.error = String(error);
    document.getElementById("run-summary").textContent = state.error;
    throw error;
  });
})();
