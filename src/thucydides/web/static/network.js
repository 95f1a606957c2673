/* The country network for a period, from /api/network: countries on a circle, one curved
   arrow per directed pair, width by events and colour by mean Goldstein. Clicking an edge
   opens the events of that dyad. Labels are codes, cut when long; a node's title gives the
   code, the country's or organisation's name and its events. */
"use strict";

const box = document.getElementById("network");
const netStatus = document.getElementById("network-status");
const LABEL_CHARS = 8;  // a longer code is cut (IGOUNESC…); its title has it whole

/* Red for -10, grey for 0, green for +10. */
function goldsteinColour(g) {
  const t = Math.max(-1, Math.min(1, (g || 0) / 10));
  const grey = [150, 150, 150];
  const end = t < 0 ? [200, 40, 40] : [30, 150, 70];
  const mix = grey.map((c, i) => Math.round(c + (end[i] - c) * Math.abs(t)));
  return `rgb(${mix.join(",")})`;
}

/* LABEL cut to MAX characters with an ellipsis; the full text goes in the node's title. */
function shortLabel(label, max) {
  return label.length > max ? label.slice(0, max - 1) + "…" : label;
}

function drawNetwork(edges, names, query) {
  const totals = new Map();
  for (const e of edges) {
    totals.set(e.source, (totals.get(e.source) || 0) + e.events);
    if (e.target !== e.source) totals.set(e.target, (totals.get(e.target) || 0) + e.events);
  }
  const nodes = [...totals.keys()].sort((x, y) => totals.get(y) - totals.get(x) || (x < y ? -1 : 1));
  const size = 680;
  const centre = size / 2;
  // Room outside the circle for the largest node, a loop and a label of LABEL_CHARS.
  const radius = nodes.length > 1 ? size / 2 - 110 : 0;
  const place = new Map();
  nodes.forEach((name, i) => {
    const angle = (2 * Math.PI * i) / nodes.length - Math.PI / 2;
    place.set(name, {x: centre + radius * Math.cos(angle), y: centre + radius * Math.sin(angle),
      angle});
  });
  const maxEvents = Math.max(1, ...edges.map((e) => e.events));
  const maxTotal = Math.max(1, ...totals.values());
  // Nodes of at most 22 px, smaller (and edges thinner) when the circle is crowded, so that
  // nodes do not cover each other.
  const crowded = (0.45 * 2 * Math.PI * radius) / nodes.length / 22;
  const scale = nodes.length > 1 ? Math.min(1, crowded) : 1;
  const nodeR = (name) => scale * (8 + 14 * Math.sqrt(totals.get(name) / maxTotal));

  const root = svg("svg", {id: "network-chart", viewBox: `0 0 ${size} ${size}`, width: size,
    height: size, role: "img", "aria-label": "Country network"});
  const defs = svg("defs");
  root.append(defs);
  const edgeLayer = svg("g", {class: "edges"});
  const nodeLayer = svg("g", {class: "nodes"});
  root.append(edgeLayer, nodeLayer);

  edges.forEach((e, i) => {
    const colour = goldsteinColour(e.goldstein_mean);
    const width = 1 + 9 * scale * Math.sqrt(e.events / maxEvents);
    const markerId = "arrow-" + i;
    defs.append(svg("marker", {id: markerId, viewBox: "0 0 10 10", refX: 9, refY: 5,
      markerWidth: 5, markerHeight: 5, orient: "auto-start-reverse",
      markerUnits: "userSpaceOnUse", "stroke-width": 0},
      svg("path", {d: "M0,0 L10,5 L0,10 z", fill: colour})));
    const a = place.get(e.source);
    const b = place.get(e.target);
    let d;
    if (e.source === e.target) {
      // A loop inside the circle for events inside one country (outside is for labels).
      const ox = centre + (radius - 40) * Math.cos(a.angle);
      const oy = centre + (radius - 40) * Math.sin(a.angle);
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

  // Labels sit outside the circle of nodes, beyond the largest node: horizontal beside their
  // node while there are few, along the radius (like the spokes of a wheel) when there are
  // many, so that neighbours' labels do not run into each other or over a node.
  const radial = nodes.length > 12;
  const maxR = Math.max(...nodes.map(nodeR));
  // The room each radial label has across: a smaller font when the circle is crowded.
  const spacing = (2 * Math.PI * (radius + maxR + 8)) / nodes.length;
  const labelClass = "node-label" + (!radial ? "" : spacing < 12 ? " tiny" : spacing < 16 ?
    " small" : "");
  for (const name of nodes) {
    const p = place.get(name);
    const g = svg("g", {class: "node", "data-country": name});
    g.append(svg("circle", {cx: p.x, cy: p.y, r: nodeR(name)}));
    const cos = Math.cos(p.angle);
    const sin = Math.sin(p.angle);
    const label = shortLabel(name, LABEL_CHARS);
    let text;
    if (nodes.length < 2) {
      text = svg("text", {x: p.x, y: p.y - nodeR(name) - 8, "text-anchor": "middle",
        class: "node-label"}, label);
    } else if (radial) {
      const r = radius + maxR + 8;
      const flip = cos < 0;  // the left half reads outwards from the right end
      const deg = (p.angle * 180) / Math.PI + (flip ? 180 : 0);
      const lx = centre + r * cos;
      const ly = centre + r * sin;
      text = svg("text", {x: lx.toFixed(1), y: ly.toFixed(1), dy: "0.35em",
        "text-anchor": flip ? "end" : "start", class: labelClass,
        transform: `rotate(${deg.toFixed(1)} ${lx.toFixed(1)} ${ly.toFixed(1)})`}, label);
    } else {
      const r = radius + nodeR(name) + 10;
      const lx = centre + r * cos;
      const ly = centre + r * sin;
      const anchor = Math.abs(cos) < 0.3 ? "middle" : cos > 0 ? "start" : "end";
      const dy = Math.abs(cos) < 0.3 ? (sin < 0 ? "-0.2em" : "0.9em") : "0.35em";
      text = svg("text", {x: lx.toFixed(1), y: ly.toFixed(1), dy, "text-anchor": anchor,
        class: "node-label"}, label);
    }
    g.append(text);
    const full = names[name] ? `${name} (${names[name]})` : name;
    const count = totals.get(name);
    g.append(svg("title", {}, `${full}: ${count} event${count === 1 ? "" : "s"}`));
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
    drawNetwork(edges, body.names || {}, query);
    const countries = new Set(edges.flatMap((e) => [e.source, e.target]));
    netStatus.textContent = `${countries.size} countries, ${edges.length} directed pairs. ` +
      "Click an edge to see its events.";
  } catch (err) {
    netStatus.textContent = "";
    box.replaceChildren(el("p", {class: "error"}, err.message));
  }
}

loadNetwork();
