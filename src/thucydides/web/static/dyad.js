/* The dyad view: cooperation and conflict between two actors over time, from /api/dyad.
   Bars: counts of QuadClass 1-2 events above the axis, 3-4 below; a line of the mean
   Goldstein score. Clicking a period lists its events from /api/dyad/events. */
"use strict";

const chartBox = document.getElementById("chart");
const statusLine = document.getElementById("chart-status");

/* Rows of /api/dyad come per period and direction; the chart wants one column per period. */
function periodsOf(rows) {
  const byLabel = new Map();
  for (const row of rows) {
    let p = byLabel.get(row.label);
    if (!p) {
      p = {label: row.label, period: row.period, events: 0, coop: 0, conf: 0, goldsteinSum: 0};
      byLabel.set(row.label, p);
    }
    const n = row.events;
    p.events += n;
    p.coop += Math.round(n * ((row.q1 || 0) + (row.q2 || 0)));
    p.conf += Math.round(n * ((row.q3 || 0) + (row.q4 || 0)));
    p.goldsteinSum += row.goldstein_sum || 0;
  }
  const periods = [...byLabel.values()];
  periods.sort((x, y) => (x.period < y.period ? -1 : x.period > y.period ? 1 :
    x.label < y.label ? -1 : 1));
  for (const p of periods) p.goldstein = p.events ? p.goldsteinSum / p.events : 0;
  return periods;
}

function niceMax(value) {
  if (value <= 5) return 5;
  const step = Math.pow(10, Math.floor(Math.log10(value)));
  for (const m of [1, 2, 5, 10]) if (m * step >= value) return m * step;
  return 10 * step;
}

function drawChart(periods, query) {
  const width = Math.max(640, Math.min(1100, chartBox.clientWidth || 900));
  const height = 380;
  const margin = {left: 52, right: 52, top: 20, bottom: 56};
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const mid = margin.top + plotH / 2;
  const maxCount = niceMax(Math.max(1, ...periods.map((p) => Math.max(p.coop, p.conf))));
  const band = plotW / periods.length;
  const barW = Math.max(4, Math.min(48, band * 0.6));
  const yCount = (n) => (n / maxCount) * (plotH / 2);
  const yGold = (g) => mid - (g / 10) * (plotH / 2);

  const root = svg("svg", {
    id: "dyad-chart", viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
    "aria-label": `Cooperation and conflict between ${query.a} and ${query.b} by ${query.by}`,
  });
  // Grid and axes: counts on the left, Goldstein on the right.
  for (const f of [-1, -0.5, 0, 0.5, 1]) {
    const y = mid - f * (plotH / 2);
    root.append(svg("line", {x1: margin.left, x2: width - margin.right, y1: y, y2: y,
      class: f === 0 ? "axis" : "grid"}));
    root.append(svg("text", {x: margin.left - 6, y: y + 4, class: "tick", "text-anchor": "end"},
      Math.abs(f * maxCount)));
    root.append(svg("text", {x: width - margin.right + 6, y: y + 4, class: "tick gold-tick"},
      f * 10));
  }
  root.append(svg("text", {x: 12, y: margin.top + plotH / 4, class: "axis-label",
    transform: `rotate(-90 12 ${margin.top + plotH / 4})`, "text-anchor": "middle"}, "cooperation"));
  root.append(svg("text", {x: 12, y: margin.top + (3 * plotH) / 4, class: "axis-label",
    transform: `rotate(-90 12 ${margin.top + (3 * plotH) / 4})`, "text-anchor": "middle"},
    "conflict"));

  const labelEvery = Math.max(1, Math.ceil(periods.length / Math.floor(plotW / 70)));
  const points = [];
  periods.forEach((p, i) => {
    const cx = margin.left + band * (i + 0.5);
    const group = svg("g", {class: "period", "data-label": p.label, tabindex: 0,
      role: "button", "aria-label": `${p.label}: ${p.coop} cooperative, ${p.conf} conflictual`});
    group.append(svg("title", {}, `${p.label}: ${p.events} events, ${p.coop} cooperative, ` +
      `${p.conf} conflictual, mean Goldstein ${p.goldstein.toFixed(2)}`));
    // A full-height transparent target makes small bars easy to click.
    group.append(svg("rect", {x: cx - band / 2, y: margin.top, width: band, height: plotH,
      class: "hit"}));
    if (p.coop) group.append(svg("rect", {x: cx - barW / 2, y: mid - yCount(p.coop), width: barW,
      height: yCount(p.coop), class: "bar coop"}));
    if (p.conf) group.append(svg("rect", {x: cx - barW / 2, y: mid, width: barW,
      height: yCount(p.conf), class: "bar conf"}));
    if (i % labelEvery === 0) {
      group.append(svg("text", {x: cx, y: height - margin.bottom + 18, class: "tick",
        "text-anchor": "middle"}, p.label));
    }
    group.addEventListener("click", () => selectPeriod(group, p, query));
    group.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" || ev.key === " ") selectPeriod(group, p, query);
    });
    root.append(group);
    points.push([cx, yGold(p.goldstein), p, group]);
  });
  if (points.length > 1) {
    root.append(svg("polyline", {class: "gold-line", fill: "none",
      points: points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(" ")}));
  }
  for (const [x, y, p, group] of points) {
    const dot = svg("circle", {cx: x, cy: y, r: 4.5, class: "gold-point", "data-label": p.label});
    dot.append(svg("title", {}, `${p.label}: mean Goldstein ${p.goldstein.toFixed(2)}`));
    dot.addEventListener("click", () => selectPeriod(group, p, query));
    root.append(dot);
  }
  root.append(svg("text", {x: margin.left + plotW / 2, y: height - 10, class: "axis-label",
    "text-anchor": "middle"}, `${query.a} ↔ ${query.b}, by ${query.by}`));
  chartBox.replaceChildren(root);
}

async function selectPeriod(group, period, query) {
  for (const g of chartBox.querySelectorAll(".period.selected")) g.classList.remove("selected");
  group.classList.add("selected");
  const section = document.getElementById("period-events");
  const list = document.getElementById("period-list");
  document.getElementById("period-title").textContent =
    `${query.a} ↔ ${query.b} in ${period.label}`;
  list.replaceChildren(el("li", {class: "loading"}, "Loading…"));
  section.hidden = false;
  try {
    const events = await apiGetAll("/api/dyad/events",
      {a: query.a, b: query.b, period_label: period.label, by: query.by});
    list.replaceChildren(...events.map(eventItem));
    if (!events.length) list.replaceChildren(el("li", {}, "No events."));
    section.dataset.loaded = period.label;
  } catch (err) {
    list.replaceChildren(el("li", {class: "error"}, err.message));
  }
}

/* The rows of /api/dyad this chart shows, as CSV (RFC 4180 quoting), offered as a file. */
const CSV_COLUMNS = ["period", "label", "direction", "events", "goldstein_sum",
  "goldstein_mean", "q1", "q2", "q3", "q4"];

function csvField(value) {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

function offerCsv(rows, query) {
  const lines = [CSV_COLUMNS.join(",")];
  for (const row of rows) lines.push(CSV_COLUMNS.map((c) => csvField(row[c])).join(","));
  const blob = new Blob([lines.join("\r\n") + "\r\n"], {type: "text/csv"});
  const link = document.getElementById("dyad-download");
  if (link.href) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(blob);
  link.download = `dyad-${query.a}-${query.b}-${query.by || "month"}.csv`;
  link.hidden = false;
}

async function loadDyad() {
  const query = {a: chartBox.dataset.a, b: chartBox.dataset.b, by: chartBox.dataset.by,
    since: chartBox.dataset.since, until: chartBox.dataset.until};
  if (!query.a || !query.b) return;
  statusLine.textContent = "Loading…";
  try {
    const body = await apiGet("/api/dyad", query);
    const periods = periodsOf(body.rows || []);
    if (!periods.length) {
      chartBox.replaceChildren(el("p", {class: "hint"},
        `No dated events between ${query.a} and ${query.b}.`));
      statusLine.textContent = "";
      return;
    }
    drawChart(periods, query);
    offerCsv(body.rows, query);
    const total = periods.reduce((n, p) => n + p.events, 0);
    statusLine.textContent = `${total} events in ${periods.length} periods. ` +
      "Click a bar or point to list its events.";
  } catch (err) {
    statusLine.textContent = "";
    chartBox.replaceChildren(el("p", {class: "error"}, err.message));
  }
}

loadDyad();
