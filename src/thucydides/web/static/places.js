/* The places view: where events happened, from /api/places, as circles on an
   equirectangular frame (x = longitude, y = latitude) with a graticule, fitted to the places
   or the whole world. No tiles and no coastlines: nothing is fetched but our own API. A
   circle's area is its event count; hovering shows the place and count, clicking links to
   the event list of that place. */
"use strict";

const mapBox = document.getElementById("places");
const placesStatus = document.getElementById("places-status");
const placeInfo = document.getElementById("place-info");
const MAP = {width: 960, height: 480, left: 40, top: 14, right: 14, bottom: 26};
const WORLD = {west: -180, east: 180, south: -90, north: 90};

/* The filters in the page's form, as the API takes them (empty ones left out). */
function formFilters() {
  const filters = {};
  for (const input of document.querySelectorAll("#places-form input[name]")) {
    if (input.value.trim()) filters[input.name] = input.value.trim();
  }
  return filters;
}

/* The part of the world that holds ITEMS with a margin, in whole multiples of 10 degrees and
   2:1 like the frame (a degree of longitude as wide as one of latitude is tall). */
function fitted(items) {
  if (!items.length) return WORLD;
  const lons = items.map((p) => p.longitude);
  const lats = items.map((p) => p.latitude);
  let west = Math.floor((Math.min(...lons) - 5) / 10) * 10;
  let east = Math.ceil((Math.max(...lons) + 5) / 10) * 10;
  let south = Math.floor((Math.min(...lats) - 5) / 10) * 10;
  let north = Math.ceil((Math.max(...lats) + 5) / 10) * 10;
  const width = Math.max(east - west, 2 * (north - south), 40);
  const height = width / 2;
  const midLon = (west + east) / 2;
  const midLat = (south + north) / 2;
  if (width >= 360) return WORLD;
  west = Math.max(-180, Math.min(180 - width, midLon - width / 2));
  south = Math.max(-90, Math.min(90 - height, midLat - height / 2));
  return {west, east: west + width, south, north: south + height};
}

function projector(view) {
  const sx = MAP.width / (view.east - view.west);
  const sy = MAP.height / (view.north - view.south);
  return (lon, lat) => [MAP.left + (lon - view.west) * sx, MAP.top + (view.north - lat) * sy];
}

function degrees(value, positive, negative) {
  if (value === 0) return "0°";
  return `${Math.abs(value)}°${value > 0 ? positive : negative}`;
}

/* The frame of VIEW: its sea, and graticule lines every 30, 10 or 5 degrees as it is wide. */
function frame(view, project) {
  const root = svg("svg", {id: "places-map", role: "img", "aria-label": "Places of events",
    viewBox: `0 0 ${MAP.left + MAP.width + MAP.right} ${MAP.top + MAP.height + MAP.bottom}`,
    width: MAP.left + MAP.width + MAP.right, height: MAP.top + MAP.height + MAP.bottom,
    "data-west": view.west, "data-east": view.east, "data-south": view.south,
    "data-north": view.north});
  root.append(svg("rect", {x: MAP.left, y: MAP.top, width: MAP.width, height: MAP.height,
    class: "ocean"}));
  const span = view.east - view.west;
  const step = span > 120 ? 30 : span > 40 ? 10 : 5;
  const grid = svg("g", {class: "graticules"});
  for (let lon = Math.ceil(view.west / step) * step; lon <= view.east; lon += step) {
    const [x] = project(lon, 0);
    grid.append(svg("line", {x1: x, x2: x, y1: MAP.top, y2: MAP.top + MAP.height,
      class: lon === 0 ? "graticule major" : "graticule"}));
    grid.append(svg("text", {x, y: MAP.top + MAP.height + 16, class: "tick",
      "text-anchor": "middle"}, degrees(lon, "E", "W")));
  }
  for (let lat = Math.ceil(view.south / step) * step; lat <= view.north; lat += step) {
    const [, y] = project(0, lat);
    grid.append(svg("line", {x1: MAP.left, x2: MAP.left + MAP.width, y1: y, y2: y,
      class: lat === 0 ? "graticule major" : "graticule"}));
    grid.append(svg("text", {x: MAP.left - 4, y: y + 4, class: "tick", "text-anchor": "end"},
      degrees(lat, "N", "S")));
  }
  root.append(grid);
  return root;
}

function eventsLink(place, filters) {
  const params = new URLSearchParams({...filters, place: place.name});
  return "/events?" + params;
}

function showPlace(mark, place, filters) {
  for (const other of mapBox.querySelectorAll(".place.selected")) other.classList.remove("selected");
  mark.classList.add("selected");
  const where = place.country ? `${place.name} (${place.country})` : place.name;
  const count = `${place.events} event${place.events === 1 ? "" : "s"}`;
  placeInfo.replaceChildren(
    el("strong", {}, where), ` · ${count} · `,
    el("a", {href: eventsLink(place, filters), id: "place-events"}, "list the events of " +
      place.name));
  placeInfo.hidden = false;
}

function drawPlaces(items, filters, view) {
  const project = projector(view);
  const root = frame(view, project);
  const layer = svg("g", {class: "places"});
  const most = Math.max(1, ...items.map((p) => p.events));
  // The busiest first, so smaller circles are drawn over them and stay clickable.
  const ordered = [...items].sort((x, y) => y.events - x.events);
  for (const place of ordered) {
    const [cx, cy] = project(place.longitude, place.latitude);
    const r = 3 + 15 * Math.sqrt(place.events / most);
    const where = place.country ? `${place.name} (${place.country})` : place.name;
    const mark = svg("circle", {cx: cx.toFixed(1), cy: cy.toFixed(1), r: r.toFixed(1),
      class: "place", tabindex: 0, role: "button", "data-name": place.name,
      "data-country": place.country || "", "data-events": place.events,
      "aria-label": `${where}: ${place.events} events`});
    mark.append(svg("title", {}, `${where}: ${place.events} event${place.events === 1 ? "" : "s"}`));
    mark.addEventListener("click", () => showPlace(mark, place, filters));
    mark.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" || ev.key === " ") showPlace(mark, place, filters);
    });
    layer.append(mark);
  }
  root.append(layer);
  mapBox.replaceChildren(root);
}

async function loadPlaces() {
  const filters = formFilters();
  const extent = document.getElementById("places-extent");
  placesStatus.textContent = "Loading…";
  try {
    const body = await apiGet("/api/places", {...filters, limit: 5000});
    let world = false;
    const draw = () => {
      drawPlaces(body.items, filters, world ? WORLD : fitted(body.items));
      extent.textContent = world ? "Fit to the places" : "Whole world";
    };
    extent.onclick = () => {
      world = !world;
      draw();
    };
    extent.hidden = !body.items.length;
    draw();
    const shown = body.items.length < body.total ? ` (the busiest ${body.items.length} shown)` : "";
    placesStatus.textContent = `${body.located} events at ${body.total} places${shown}; ` +
      `${body.unlocated} events without a known place.`;
  } catch (err) {
    placesStatus.textContent = "";
    mapBox.replaceChildren(el("p", {class: "error"}, err.message));
  }
}

loadPlaces();
