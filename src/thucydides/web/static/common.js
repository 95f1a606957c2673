/* Shared helpers of the dashboard pages. Plain JavaScript, no framework.
   Text from the store only ever reaches the page through textContent or attribute setters,
   never parsed as HTML. */
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";

/* An HTML element: el("a", {href: "/x", class: "y"}, "text", otherNode). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/* An SVG element with attributes; text children become text nodes. */
function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function setAttrs(node, attrs) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, String(value));
  }
}

/* GET a JSON API path, with TOKEN as a Bearer header when given (servers whose reads are
   closed). Throws an Error with the API's message on a 4xx/5xx. */
async function apiGet(path, params, token) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== null && value !== undefined && value !== "") query.set(name, value);
  }
  const headers = {Accept: "application/json"};
  if (token) headers.Authorization = "Bearer " + token;
  const url = query.toString() ? path + "?" + query : path;
  const response = await fetch(url, {headers});
  let body = null;
  try {
    body = await response.json();
  } catch (err) {
    body = null;
  }
  if (!response.ok) {
    const message = body && body.error && body.error.message;
    throw new Error(message || "the API answered " + response.status);
  }
  return body;
}

function actorLabel(actor) {
  if (!actor) return "–";
  const text = actor.text || actor.name || "";
  return actor.code ? (text ? actor.code + " (" + text + ")" : actor.code) : text || "–";
}

/* One line describing a merged event, linking to its page. */
function eventItem(event) {
  const link = el("a", {href: "/events/" + encodeURIComponent(event.cluster_id), class: "event-link"},
    actorLabel(event.source), " → ", event.cameo_name || event.cameo, " → ", actorLabel(event.target));
  const meta = el("span", {class: "meta"},
    " · ", event.date || "undated", " · Goldstein ", event.goldstein);
  const sentence = event.sentence ? el("div", {class: "sentence"}, event.sentence) : null;
  return el("li", {class: "q" + event.quad_class}, link, meta, sentence);
}

/* Every item of a paged list endpoint (the dashboard's lists are small). */
async function apiGetAll(path, params, limit) {
  const items = [];
  for (let page = 1; ; page++) {
    const body = await apiGet(path, {...params, page, page_size: 500});
    items.push(...body.items);
    if (items.length >= body.total || body.items.length === 0 || items.length >= (limit || 5000)) {
      return items;
    }
  }
}
