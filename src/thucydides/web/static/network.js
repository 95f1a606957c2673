/* The country network for a period, from /api/network: countries on a circle, one curved
   arrow per directed pair, width by events and colour by mean Goldstein. Clicking an edge
   opens the events of that dyad. */
"use strict";

const box = document.getElementById("network");
const netStatus = document.getElementById("network-status");

/* Red for -10, grey for 0, green for +10. */
function goldsteinColour(g) {
  const t = Math.max(-1, Math.min(1, (g || 0) / 10));
  const grey = [150, 150, 150];
  const end = t < 0 ? [200, 40, 40] : [30, 150, 70];
  const mix = grey.map((c, i) => Math.round(c + (end[i] - c) * Math.abs(t)));
  return `rgb(${mix.join(",")})`;
}

function drawNetwork(edges, query) {
  const totals = new Map();
  for (const e of edges) {
    totals.set(e.source, (totals.get(e.source) || 0) + e.events);
    if (e.target !== e.source) totals.set(e.target, (totals.get(e.target) || 0) + e.events);
  }
  const nodes = [...totals.keys()].sort((x, y) => totals.get(y) - totals.get(x) || (x < y ? -1 : 1));
  const size = 640;
  const centre = size / 2;
  const radius = nodes.length > 1 ? size / 2 - 80 : 0;
  const place = new Map();
  nodes.forEach((name, i) => {
    const angle = (2 * Math.PI * i) / nodes.length - Math.PI / 2;
    place.set(name, {x: centre + radius * Math.cos(angle), y: centre + radius * Math.sin(angle),
      angle});
  });
  const maxEvents = Math.max(1, ...edges.map((e) => e.events));
  const maxTotal = Math.max(1, ...totals.values());
  const nodeR = (name) => 8 + 14 * Math.sqrt(totals.get(name) / maxTotal);

  const root = svg("svg", {id: "network-chart", viewBox: `0 0 ${size} ${size}`, width: size,
    height: size, role: "img", "aria-label": "Country network"});
  const defs = svg("defs");
  root.append(defs);
  const edgeLayer = svg("g", {class: "edges"});
  const nodeLayer = svg("g", {class: "nodes"});
  root.append(edgeLayer, nodeLayer);

  edges.forEach((e, i) => {
    const colour = goldsteinColour(e.goldstein_mean);
    const width = 1 + 9 * Math.sqrt(e.events / maxEvents);
    const markerId = "arrow-" + i;
    defs.append(svg("marker", {id: markerId, viewBox: "0 0 10 10", refX: 9, refY: 5,
      markerWidth: 5, markerHeight: 5, orient: "auto-start-reverse",
      markerUnits: "userSpaceOnUse", "stroke-width": 0},
      svg("path", {d: "M0,0 L10,5 L0,10 z", fill: colour})));
    const a = place.get(e.source);
    const b = place.get(e.target);
    let d;
    if (e.source === e.target) {
      // A loop outside the circle for events inside one country.
      const ox = centre + (radius + 34) * Math.cos(a.angle);
      const oy = centre + (radius + 34) * Math.sin(a.angle);
      d = `M${a.x},${a.y} C${ox - 22},${oy - 22} ${ox + 22},${oy + 22} ${a.x},${a.y}`;
    } else {
      // Bend each direction to its own side so A->B and B->A stay apart; stop at the node.
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const len = Math.hypot(dx, dy) || 1;
      const bend = 0.18 * len;
      const mx = (a.x + b.x) / 2 - (dy / len) * bend;
      const my = (a.y + b.y) / 2 + (dx / len) * bend;
      const ex = b.x - ((b.x - mx) / Math.hypot(b.x - mx, b.y - my)) * (nodeR(e.target) + 3);
      const ey = b.y - ((b.y - my) / Math.hypot(b.x - mx, b.y - my)) * (nodeR(e.target) + 3);
      d = `M${a.x.toFixed(1)},${a.y.toFixed(1)} Q${mx.toFixed(1)},${my.toFixed(1)} ` +
        `${ex.toFixed(1)},${ey.toFixed(1)}`;
    }
    const params = new URLSearchParams({dyad: e.source + "," + e.target});
    if (query.since) params.set("since", query.since);
    if (query.until) params.set("until", query.until);
    const link = svg("a", {href: "/events?" + params, class: "edge-link"});
    const path = svg("path", {d, class: "edge", fill: "none", stroke: colour,
      "stroke-width": width.toFixed(1), "marker-end": `url(#${markerId})`,
      "data-source": e.source, "data-target": e.target});
    path.append(svg("title", {}, `${e.source} → ${e.target}: ${e.events} events, ` +
      `mean Goldstein ${Number(e.goldstein_mean).toFixed(2)}`));
    link.append(path);
    edgeLayer.append(link);
  });

  for (const name of nodes) {
    const p = place.get(name);
    const g = svg("g", {class: "node", "data-country": name});
    g.append(svg("circle", {cx: p.x, cy: p.y, r: nodeR(name)}));
    const lx = centre + (radius + (nodes.length > 1 ? 52 : 0)) * Math.cos(p.angle);
    const ly = centre + (radius + (nodes.length > 1 ? 52 : 0)) * Math.sin(p.angle);
    // Labels sit outside the circle, anchored away from it so they never cover a node.
    const cos = Math.cos(p.angle);
    const anchor = nodes.length < 2 || Math.abs(cos) < 0.3 ? "middle" : cos > 0 ? "start" : "end";
    g.append(svg("text", {x: lx - 30 * cos, y: ly + 4, "text-anchor": anchor, class: "node-label"},
      name));
    g.append(svg("title", {}, `${name}: ${totals.get(name)} events`));
    nodeLayer.append(g);
  }
  box.replaceChildren(root);
}

async function loadNetwork() {
  const query = {since: box.dataset.since, until: box.dataset.until,
    min_events: box.dataset.minEvents};
  netStatus.textContent = "Loading…";
  try {
    const body = await apiGet("/api/network", query);
    const edges = body.edges || [];
    if (!edges.length) {
      box.replaceChildren(el("p", {class: "hint"}, "No pairs of countries with that many events in this period."));
      netStatus.textContent = "";
      return;
    }
    drawNetwork(edges, query);
    const countries = new Set(edges.flatMap((e) => [e.source, e.target]));
    netStatus.textContent = `${countries.size} countries, ${edges.length} directed pairs. ` +
      "Click an edge to see its events.";
  } catch (err) {
    netStatus.textContent = "";
    box.replaceChildren(el("p", {class: "error"}, err.message));
  }
}

loadNetwork();
