// Sorting and filtering of the bead table, entirely in the page (no server, no library).
// The filter state lives in the URL hash (#flagged=1&maxscore=0.5&q=treaty&code=number&kind=2-1,
// or the short form #filter=flagged; #sort=-score sorts), so that a filtered view can be
// bookmarked, and checked by a headless browser.
(function () {
  "use strict";
  var table = document.getElementById("beads");
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  // Lower-cased text once, not at every keystroke: thousands of rows stay responsive.
  var texts = rows.map(function (r) {
    return (r.cells[5].textContent + "\n" + r.cells[6].textContent).toLowerCase();
  });
  var el = {
    q: document.getElementById("f-q"),
    maxscore: document.getElementById("f-maxscore"),
    flagged: document.getElementById("f-flagged"),
    code: document.getElementById("f-code"),
    kind: document.getElementById("f-kind"),
    status: document.getElementById("status")
  };

  function state() {
    var max = parseFloat(el.maxscore.value);
    return {
      q: el.q.value.trim().toLowerCase(),
      maxscore: isNaN(max) ? null : max,
      flagged: el.flagged.checked,
      code: el.code.value,
      kind: el.kind.value
    };
  }

  function apply(writeHash) {
    var s = state();
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var ok = true;
      if (s.flagged && r.getAttribute("data-nflags") === "0") ok = false;
      if (ok && s.maxscore !== null && !(parseFloat(r.getAttribute("data-score")) < s.maxscore)) ok = false;
      if (ok && s.code && (" " + r.getAttribute("data-flags") + " ").indexOf(" " + s.code + " ") < 0) ok = false;
      if (ok && s.kind && r.getAttribute("data-kind") !== s.kind) ok = false;
      if (ok && s.q && texts[i].indexOf(s.q) < 0) ok = false;
      r.hidden = !ok;
      if (ok) shown++;
    }
    el.status.textContent = "Showing " + shown + " of " + rows.length + " beads";
    el.status.setAttribute("data-shown", String(shown));
    if (writeHash) {
      var parts = [];
      if (s.flagged) parts.push("flagged=1");
      if (s.maxscore !== null) parts.push("maxscore=" + s.maxscore);
      if (s.code) parts.push("code=" + encodeURIComponent(s.code));
      if (s.kind) parts.push("kind=" + encodeURIComponent(s.kind));
      if (s.q) parts.push("q=" + encodeURIComponent(s.q));
      try { history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname + location.search); } catch (e) { /* file:// in some browsers */ }
    }
  }

  function readHash() {
    var h = location.hash.replace(/^#/, "");
    var p = {};
    h.split("&").forEach(function (kv) {
      if (!kv) return;
      var i = kv.indexOf("=");
      var k = i < 0 ? kv : kv.slice(0, i);
      var v = i < 0 ? "" : kv.slice(i + 1);
      try { p[k] = decodeURIComponent(v.replace(/\+/g, " ")); } catch (e) { p[k] = v; }
    });
    if (p.filter === "flagged") p.flagged = "1";
    el.flagged.checked = p.flagged === "1" || p.flagged === "true";
    el.maxscore.value = p.maxscore || "";
    el.q.value = p.q || "";
    el.code.value = p.code || "";
    el.kind.value = p.kind || "";
    if (p.code && el.code.value !== p.code) {  // a code with no bead: keep the filter, show none
      var o = document.createElement("option");
      o.value = o.textContent = p.code;
      el.code.appendChild(o);
      el.code.value = p.code;
    }
  }

  var timer = null;
  el.q.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { apply(true); }, 120);
  });
  [el.maxscore, el.flagged, el.code, el.kind].forEach(function (c) {
    c.addEventListener("change", function () { apply(true); });
    c.addEventListener("input", function () { apply(true); });
  });
  document.getElementById("f-reset").addEventListener("click", function () {
    el.q.value = el.maxscore.value = el.code.value = el.kind.value = "";
    el.flagged.checked = false;
    apply(true);
  });
  window.addEventListener("hashchange", function () { readHash(); apply(false); });

  // Sorting: click a header; click again to reverse.
  var headers = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(headers, function (th) {
    th.addEventListener("click", function () {
      var key = th.getAttribute("data-key");
      var numeric = th.getAttribute("data-type") === "num";
      var dir = th.classList.contains("asc") ? -1 : 1;
      Array.prototype.forEach.call(headers, function (h) { h.classList.remove("asc", "desc"); });
      th.classList.add(dir === 1 ? "asc" : "desc");
      var col = Array.prototype.indexOf.call(headers, th);
      var keyed = rows.map(function (r, i) {
        var v = r.hasAttribute("data-" + key) ? r.getAttribute("data-" + key) : r.cells[col].textContent;
        return { r: r, t: texts[i], v: numeric ? parseFloat(v) : v, i: parseInt(r.getAttribute("data-i"), 10) };
      });
      keyed.sort(function (a, b) {
        var c = numeric ? a.v - b.v : a.v.localeCompare(b.v);
        return c !== 0 ? dir * c : a.i - b.i;
      });
      var frag = document.createDocumentFragment();
      rows = keyed.map(function (k) { frag.appendChild(k.r); return k.r; });
      texts = keyed.map(function (k) { return k.t; });
      tbody.appendChild(frag);
    });
  });

  // Flag links in the summary filter the table; dots in the path plot find their row.
  Array.prototype.forEach.call(document.querySelectorAll("#flag-counts a[data-code]"), function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      el.code.value = a.getAttribute("data-code");
      apply(true);
      table.scrollIntoView();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("#path-plot .pt"), function (c) {
    c.addEventListener("click", function () {
      var row = document.getElementById("b" + c.getAttribute("data-i"));
      if (!row) return;
      if (row.hidden) { document.getElementById("f-reset").click(); }
      Array.prototype.forEach.call(tbody.querySelectorAll("tr.target"), function (t) { t.classList.remove("target"); });
      row.classList.add("target");
      row.scrollIntoView({ block: "center" });
    });
  });

  readHash();
  apply(false);
  // #sort=score or #sort=-score: open the table already sorted (bookmarks, headless checks).
  var sortKey = (/(?:^#|&)sort=(-?)([a-z0-9]+)/.exec(location.hash) || []);
  if (sortKey[2]) {
    var th = table.querySelector('th[data-key="' + sortKey[2] + '"]');
    if (th) {
      th.click();
      if (sortKey[1] === "-") th.click();
    }
  }
})();
