// aligner review: one row a bead, keyboard first. Only the rows in view are in the DOM, so
// a 30,000-bead alignment opens and scrolls like a short one. Texts go in as textContent,
// never as HTML: they are hostile until proven otherwise.
"use strict";

const ROW_H = 64;
const BUFFER = 8;
let state = { version: null, beads: [], undo: 0, redo: 0 };
let shown = [];        // indices of the beads the filter lets through, in order
let cursor = 0;        // position in `shown`
let queue = [];        // likely-wrong beads, most likely first
let busy = false;
let confirmedCount = 0;
let rowCache = new Map();  // "version|bead|position" -> its row element

const $ = (id) => document.getElementById(id);
const viewport = $("viewport"), rowsEl = $("rows"), spacer = $("spacer");

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

function colour(score) {
  // red (0) through amber to green (1)
  const h = Math.round(Math.max(0, Math.min(1, score)) * 120);
  return `hsl(${h}, 70%, 85%)`;
}

function likely(b) {
  return b.status !== "confirmed" && (b.flags.length > 0 || b.score < 0.5);
}

function buildQueue() {
  queue = [];
  state.beads.forEach((b, k) => { if (b.status !== "confirmed") queue.push(k); });
  confirmedCount = state.beads.length - queue.length;
  queue.sort((a, b) => {
    const fa = state.beads[a].flags.length > 0 ? 0 : 1, fb = state.beads[b].flags.length > 0 ? 0 : 1;
    return fa - fb || state.beads[a].score - state.beads[b].score || a - b;
  });
}

function applyFilter(keepBead) {
  const f = $("filter").value, q = $("search").value.trim().toLowerCase();
  shown = [];
  state.beads.forEach((b, k) => {
    if (f === "flagged" && !b.flags.length) return;
    if (f === "likely" && !likely(b)) return;
    if (f === "unconfirmed" && b.status === "confirmed") return;
    if (f === "confirmed" && b.status !== "confirmed") return;
    if (q && !(b.src.toLowerCase().includes(q) || b.tgt.toLowerCase().includes(q))) return;
    shown.push(k);
  });
  spacer.style.height = `${shown.length * ROW_H}px`;
  let pos = 0;
  if (keepBead !== undefined && keepBead !== null) {
    // the first shown bead at or after the one the cursor was on
    let lo = 0, hi = shown.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (shown[mid] < keepBead) lo = mid + 1; else hi = mid; }
    pos = Math.min(lo, Math.max(0, shown.length - 1));
  }
  cursor = pos;
  render();
}

function currentBead() { return shown.length ? shown[cursor] : null; }

function render() {
  const top = viewport.scrollTop, height = viewport.clientHeight || 600;
  // the column heads line up with the rows whatever the scroll bar takes
  $("head").style.paddingRight = `calc(0.8em + ${viewport.offsetWidth - viewport.clientWidth}px)`;
  const first = Math.max(0, Math.floor(top / ROW_H) - BUFFER);
  const last = Math.min(shown.length, Math.ceil((top + height) / ROW_H) + BUFFER);
  // rows still in view are kept, not rebuilt: less work a frame, and an element under the
  // pointer stays the same element while the list scrolls
  const next = new Map(), els = [];
  for (let p = first; p < last; p++) {
    const key = `${state.version}|${shown[p]}|${p}`;
    const r = rowCache.get(key) || row(p);
    r.classList.toggle("cursor", p === cursor);
    next.set(key, r);
    els.push(r);
  }
  rowCache = next;
  rowsEl.replaceChildren(...els);
  $("stats").textContent = `${state.beads.length} beads · ${confirmedCount} confirmed · ` +
    `${shown.length} shown · version ${state.version}`;
  detail();
}

function row(p) {
  const k = shown[p], b = state.beads[k];
  const r = el("div", "row bead");
  r.dataset.bead = k;
  r.dataset.status = b.status;
  r.style.transform = `translateY(${p * ROW_H}px)`;
  if (b.status === "confirmed") r.classList.add("confirmed");
  r.appendChild(el("span", "n", k + 1));
  const s = el("span", "score", b.score.toFixed(2));
  s.style.background = colour(b.score);
  r.appendChild(s);
  r.appendChild(el("span", "kind", b.kind));
  r.appendChild(el("span", "status", b.status === "confirmed" ? "✓ confirmed" : "auto"));
  const zh = el("span", "zh");
  // the speaker once, where the turn starts, and not where the sentence itself begins with it
  const prev = k > 0 ? state.beads[k - 1].speaker : null;
  if (b.speaker && b.speaker !== prev && !b.src.startsWith(b.speaker)) {
    zh.appendChild(el("b", "speaker", b.speaker));
  }
  zh.appendChild(document.createTextNode(b.src));
  r.appendChild(zh);
  r.appendChild(el("span", "en", b.tgt));
  const fl = el("span", "flags", b.flags.join(" "));
  fl.title = b.reasons.join("\n");
  r.appendChild(fl);
  r.dataset.pos = p;
  return r;
}

function detail() {
  const d = $("detail");
  const k = currentBead();
  if (k === null) { d.replaceChildren(el("p", null, "no bead matches the filter")); return; }
  const b = state.beads[k];
  const head = el("p", "meta", `bead ${k + 1} · ${b.kind} · confidence ${b.score.toFixed(3)} · ` +
    `${b.status}` + (b.speaker ? ` · ${b.speaker}` : "") +
    ` · zh ${b.src_ids.join(",") || "–"} / en ${b.tgt_ids.join(",") || "–"}`);
  const parts = [head, el("p", "zh", b.src || "(no Chinese)"), el("p", "en", b.tgt || "(no English)")];
  for (const r of b.reasons) parts.push(el("p", "reason", r));
  d.replaceChildren(...parts);
  if (b.flags.length && !b.reasons.length) fetchReasons(k);
}

const asked = new Set();
async function fetchReasons(k) {
  // flags written by aligner run come without their reasons: the server works them out
  const key = `${state.version}:${k}`;
  if (asked.has(key)) return;
  asked.add(key);
  const resp = await fetch(`/api/reasons?bead=${k}`, { credentials: "same-origin" });
  if (!resp.ok) return;
  const data = await resp.json();
  if (data.version !== state.version) return;
  state.beads[k].reasons = data.reasons;
  if (currentBead() === k) detail();
  const r = rowsEl.querySelector(`[data-bead="${k}"] .flags`);
  if (r) r.title = data.reasons.join("\n");
}

function scrollToCursor(centre) {
  detail();  // first: the detail pane's height decides the viewport's
  const y = cursor * ROW_H, top = viewport.scrollTop, h = viewport.clientHeight;
  if (centre && (y < top || y + ROW_H > top + h)) viewport.scrollTop = y - (h - ROW_H) / 2;
  else if (y < top) viewport.scrollTop = y;
  else if (y + ROW_H > top + h) viewport.scrollTop = y + ROW_H - h;
  render();
  const k = currentBead();
  if (k !== null) history.replaceState(null, "", `#bead=${k}`);
}

function move(delta) {
  if (!shown.length) return;
  cursor = Math.max(0, Math.min(shown.length - 1, cursor + delta));
  scrollToCursor();
}

function goTo(k) {
  let p = shown.indexOf(k);
  if (p < 0) { $("filter").value = "all"; $("search").value = ""; applyFilter(k); p = shown.indexOf(k); }
  cursor = Math.max(0, p);
  scrollToCursor(true);
}

function nextLikelyWrong() {
  if (!queue.length) { banner("nothing left to check: every bead is confirmed", false); return; }
  // from a likely-wrong bead on to the next one; from anywhere else to the worst
  const k = currentBead();
  const at = k !== null && likely(state.beads[k]) ? queue.indexOf(k) : -1;
  goTo(queue[(at + 1) % queue.length]);
}

function banner(text, isError) {
  const b = $("banner");
  b.textContent = text;
  b.className = isError ? "error" : "info";
  b.hidden = !text;
}

async function load(keepBead) {
  const resp = await fetch("/api/beads", { credentials: "same-origin" });
  if (!resp.ok) { banner(`could not load the alignment (${resp.status})`, true); return; }
  state = await resp.json();
  buildQueue();
  applyFilter(keepBead);
  scrollToCursor(true);
}

async function op(name, extra) {
  if (busy) return;
  const k = currentBead();
  if (k === null && name !== "undo" && name !== "redo" && name !== "realign") return;
  busy = true;
  document.body.classList.add("busy");
  try {
    const body = Object.assign({ version: state.version, op: name, bead: k }, extra || {});
    if (name === "undo" || name === "redo") delete body.bead;
    const resp = await fetch("/api/ops", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    const data = await resp.json();
    if (resp.status === 409) {
      banner(`${data.error}: reloaded, nothing was overwritten; do it again if still needed`, true);
      await load(k);
      return;
    }
    if (!resp.ok) { banner(data.error || `error ${resp.status}`, true); return; }
    banner("", false);
    state = data;
    buildQueue();
    applyFilter(k);
    scrollToCursor();
  } catch (e) {
    banner(`the server did not answer (${e}); your last change may not be saved`, true);
  } finally {
    busy = false;
    document.body.classList.remove("busy");
  }
}

function exportTmx(confirmedOnly) {
  const a = document.createElement("a");
  a.href = "/api/export.tmx" + (confirmedOnly ? "?confirmed_only=1" : "");
  a.download = "";
  document.body.appendChild(a);
  a.click();
  a.remove();
}

function toggleHelp(show) {
  const h = $("help");
  h.hidden = show === undefined ? !h.hidden : !show;
}

const KEYS = {
  "j": () => move(1), "ArrowDown": () => move(1), "k": () => move(-1), "ArrowUp": () => move(-1),
  "PageDown": () => move(Math.max(1, Math.floor(viewport.clientHeight / ROW_H) - 1)),
  "PageUp": () => move(-Math.max(1, Math.floor(viewport.clientHeight / ROW_H) - 1)),
  "Home": () => move(-shown.length), "End": () => move(shown.length),
  "g": () => move(-shown.length), "G": () => move(shown.length),
  "n": nextLikelyWrong,
  "c": () => { const k = currentBead(); if (k !== null) op(state.beads[k].status === "confirmed" ? "unconfirm" : "confirm"); },
  "Enter": () => KEYS.c(),
  "m": () => op("merge"), "s": () => op("split"),
  "[": () => op("shift", { side: "src", direction: "up" }),
  "]": () => op("shift", { side: "src", direction: "down" }),
  "{": () => op("shift", { side: "tgt", direction: "up" }),
  "}": () => op("shift", { side: "tgt", direction: "down" }),
  "x": () => op("unmatch", { side: "src", at: "last" }),
  "X": () => op("unmatch", { side: "tgt", at: "last" }),
  "o": () => op("unmatch", { side: "src", at: "first" }),
  "O": () => op("unmatch", { side: "tgt", at: "first" }),
  "z": () => op("undo"), "y": () => op("redo"), "Z": () => op("redo"),
  "r": () => op("realign"), "R": () => op("realign", { bead: null }),
  "e": () => exportTmx(false), "E": () => exportTmx(true),
  "f": () => { const s = $("filter"); s.selectedIndex = (s.selectedIndex + 1) % s.options.length; applyFilter(currentBead()); },
  "/": () => $("search").focus(),
  "?": () => toggleHelp(),
};

document.addEventListener("keydown", (ev) => {
  const inField = ev.target === $("search") || ev.target === $("filter");
  if (ev.key === "Escape") { toggleHelp(false); if (inField) { ev.target.blur(); viewport.focus(); } return; }
  if (inField) return;
  let key = ev.key;
  if (ev.ctrlKey || ev.metaKey) {
    if (key === "z" || key === "Z") key = ev.shiftKey ? "y" : "z";
    else if (key !== "y") return;
  } else if (ev.altKey) return;
  const f = KEYS[key];
  if (f) { ev.preventDefault(); f(); }
});

$("filter").addEventListener("change", () => { applyFilter(currentBead()); viewport.focus(); });
$("search").addEventListener("input", () => applyFilter(currentBead()));
rowsEl.addEventListener("click", (ev) => {
  const r = ev.target.closest(".bead");
  if (r) { cursor = Number(r.dataset.pos); render(); viewport.focus(); }
});
viewport.addEventListener("scroll", () => requestAnimationFrame(render), { passive: true });
window.addEventListener("resize", render);
for (const b of document.querySelectorAll("button[data-key]")) {
  b.addEventListener("click", () => { const f = KEYS[b.dataset.key]; if (f) f(); viewport.focus(); });
}
$("help").addEventListener("click", () => toggleHelp(false));

// the token came in the address; the cookie now carries it, so the address bar need not
if (location.search.includes("token=")) history.replaceState(null, "", "/" + location.hash);
const start = /bead=(\d+)/.exec(location.hash);
load(start ? Number(start[1]) : 0).then(() => {
  document.body.dataset.ready = "1";
  viewport.focus();
});
