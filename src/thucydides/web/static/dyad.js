/* The dyad view: events between two actors over time, from /api/dyad, and optionally a
   second dyad to compare, all on one true time axis.

   Each direction (A->B, B->A) has a panel of its own. A period is drawn where its dates are,
   so a gap of years is a gap on the chart, and every period of a chart has one granularity:
   rows of a coarser precision (events dated only to "2007" in a monthly chart) are counted in
   the status line, not drawn. Per period: QuadClass 1 and 2 stacked above the panel's axis,
   3 and 4 below, and the mean Goldstein as a line. Clicking a period lists its events. */
"use strict";

const chartBox = document.getElementById("chart");
const statusLine = document.getElementById("chart-status");
const QUADS = [1, 2, 3, 4];
const QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
  4: "material conflict"};
const DAY = 86400000;
const YEAR = 365.25 * DAY;
const MONTH = YEAR / 12;
const PANEL = {title: 24, plot: 150, ticks: 30};  // heights of a panel's parts, px
const PERIOD_MS = {day: DAY, week: 7 * DAY, month: MONTH, year: YEAR};
const MIN_PERIODS = 12;  // the narrowest time axis, in periods
const COARSER = {day: ["week", "month", "year"], week: ["month", "year"], month: ["year"],
  year: []};

/* Milliseconds (UTC) of an ISO day "2012-03-05". */
function dayMs(iso) {
  const [y, m, d] = iso.split("-").map(Number);
  return Date.UTC(y, m - 1, d);
}

/* The first instant after the period of unit BY that starts at START. */
function periodEnd(start, by) {
  const d = new Date(start);
  if (by === "day") return start + DAY;
  if (by === "week") return start + 7 * DAY;
  if (by === "month") return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return Date.UTC(d.getUTCFullYear() + 1, 0, 1);
}

function pad2(n) {
  return String(n).padStart(2, "0");
}

/* The panels of one /api/dyad answer at granularity BY: one per direction, A->B first, each
   with its periods in time order; and the rows not drawn (coarser precision). */
function panelsOf(body, by) {
  const directions = [[body.a, body.b], [body.b, body.a]];
  if (body.a === body.b) directions.pop();  // events inside one actor: one direction
  const panels = directions.map(([source, target]) => ({
    source, target, direction: `${source}->${target}`, dyad: `${body.a}-${body.b}`,
    periods: [],
  }));
  const shown = [];
  const skipped = {events: 0, precisions: new Set()};
  for (const row of body.rows || []) {
    if (row.precision !== by) {
      skipped.events += row.events;
      skipped.precisions.add(row.precision);
      continue;
    }
    const panel = panels.find((p) => p.direction === row.direction);
    if (!panel || !row.events) continue;
    shown.push(row);
    const start = dayMs(row.period);
    panel.periods.push({
      label: row.label, start, end: periodEnd(start, by), events: row.events,
      counts: QUADS.map((q) => Math.round(row.events * (row[`q${q}`] || 0))),
      goldstein: row.goldstein_mean || 0,
    });
  }
  for (const panel of panels) panel.periods.sort((x, y) => x.start - y.start);
  return {body, panels, shown, skipped};
}

function niceMax(value) {
  if (value <= 5) return 5;
  const step = Math.pow(10, Math.floor(Math.log10(value)));
  for (const m of [1, 2, 5, 10]) if (m * step >= value) return m * step;
  return 10 * step;
}

/* Ticks [time, label] between LO and HI, at most about MAX of them: years, months or days. */
function timeTicks(lo, hi, max) {
  const span = hi - lo;
  const ticks = [];
  if (span >= 2 * YEAR) {
    const step = [1, 2, 5, 10, 20, 25, 50, 100, 250, 500].find((s) => span / (s * YEAR) <= max)
      || 1000;
    const first = Math.ceil(new Date(lo).getUTCFullYear() / step) * step;
    for (let y = first; Date.UTC(y, 0, 1) <= hi; y += step) {
      if (Date.UTC(y, 0, 1) >= lo) ticks.push([Date.UTC(y, 0, 1), String(y)]);
    }
  } else if (span >= 2 * MONTH) {
    const step = [1, 2, 3, 6, 12].find((s) => span / (s * MONTH) <= max) || 12;
    const d = new Date(lo);
    for (let m = d.getUTCMonth(); Date.UTC(d.getUTCFullYear(), m, 1) <= hi; m += 1) {
      const t = Date.UTC(d.getUTCFullYear(), m, 1);
      const at = new Date(t);
      if (t >= lo && at.getUTCMonth() % step === 0) {
        ticks.push([t, `${at.getUTCFullYear()}-${pad2(at.getUTCMonth() + 1)}`]);
      }
    }
  } else {
    const step = [1, 2, 7, 14, 28].find((s) => span / (s * DAY) <= max) || 28;
    for (let t = Math.ceil(lo / DAY) * DAY; t <= hi; t += step * DAY) {
      const at = new Date(t);
      ticks.push([t, `${at.getUTCFullYear()}-${pad2(at.getUTCMonth() + 1)}-${pad2(at.getUTCDate())}`]);
    }
  }
  return ticks;
}

function drawChart(series, query) {
  const panels = series.flatMap((s) => s.panels);
  const periods = panels.flatMap((p) => p.periods);
  let lo = Math.min(...periods.map((p) => p.start));
  let hi = Math.max(...periods.map((p) => p.end));
  // At least MIN_PERIODS wide, centred on the events: one busy month is not the whole width.
  const least = MIN_PERIODS * PERIOD_MS[query.by];
  if (hi - lo < least) {
    const mid = (lo + hi) / 2;
    lo = mid - least / 2;
    hi = mid + least / 2;
  }
  const width = Math.max(640, Math.min(1100, chartBox.clientWidth || 900));
  const margin = {left: 56, right: 52, top: 6, bottom: 8};
  const plotW = width - margin.left - margin.right;
  const block = PANEL.title + PANEL.plot + PANEL.ticks;
  const height = margin.top + panels.length * block + margin.bottom;
  const x = (t) => margin.left + ((t - lo) / (hi - lo)) * plotW;
  const half = PANEL.plot / 2;
  const maxCount = niceMax(Math.max(1, ...periods.map((p) =>
    Math.max(p.counts[0] + p.counts[1], p.counts[2] + p.counts[3]))));
  const yCount = (n) => (n / maxCount) * half;
  const ticks = timeTicks(lo, hi, Math.max(2, Math.floor(plotW / 90)));

  const names = series.map((s) => `${s.body.a} and ${s.body.b}`).join(", compared with ");
  const root = svg("svg", {
    id: "dyad-chart", viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
    "aria-label": `Events between ${names} by ${query.by}`,
    "data-by": query.by, "data-from": new Date(lo).toISOString().slice(0, 10),
    "data-to": new Date(hi).toISOString().slice(0, 10),
  });
  panels.forEach((panel, index) => {
    const top = margin.top + index * block;
    const plotTop = top + PANEL.title;
    const mid = plotTop + half;
    const yGold = (g) => mid - (g / 10) * half;
    const group = svg("g", {class: "panel", "data-direction": panel.direction,
      "data-dyad": panel.dyad});
    const total = panel.periods.reduce((n, p) => n + p.events, 0);
    group.append(svg("text", {x: margin.left, y: top + 16, class: "panel-title"},
      `${panel.source} → ${panel.target}`,
      svg("tspan", {class: "panel-count", dx: 8}, `${total} event${total === 1 ? "" : "s"}`)));
    for (const f of [-1, -0.5, 0, 0.5, 1]) {
      const y = mid - f * half;
      group.append(svg("line", {x1: margin.left, x2: width - margin.right, y1: y, y2: y,
        class: f === 0 ? "axis" : "grid"}));
      if (Number.isInteger(f * maxCount)) {  // counts are whole: no "2.5" tick
        group.append(svg("text", {x: margin.left - 6, y: y + 4, class: "tick",
          "text-anchor": "end"}, Math.abs(f * maxCount)));
      }
      if (f !== 0.5 && f !== -0.5) {
        group.append(svg("text", {x: width - margin.right + 6, y: y + 4,
          class: "tick gold-tick"}, f * 10));
      }
    }
    group.append(svg("text", {x: 12, y: mid - half / 2, class: "axis-label",
      transform: `rotate(-90 12 ${mid - half / 2})`, "text-anchor": "middle"}, "coop."));
    group.append(svg("text", {x: 12, y: mid + half / 2, class: "axis-label",
      transform: `rotate(-90 12 ${mid + half / 2})`, "text-anchor": "middle"}, "conflict"));
    for (const [t, label] of ticks) {
      group.append(svg("line", {x1: x(t), x2: x(t), y1: plotTop, y2: plotTop + PANEL.plot,
        class: "grid time-grid"}));
      group.append(svg("text", {x: x(t), y: plotTop + PANEL.plot + 16, class: "tick time-tick",
        "text-anchor": "middle"}, label));
    }
    const points = [];
    for (const p of panel.periods) {
      const x0 = x(p.start);
      const x1 = x(p.end);
      const cx = (x0 + x1) / 2;
      const barW = Math.max(2, (x1 - x0) * 0.8);
      const quads = QUADS.map((q, i) => `${p.counts[i]} ${QUAD_NAMES[q]}`).join(", ");
      const cell = svg("g", {class: "period", "data-label": p.label,
        "data-direction": panel.direction, "data-x0": x0.toFixed(2), "data-x1": x1.toFixed(2),
        tabindex: 0, role: "button", "aria-label": `${panel.direction} ${p.label}: ${quads}`});
      cell.append(svg("title", {}, `${panel.source} → ${panel.target}, ${p.label}: ` +
        `${p.events} events (${quads}); mean Goldstein ${p.goldstein.toFixed(2)}`));
      // A full-height transparent target (at least 6 px) makes thin periods easy to click.
      const hitW = Math.max(6, x1 - x0);
      cell.append(svg("rect", {x: cx - hitW / 2, y: plotTop, width: hitW, height: PANEL.plot,
        class: "hit"}));
      let up = 0;
      let down = 0;
      QUADS.forEach((q, i) => {
        const h = yCount(p.counts[i]);
        if (!h) return;
        const y = q <= 2 ? mid - up - h : mid + down;
        if (q <= 2) up += h; else down += h;
        cell.append(svg("rect", {x: cx - barW / 2, y, width: barW, height: h,
          class: `bar q${q}`, "data-quad": q, "data-count": p.counts[i]}));
      });
      cell.addEventListener("click", () => selectPeriod(cell, panel, p, query));
      cell.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" || ev.key === " ") selectPeriod(cell, panel, p, query);
      });
      group.append(cell);
      points.push([cx, yGold(p.goldstein), p, cell]);
    }
    // The Goldstein line joins adjacent periods only: it does not bridge a gap in time.
    let run = [];
    const flush = () => {
      if (run.length > 1) {
        group.append(svg("polyline", {class: "gold-line", fill: "none",
          points: run.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(" ")}));
      }
      run = [];
    };
    points.forEach((point, i) => {
      if (i > 0 && points[i - 1][2].end !== point[2].start) flush();
      run.push(point);
    });
    flush();
    for (const [px, py, p, cell] of points) {
      const dot = svg("circle", {cx: px, cy: py, r: 4, class: "gold-point", "data-label": p.label});
      dot.append(svg("title", {}, `${p.label}: mean Goldstein ${p.goldstein.toFixed(2)}`));
      dot.addEventListener("click", () => selectPeriod(cell, panel, p, query));
      group.append(dot);
    }
    root.append(group);
  });
  chartBox.replaceChildren(root);
}

async function selectPeriod(cell, panel, period, query) {
  for (const g of chartBox.querySelectorAll(".period.selected")) g.classList.remove("selected");
  cell.classList.add("selected");
  const section = document.getElementById("period-events");
  const list = document.getElementById("period-list");
  document.getElementById("period-title").textContent =
    `${panel.source} → ${panel.target} in ${period.label}`;
  list.replaceChildren(el("li", {class: "loading"}, "Loading…"));
  section.hidden = false;
  try {
    const events = await apiGetAll("/api/dyad/events", {a: panel.source, b: panel.target,
      directed: true, period_label: period.label, by: query.by, level: query.level});
    list.replaceChildren(...events.map(eventItem));
    if (!events.length) list.replaceChildren(el("li", {}, "No events."));
    section.dataset.loaded = period.label;
  } catch (err) {
    list.replaceChildren(el("li", {class: "error"}, err.message));
  }
}

/* The rows of /api/dyad this chart shows, as CSV (RFC 4180 quoting), offered as a file. */
const CSV_COLUMNS = ["period", "label", "precision", "direction", "events", "goldstein_sum",
  "goldstein_mean", "q1", "q2", "q3", "q4"];

function csvField(value) {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

function offerCsv(series, query) {
  const lines = [CSV_COLUMNS.join(",")];
  for (const s of series) {
    for (const row of s.shown) lines.push(CSV_COLUMNS.map((c) => csvField(row[c])).join(","));
  }
  const blob = new Blob([lines.join("\r\n") + "\r\n"], {type: "text/csv"});
  const link = document.getElementById("dyad-download");
  if (link.href) URL.revokeObjectURL(link.href);
  link.href = URL.createObjectURL(blob);
  const names = series.map((s) => `${s.body.a}-${s.body.b}`).join("-vs-");
  link.download = `dyad-${names}-${query.by}.csv`;
  link.hidden = false;
}

function describeSkipped(series, by) {
  const events = series.reduce((n, s) => n + s.skipped.events, 0);
  if (!events) return "";
  const precisions = new Set(series.flatMap((s) => [...s.skipped.precisions]));
  const coarsest = COARSER[by].filter((p) => precisions.has(p)).pop() || "year";
  return ` ${events} ${events === 1 ? "event is" : "events are"} dated less precisely than ` +
    `a ${by} and not drawn; choose by ${coarsest} to see ${events === 1 ? "it" : "them"}.`;
}

async function loadDyad() {
  const data = chartBox.dataset;
  const query = {by: data.by || "month", level: data.level, since: data.since, until: data.until};
  const pairs = [[data.a, data.b], [data.c, data.d]].filter(([a, b]) => a && b);
  if (!data.a || !data.b) return;
  statusLine.textContent = "Loading…";
  try {
    const bodies = await Promise.all(pairs.map(([a, b]) => apiGet("/api/dyad",
      {a, b, by: query.by, level: query.level, since: query.since, until: query.until})));
    const series = bodies.map((body) => panelsOf(body, query.by));
    const periods = series.flatMap((s) => s.panels.flatMap((p) => p.periods));
    const skipped = describeSkipped(series, query.by);
    const names = bodies.map((b) => `${b.a} and ${b.b}`).join(" or ");
    if (!periods.length) {
      chartBox.replaceChildren(el("p", {class: "hint"}, `No dated events between ${names}.`));
      statusLine.textContent = skipped.trim();
      document.getElementById("dyad-download").hidden = true;
      return;
    }
    drawChart(series, query);
    offerCsv(series, query);
    const total = periods.reduce((n, p) => n + p.events, 0);
    const auto = data.byChoice === "auto" ? " (chosen from the span)" : "";
    const levels = bodies.map((b) => b.level).filter((v, i, all) => all.indexOf(v) === i);
    statusLine.textContent = `${total} events by ${query.by}${auto}, actors by ` +
      `${levels.join("; ")}.${skipped} Click a period to list its events.`;
  } catch (err) {
    statusLine.textContent = "";
    chartBox.replaceChildren(el("p", {class: "error"}, err.message));
  }
}

loadDyad();
