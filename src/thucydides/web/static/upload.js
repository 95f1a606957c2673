/* The upload form: POST /api/documents with XMLHttpRequest (for its upload progress events),
   the token as a Bearer header, then the new events with links. */
"use strict";

const form = document.getElementById("upload-form");
const bar = document.getElementById("progress");
const upStatus = document.getElementById("upload-status");
const result = document.getElementById("upload-result");
const newEvents = document.getElementById("new-events");
const rejectedList = document.getElementById("rejected");
const maxBytes = Number(document.currentScript.dataset.maxBytes || 0);

function send(body, token) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/documents");
    xhr.setRequestHeader("Authorization", "Bearer " + token);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (ev) => {
      if (ev.lengthComputable) bar.value = Math.round((100 * ev.loaded) / ev.total);
    });
    xhr.upload.addEventListener("load", () => {
      bar.value = 100;
      upStatus.textContent = "Uploaded; coding the article…";
    });
    xhr.addEventListener("load", () => {
      let answer = null;
      try {
        answer = JSON.parse(xhr.responseText);
      } catch (err) {
        answer = null;
      }
      resolve({status: xhr.status, answer});
    });
    xhr.addEventListener("error", () => reject(new Error("the upload failed (network error)")));
    xhr.send(body);
  });
}

function fileName(title) {
  const stem = (title || "pasted").replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, 60) || "pasted";
  return stem + ".txt";
}

async function showEvents(answer, token) {
  const ids = [];
  for (const docId of answer.doc_ids || []) {
    const doc = await apiGet("/api/documents/" + encodeURIComponent(docId), {}, token);
    ids.push(...(doc.events || []));
  }
  const unique = [...new Set(ids)];
  const events = [];
  for (const id of unique) events.push(await apiGet("/api/events/" + encodeURIComponent(id), {}, token));
  newEvents.replaceChildren(...events.map(eventItem));
  if (!events.length) newEvents.replaceChildren(el("li", {}, "No events were coded."));
  rejectedList.replaceChildren(...(answer.rejected || []).map((r) =>
    el("li", {class: "error"}, `${r.code}: ${r.message}` + (r.location ? ` (${r.location})` : ""))));
  result.hidden = false;
}

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const token = document.getElementById("token").value.trim();
  const file = document.getElementById("file").files[0];
  const text = document.getElementById("text").value;
  result.hidden = true;
  if (!file && !text.trim()) {
    upStatus.textContent = "Choose a file or paste some text.";
    return;
  }
  const title = document.getElementById("title").value.trim();
  const data = new FormData();
  data.append("file", file || new Blob([text], {type: "text/plain"}),
    file ? file.name : fileName(title));
  for (const name of ["date", "title", "url"]) {
    const value = document.getElementById(name).value.trim();
    if (value) data.append(name, value);
  }
  if (maxBytes && (file ? file.size : new Blob([text]).size) > maxBytes) {
    upStatus.textContent = `Too large: at most ${maxBytes} bytes.`;
    return;
  }
  bar.hidden = false;
  bar.value = 0;
  upStatus.textContent = "Uploading…";
  form.querySelector("button").disabled = true;
  try {
    const {status, answer} = await send(data, token);
    if (status >= 200 && status < 300 && answer) {
      upStatus.textContent = `Stored ${answer.documents} document(s), ${answer.events} event(s).`;
      await showEvents(answer, token);
    } else {
      const message = answer && answer.error && answer.error.message;
      upStatus.textContent = `Refused (${status}): ${message || "no details"}`;
    }
  } catch (err) {
    upStatus.textContent = err.message;
  } finally {
    form.querySelector("button").disabled = false;
  }
});
