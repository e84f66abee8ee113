// bibliomap app: uploads with progress, live run progress (server-sent events), the term verification table.
// User text is only ever put into the page with textContent.
"use strict";

const csrf = () => document.querySelector('meta[name="csrf"]').content;

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

// --- uploads ------------------------------------------------------------------------
function uploadOne(url, file, row) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    const bar = row.querySelector("progress");
    const note = row.querySelector(".note");
    xhr.open("PUT", url + "?name=" + encodeURIComponent(file.name));
    xhr.setRequestHeader("X-CSRF-Token", csrf());
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) { bar.max = e.total; bar.value = e.loaded; } };
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = { error: xhr.statusText }; }
      if (xhr.status === 200) { bar.value = bar.max; note.textContent = "uploaded as " + body.name; row.classList.add("ok"); resolve(true); }
      else { note.textContent = body.error || ("failed: " + xhr.status); row.classList.add("error"); resolve(false); }
    };
    xhr.onerror = () => { note.textContent = "upload failed (connection)"; row.classList.add("error"); resolve(false); };
    xhr.send(file);
  });
}

async function uploadFiles(section, files) {
  const list = document.getElementById("upload-list");
  const max = Number(section.dataset.max);
  let ok = 0;
  for (const file of files) {
    const row = el("li", null, "upload");
    row.append(el("span", file.name, "name"), el("progress"), el("span", "", "note"));
    list.append(row);
    if (file.size > max) {
      row.querySelector(".note").textContent = "over the upload limit of " + max.toLocaleString() + " bytes";
      row.classList.add("error");
      continue;
    }
    if (await uploadOne(section.dataset.uploadUrl, file, row)) ok++;
  }
  if (ok > 0) {
    // read and merge what was uploaded (the ingest form is on the reloaded page)
    const form = document.createElement("form");
    form.method = "post";
    form.action = section.dataset.uploadUrl.replace(/\/upload$/, "/ingest");
    const input = el("input"); input.type = "hidden"; input.name = "csrf"; input.value = csrf();
    form.append(input); document.body.append(form);
    list.append(el("li", "starting to read and merge the files…", "busy"));
    form.submit();  // the reloaded page follows the ingest's progress
  }
}

function setupUpload() {
  const section = document.getElementById("upload");
  if (!section) return;
  const input = document.getElementById("file-input");
  const zone = document.getElementById("dropzone");
  input.addEventListener("change", () => uploadFiles(section, Array.from(input.files)));
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", (e) => { e.preventDefault(); zone.classList.remove("over"); uploadFiles(section, Array.from(e.dataTransfer.files)); });
}

// --- run progress -------------------------------------------------------------------
function setupJobs() {
  document.querySelectorAll("section.job[data-events]").forEach((section) => {
    const source = new EventSource(section.dataset.events);
    source.onmessage = (e) => {
      const job = JSON.parse(e.data);
      section.dataset.status = job.status;
      const status = section.querySelector(".job-status");
      status.textContent = job.status;
      status.className = "job-status status-" + job.status;
      const bar = section.querySelector("progress");
      bar.max = job.total; bar.value = job.steps.length;
      section.querySelector(".job-message").textContent = job.message;
      const body = section.querySelector("tbody");
      const done = job.steps.map((s) => {
        const tr = el("tr", null, "status-" + s.status);
        tr.append(el("td", s.title), el("td", s.status), el("td", s.seconds.toFixed(2), "num"), el("td", s.message));
        return tr;
      });
      const waiting = job.pending.map((title, i) => {
        const tr = el("tr", null, "status-pending");
        tr.append(el("td", title), el("td", i === 0 && job.status === "running" ? "running" : "waiting"), el("td"), el("td"));
        return tr;
      });
      body.replaceChildren(...done, ...waiting);
      if (job.final) { source.close(); window.setTimeout(() => window.location.reload(), 300); }
    };
    source.onerror = () => { source.close(); window.setTimeout(() => window.location.reload(), 2000); };
  });
}

// --- ingest progress: poll the running ingest, reload when it ends ----------------------
function setupIngestProgress() {
  const section = document.getElementById("ingest-progress");
  if (!section) return;
  const timer = window.setInterval(async () => {
    let s;
    try { const res = await fetch(section.dataset.poll, { headers: { "Accept": "application/json" } }); s = await res.json(); }
    catch (err) { return; }  // try again at the next tick
    section.querySelector("progress").value = s.fraction;
    section.querySelector(".ingest-percent").textContent = Math.round(s.fraction * 100) + "%";
    section.querySelector(".ingest-message").textContent = s.message;
    if (s.elapsed !== undefined) section.querySelector(".ingest-elapsed").textContent = Math.round(s.elapsed) + " s";
    if (s.final) { window.clearInterval(timer); window.location.reload(); }
  }, 400);
}

// --- search progress: poll the running search, reload when it ends ----------------------
function setupSearches() {
  document.querySelectorAll("section.search[data-poll]").forEach((section) => {
    const timer = window.setInterval(async () => {
      let s;
      try { const res = await fetch(section.dataset.poll, { headers: { "Accept": "application/json" } }); s = await res.json(); }
      catch (err) { return; }  // try again at the next tick
      const bar = section.querySelector("progress");
      if (s.target) { bar.max = s.target; bar.value = s.records; }
      section.querySelector(".search-count").textContent = s.records.toLocaleString("en") + " records fetched" +
        (s.total === null ? "" : " of " + s.total.toLocaleString("en") + " found");
      section.querySelector(".search-message").textContent = s.message;
      if (s.final) { window.clearInterval(timer); window.location.reload(); }
    }, 1000);
  });
}

// --- term verification --------------------------------------------------------------
function setupTerms() {
  const root = document.getElementById("verify");
  if (!root) return;
  const rows = JSON.parse(document.getElementById("terms-data").textContent);
  rows.forEach((r) => { r.mark = false; });
  const body = root.querySelector("tbody");
  const search = document.getElementById("term-search");
  const pageSize = 50;
  let page = 0, sortKey = "occurrences", sortDir = -1, query = "";

  const shown = () => {
    const q = query.toLowerCase();
    const list = rows.filter((r) => !q || r.term.toLowerCase().includes(q) || (r.merge || "").toLowerCase().includes(q));
    list.sort((a, b) => {
      const x = a[sortKey], y = b[sortKey];
      if (x === y) return a.term < b.term ? -1 : a.term > b.term ? 1 : 0;
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      return (x < y ? -1 : 1) * sortDir;
    });
    return list;
  };

  function render() {
    const list = shown();
    const pages = Math.max(1, Math.ceil(list.length / pageSize));
    page = Math.min(page, pages - 1);
    body.replaceChildren(...list.slice(page * pageSize, (page + 1) * pageSize).map((r) => {
      const tr = el("tr");
      tr.dataset.term = r.term;
      const mark = el("input"); mark.type = "checkbox"; mark.className = "mark"; mark.checked = r.mark;
      mark.addEventListener("change", () => { r.mark = mark.checked; });
      const keep = el("input"); keep.type = "checkbox"; keep.className = "keep"; keep.checked = r.keep;
      keep.addEventListener("change", () => { r.keep = keep.checked; tr.classList.toggle("dropped", !r.keep); });
      const c1 = el("td"); c1.append(mark);
      const c6 = el("td"); c6.append(keep);
      tr.append(c1, el("td", r.term, "term"), el("td", r.occurrences ?? "—", "num"), el("td", r.relevance ?? "—", "num"),
        el("td", r.selected === null ? "—" : (r.selected ? "yes" : (r.counted_as ? "as " + r.counted_as : "no")), "selected"),
        c6, el("td", r.merge || "", "merge"));
      tr.classList.toggle("dropped", !r.keep);
      return tr;
    }));
    document.getElementById("page-info").textContent = "page " + (page + 1) + " of " + pages;
    document.getElementById("term-count").textContent = list.length + " of " + rows.length + " terms";
  }

  search.addEventListener("input", () => { query = search.value; page = 0; render(); });
  document.getElementById("prev-page").addEventListener("click", () => { page = Math.max(0, page - 1); render(); });
  document.getElementById("next-page").addEventListener("click", () => { page += 1; render(); });
  root.querySelectorAll("th[data-key]").forEach((th) => th.addEventListener("click", () => {
    const key = th.dataset.key;
    sortDir = key === sortKey ? -sortDir : (key === "term" || key === "merge" ? 1 : -1);
    sortKey = key; render();
  }));
  document.getElementById("merge").addEventListener("click", () => {
    const label = document.getElementById("merge-label").value.trim();
    const marked = rows.filter((r) => r.mark);
    const status = document.getElementById("save-status");
    if (marked.length < 1) { status.textContent = "mark the terms to merge and type their label (an empty label undoes a merge)"; return; }
    marked.forEach((r) => { r.merge = label; r.keep = true; r.mark = false; });
    status.textContent = marked.length + (label ? " term(s) merged into the label" : " term(s) no longer merged") + " (not saved yet)";
    render();
  });
  document.getElementById("save-terms").addEventListener("click", async () => {
    const status = document.getElementById("save-status");
    const choices = rows.map((r) => ({ term: r.term, keep: r.keep, merge: r.merge || "" }));
    const res = await fetch(root.dataset.saveUrl, {
      method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf(), "Accept": "application/json" },
      body: JSON.stringify({ choices }),
    });
    const body = await res.json();
    status.textContent = res.ok ? ("saved: " + body.dropped + " dropped, " + body.merged + " merged; run the study again to apply") : body.error;
  });
  render();
}

// --- settings: live counts of the items that meet a threshold (as VOSviewer's wizard) ---------
function setupCounts() {
  const meeting = (hist, min) => Object.entries(hist).reduce((n, [k, v]) => n + (Number(k) >= min ? v : 0), 0);
  document.querySelectorAll(".live-count").forEach((out) => {
    const hist = JSON.parse(out.dataset.hist);
    const total = Object.values(hist).reduce((a, b) => a + b, 0);
    if (out.dataset.mode === "keep") {  // terms kept: a share (keep) or a number (n_terms) of those meeting the threshold
      const inputs = ["terms.min_occurrences", "terms.keep", "terms.n_terms"].map((id) => document.getElementById(id));
      const update = () => {
        const [min, keep, n] = inputs.map((i) => Number(i.value));
        const m = meeting(hist, min);
        const kept = n > 0 ? Math.min(m, n) : Math.ceil(keep * m - 1e-9);
        out.textContent = "up to " + kept.toLocaleString("en") + " of the " + m.toLocaleString("en") + " " + out.dataset.noun +
          " meeting the threshold are kept, the most relevant first";
      };
      inputs.forEach((i) => i.addEventListener("input", update));
      update();
      return;
    }
    const input = document.getElementById(out.dataset.for);
    const update = () => {
      out.textContent = meeting(hist, Number(input.value)).toLocaleString("en") + " of " + total.toLocaleString("en") + " " +
        out.dataset.noun + " meet the threshold";
    };
    input.addEventListener("input", update);
    update();
  });
}

// --- result tables: click a header to sort (numbers as numbers) ----------------------------
function setupSortable() {
  document.querySelectorAll("table.sortable-static").forEach((table) => {
    const body = table.tBodies[0];
    const mark = table.dataset.decimal || ".";  // a report section writes numbers in the report's language: "0,3286"
    const asNumber = (text) => Number(mark === "," ? text.replace(/\./g, "").replace(/,/g, ".") : text);
    let col = -1, dir = 1;
    table.querySelectorAll("thead th").forEach((th, i) => th.addEventListener("click", () => {
      dir = i === col ? -dir : 1; col = i;
      const key = (tr) => tr.cells[i] ? tr.cells[i].textContent : "";
      const rows = Array.from(body.rows);
      rows.sort((a, b) => {
        const x = key(a), y = key(b), nx = asNumber(x), ny = asNumber(y);
        const numeric = x !== "" && y !== "" && !Number.isNaN(nx) && !Number.isNaN(ny);
        return (numeric ? nx - ny : x.localeCompare(y)) * dir;
      });
      body.replaceChildren(...rows);
      const top = Number(table.closest("[data-top]")?.dataset.top || 0);  // a section's table shows its first rows
      if (top) rows.forEach((tr, k) => tr.classList.toggle("more", k >= top));
    }));
  });
  document.querySelectorAll(".result-table button.show-all").forEach((button) => button.addEventListener("click", () => {
    const box = button.closest(".result-table");
    box.classList.toggle("expanded");
    button.textContent = box.classList.contains("expanded") ? button.dataset.less : button.dataset.label;
  }));
  document.querySelectorAll(".result-table button.show-all").forEach((b) => { b.dataset.label = b.textContent; });
}

document.addEventListener("DOMContentLoaded", () => { setupUpload(); setupIngestProgress(); setupJobs(); setupSearches(); setupTerms(); setupCounts(); setupSortable(); });
