"""The explorer page's own CSS and JavaScript (the chart's CSS is the trace
page's, `checker.render.sequence_assets`).

The script builds every piece of user text with ``textContent``, never
``innerHTML``; the chart arrives as SVG markup the server escaped
(`checker.render.svgchart`) and is parsed as SVG, which runs no script.
"""

EXPLORER_CSS = r"""
h1 .tool { font-size: 14px; font-weight: normal; color: var(--muted); margin-left: 8px; }
.file-button { font: inherit; padding: 2px 9px; border: 1px solid #b8c2cf; border-radius: 4px; background: #f4f6f9;
  cursor: pointer; color: var(--ink); text-decoration: none; }
.file-button:hover { background: #e6ebf2; }
.file-button input { display: none; }
a.file-button[aria-disabled=true] { opacity: .4; pointer-events: none; }
.controls button:disabled { opacity: .4; cursor: default; }
#message { margin: 4px 0; padding: 4px 10px; border-radius: 4px; }
#message.bad { background: #ffebee; color: var(--red); border: 1px solid #ef9a9a; }
#message.note { background: #e8f0fb; color: #16335f; border: 1px solid #b3c7e6; }
/* a fixed height: when the background check ends, nothing under the mouse moves */
#search { margin: 4px 0 6px; font-size: 13px; height: 46px; overflow-y: auto; }
#search .verdicts { display: flex; flex-wrap: wrap; gap: 4px 14px; margin-top: 3px; }
.verdict-chip { display: inline-block; font-size: 11.5px; padding: 0 7px; border-radius: 9px; margin-left: 4px; }
.verdict-chip.holds { background: #e8f5e9; color: #1b5e20; }
.verdict-chip.violated { background: #ffebee; color: var(--red); font-weight: bold; }
.verdict-chip.unknown { background: #eceff1; color: #455a64; }
button.shortest { font: inherit; font-size: 12px; margin-left: 6px; padding: 1px 8px; border: 1px solid #ef9a9a;
  border-radius: 4px; background: #fff5f5; color: var(--red); cursor: pointer; }
button.shortest:hover { background: #ffe0e0; }
.state-pane { flex-basis: 450px; }
#verdict .ok { color: #1b5e20; background: #e8f5e9; border: 1px solid #a5d6a7; border-radius: 6px; padding: 5px 10px; }
#verdict .end { color: #33404f; background: #eef2f7; border: 1px solid #cfd8e3; border-radius: 6px; padding: 5px 10px; }
ol.steps { list-style: none; margin: 2px 0; padding: 0; }
ol.steps li { margin: 3px 0; }
ol.steps button.step { display: block; width: 100%; text-align: left; font: 12.5px/1.35 "DejaVu Sans Mono", monospace;
  padding: 4px 8px; border: 1px solid #b8c2cf; border-radius: 5px; background: #fff; cursor: pointer; color: var(--ink); }
ol.steps button.step:hover { background: #e8f0fb; border-color: var(--blue); }
ol.steps button.step.fault { border-color: #ffb74d; background: #fff8ee; }
ol.steps button.step.fault:hover { background: #ffedd5; }
ol.steps button.step.next { border-width: 2px; border-color: var(--blue); }
ol.steps .sub { display: block; font-size: 11.5px; color: var(--muted); }
ol.steps .sub.bad { color: var(--red); font-weight: bold; }
.faults-title { color: #8a4b00 !important; }
.fault-chip { display: inline-block; font-size: 11px; padding: 0 7px; border-radius: 9px; background: #ffe0b2; color: #8a4b00; margin-left: 6px; }
ul.invariants li.holds { color: #1b5e20; }
ul.invariants li.broken { color: var(--red); font-weight: bold; }
ul.invariants table { font-weight: normal; color: var(--ink); }
.state-pane tr.group td.global { background: #f1ecf7; }
body.loading { cursor: progress; }
"""

EXPLORER_JS = r"""
(function () {
  "use strict";
  var path = [], at = -1, view = null, info = null, ticket = 0, pending = 0, renders = 0;
  function $(id) { return document.getElementById(id); }
  function api(url, options) {
    return fetch(url, options).then(function (r) {
      return r.json().then(function (j) {
        if (!r.ok) { throw new Error(j.error || ("HTTP " + r.status)); }
        return j;
      });
    });
  }
  function say(text, bad) {
    var m = $("message");
    m.textContent = text || "";
    m.hidden = !text;
    m.className = bad ? "bad" : "note";
  }
  function valuesTable(pairs) {
    var t = el("table");
    pairs.forEach(function (p) {
      var tr = el("tr");
      tr.appendChild(el("td", "", p[0]));
      tr.appendChild(el("td", "", "= " + p[1]));
      t.appendChild(tr);
    });
    return t;
  }

  // -- moving along the path ---------------------------------------------
  function go(p, a) {
    path = p.slice();
    at = Math.max(-1, Math.min(a, path.length - 1));
    history.replaceState(null, "", "#path=" + path.join(".") + "&at=" + at);
    return load();
  }
  function load() {
    var mine = ++ticket;
    pending++;
    document.body.classList.add("loading");
    var q = at < 0 ? "" : path.join(".");
    return api("/api/view?path=" + q + "&at=" + Math.max(at, 0)).then(function (v) {
      if (mine === ticket) { view = v; render(v); }
    }).catch(function (e) {
      if (mine === ticket) { say(e.message, true); }
    }).then(function () {
      pending--;
      if (!pending) { document.body.classList.remove("loading"); }
    });
  }
  function take(k) {
    say("");
    if (at + 1 < path.length && path[at + 1] === k) { return go(path, at + 1); }
    return go(path.slice(0, at + 1).concat([k]), at + 1);
  }
  function back() {
    if (at > 0 || (at === 0 && info && info.initialStates > 1)) { go(path, at - 1); }
  }
  function forward() { if (at + 1 < path.length) { go(path, at + 1); } }

  // -- drawing one view ----------------------------------------------------
  function render(v) {
    renders++;
    drawChart(v);
    $("step-title").textContent = v.at < 0 ? "Choose an initial state" : "Step " + v.at + " of " + v.last;
    $("btn-back").disabled = !(at > 0 || (at === 0 && info.initialStates > 1));
    $("btn-forward").disabled = at + 1 >= path.length;
    $("btn-initial").disabled = at <= 0;
    var exp = $("export");
    exp.setAttribute("aria-disabled", String(at < 0));
    exp.href = at < 0 ? "#" : "/api/export?path=" + path.slice(0, at + 1).join(".");
    drawVerdict(v);
    drawCurrent(v);
    drawSteps(v);
    drawInvariants(v);
    drawState(v);
    var fl = $("in-flight");
    clear(fl);
    if (!v.inFlight.length) { fl.appendChild(el("li", "empty", "none")); }
    v.inFlight.forEach(function (t) { fl.appendChild(el("li", "", t)); });
  }

  function drawChart(v) {
    var box = $("chart-scroll");
    clear(box);
    if (!v.chart) { box.appendChild(el("p", "empty", "no step yet")); return; }
    [v.chart.head, v.chart.body].forEach(function (markup) {
      var doc = new DOMParser().parseFromString(markup, "image/svg+xml");
      box.appendChild(document.importNode(doc.documentElement, true));
    });
    var nodes = box.querySelectorAll("svg.chart [data-step]");
    for (var k = 0; k < nodes.length; k++) {
      var n = nodes[k];
      var from = n.hasAttribute("data-from") ? +n.getAttribute("data-from") : +n.getAttribute("data-step");
      n.classList.toggle("future", from > v.at);
    }
    var cursor = box.querySelector("#cursor");
    if (cursor) { cursor.setAttribute("y", String(v.at * v.chart.rowH)); }
    var top = v.at * v.chart.rowH, span = box.clientHeight - 50;
    if (top < box.scrollTop || top + v.chart.rowH > box.scrollTop + span) { box.scrollTop = Math.max(0, top - span / 2); }
  }

  function drawVerdict(v) {
    var box = $("verdict");
    clear(box);
    var broken = v.invariants.filter(function (i) { return !i.holds; });
    broken.forEach(function (inv) {
      var d = el("div", "violation-box");
      d.setAttribute("data-prop", inv.name);
      d.appendChild(el("div", "vtitle", "\u2717 Invariant " + inv.name + " violated"));
      if (inv.error) { d.appendChild(el("div", "", "evaluating it failed: " + inv.error)); }
      if (inv.values.length) { d.appendChild(el("div", "", "the values that broke it:")); d.appendChild(valuesTable(inv.values)); }
      box.appendChild(d);
    });
    if (v.failing) {
      var f = el("div", "violation-box");
      f.setAttribute("data-prop", v.failing.prop);
      f.appendChild(el("div", "vtitle", "\u2717 Assertion " + v.failing.prop + " fails in the step " + v.failing.label));
      if (v.failing.message) { f.appendChild(el("div", "", v.failing.message)); }
      if (v.failing.values.length) { f.appendChild(valuesTable(v.failing.values)); }
      if (v.failing.cut) { f.appendChild(el("div", "hint", "the model lists no steps of this state after the failing one")); }
      box.appendChild(f);
    }
    if (v.status === "deadlock") {
      var dl = el("div", "violation-box");
      dl.setAttribute("data-prop", "deadlock");
      dl.appendChild(el("div", "vtitle", "\u2717 Deadlock: no step is enabled and the state is not terminal"));
      box.appendChild(dl);
    } else if (v.status === "error") {
      var er = el("div", "violation-box");
      er.appendChild(el("div", "vtitle", "\u2717 The model failed while computing the steps"));
      er.appendChild(el("div", "", v.error));
      box.appendChild(er);
    } else if (v.status === "terminal") {
      box.appendChild(el("div", "end", "\u25A0 No step is enabled: the run may end here (a terminal state)"));
    }
    if (!box.firstChild && v.at >= 0) { box.appendChild(el("div", "ok", "\u2713 every invariant holds in this state")); }
  }

  function drawCurrent(v) {
    var title = $("current-title"), box = $("current-step");
    clear(title);
    clear(box);
    if (!v.step) { title.textContent = "Initial states"; return; }
    title.appendChild(document.createTextNode(v.at === 0 ? "Initial state" : "Step " + v.at));
    title.appendChild(el("span", "kind-chip", v.step.what));
    if (v.step.fault) { title.appendChild(el("span", "fault-chip", "fault")); }
    if (v.at > 0) { box.appendChild(el("div", "panel-label", v.step.label)); }
  }

  function stepButton(s) {
    var li = el("li");
    var b = el("button", "step k-" + s.kind + (s.fault ? " fault" : "") + (s.next ? " next" : ""));
    b.setAttribute("data-index", String(s.index));
    b.setAttribute("data-kind", s.kind);
    b.title = s.what + (s.next ? " (the next step of this path)" : "");
    b.appendChild(document.createTextNode(s.label));
    if (s.fault) { b.appendChild(el("span", "fault-chip", s.what)); }
    s.sends.forEach(function (m) { b.appendChild(el("span", "sub", "sends to " + m)); });
    if (s.breaks.length) { b.appendChild(el("span", "sub bad", "\u2717 breaks " + s.breaks.join(", "))); }
    if (s.pruned) { b.appendChild(el("span", "sub", "outside the spec's constraint: the check does not go there")); }
    if (s.next) { b.appendChild(el("span", "sub", "\u2192 the next step of this path")); }
    b.addEventListener("click", function () { take(s.index); });
    li.appendChild(b);
    return li;
  }

  function drawSteps(v) {
    var ol = $("enabled"), fo = $("faults");
    clear(ol);
    clear(fo);
    v.enabled.forEach(function (s) { (s.fault ? fo : ol).appendChild(stepButton(s)); });
    if (v.more) { ol.appendChild(el("li", "empty", "\u2026 and " + v.more.toLocaleString("en") + " more initial states, not listed")); }
    if (!ol.firstChild) { ol.appendChild(el("li", "empty", v.failing ? "none that succeeds" : "none")); }
    $("fault-block").hidden = !fo.firstChild;
  }

  function drawInvariants(v) {
    var ul = $("invariants");
    clear(ul);
    if (v.at >= 0 && !v.invariants.length) { ul.appendChild(el("li", "empty", "the spec declares none")); }
    v.invariants.forEach(function (inv) {
      var li = el("li", inv.holds ? "holds" : "broken", (inv.holds ? "\u2713 " : "\u2717 ") + inv.name + (inv.holds ? " holds" : " violated"));
      li.setAttribute("data-prop", inv.name);
      if (inv.error) { li.appendChild(el("div", "", "evaluating it failed: " + inv.error)); }
      ul.appendChild(li);  // the values that broke it are in the box above
    });
  }

  function drawState(v) {
    var table = $("state-table"), only = $("only-changed").checked, shown = 0;
    clear(table);
    v.groups.forEach(function (g) {
      var rows = g.vars.filter(function (r) { return !only || r.changed; });
      if (!rows.length) { return; }
      var gr = el("tr", "group"), gt = el("td", g.name === "global" ? "global" : "", g.name);
      gt.colSpan = 2;
      gr.appendChild(gt);
      table.appendChild(gr);
      rows.forEach(function (r) {
        var tr = el("tr", r.changed ? "changed" : "");
        tr.setAttribute("data-var", r.name);
        tr.appendChild(el("td", "var", r.var));
        var td = el("td", "val");
        if (r.changed && r.old !== null) {
          var was = el("span", "old", r.old.length > 60 ? r.old.slice(0, 59) + "\u2026" : r.old);
          was.title = "before: " + r.old;
          td.appendChild(was);
        }
        td.appendChild(document.createTextNode(r.value));
        tr.appendChild(td);
        table.appendChild(tr);
        shown++;
      });
    });
    if (!shown && v.at >= 0) {
      var tr0 = el("tr");
      tr0.appendChild(el("td", "empty", only ? "no variable changed in this step" : "no variables"));
      table.appendChild(tr0);
    }
  }

  // -- the background check --------------------------------------------------
  function drawSearch(s) {
    var box = $("search-body");
    clear(box);
    box.className = "";
    if (s.state === "off") { box.className = "hint"; box.textContent = "Background check off (--no-search)."; return; }
    if (s.state === "running") {
      var n = s.progress ? " \u2014 " + s.progress.distinct.toLocaleString("en") + " distinct states so far" : "";
      box.className = "hint";
      box.textContent = "Checking every property in the background (breadth-first)\u2026" + n;
      return;
    }
    if (s.state === "failed" || s.state === "stopped") { box.className = "bad"; box.textContent = "The check " + s.state + ": " + s.error; return; }
    var head = "Checked " + s.stats.distinct.toLocaleString("en") + " distinct states" +
      (s.complete ? " (complete)" : " (incomplete: " + s.reason + ")") + ":";
    box.appendChild(el("span", "", head));
    var list = el("div", "verdicts");
    s.verdicts.forEach(function (vd) {
      var item = el("span", "verdict");
      item.setAttribute("data-prop", vd.prop);
      item.appendChild(document.createTextNode(vd.prop));
      item.appendChild(el("span", "verdict-chip " + vd.verdict, vd.verdict));
      if (vd.path) {
        var b = el("button", "shortest", "shortest path to the violation (" + vd.steps + " steps)");
        b.setAttribute("data-prop", vd.prop);
        b.addEventListener("click", function () {
          var note = "The shortest path to the violation of " + vd.prop + " (" + vd.steps + " steps).";
          if (vd.failingStep) { note += " Its last state has the step that fails the assertion: " + vd.failingStep + "."; }
          if (vd.loopStart !== null) { note += " The last step leads back to step " + vd.loopStart + ", forever."; }
          go(vd.path, vd.path.length - 1).then(function () { say(note, false); });
        });
        item.appendChild(b);
      }
      list.appendChild(item);
    });
    box.appendChild(list);
  }
  function poll() {
    api("/api/search").then(function (s) {
      drawSearch(s);
      if (s.state === "running") { setTimeout(poll, 1000); }
    }).catch(function () {
      $("search-body").textContent = "The explorer's server does not answer (was it stopped?).";
      setTimeout(poll, 5000);
    });
  }

  // -- opening a saved trace -----------------------------------------------
  $("open-trace").addEventListener("change", function () {
    var input = this, f = input.files[0];
    if (!f) { return; }
    f.text().then(function (text) {
      return api("/api/trace?name=" + encodeURIComponent(f.name),
                 { method: "POST", body: text, headers: { "Content-Type": "application/json" } });
    }).then(function (r) {
      return go(r.path, r.path.length - 1).then(function () {
        say("Opened " + f.name + " (" + r.steps + " steps). Click any step of the chart to continue from there.", false);
      });
    }).catch(function (e) { say(e.message, true); }).then(function () { input.value = ""; });
  });

  // -- wiring ------------------------------------------------------------------
  $("btn-initial").addEventListener("click", function () { if (path.length) { go(path, 0); } });
  $("btn-back").addEventListener("click", back);
  $("btn-forward").addEventListener("click", forward);
  $("only-changed").addEventListener("change", function () { if (view) { drawState(view); } });
  $("export").addEventListener("click", function (ev) { if (at < 0) { ev.preventDefault(); } });
  $("chart-scroll").addEventListener("click", function (ev) {
    var t = ev.target.closest ? ev.target.closest("svg.chart [data-step]") : null;
    if (t) { say(""); go(path, +t.getAttribute("data-step")); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey || (ev.target && ev.target.tagName === "INPUT")) { return; }
    if (ev.key === "ArrowLeft") { back(); ev.preventDefault(); }
    else if (ev.key === "ArrowRight") { forward(); ev.preventDefault(); }
    else if (ev.key === "Home" && path.length) { go(path, 0); ev.preventDefault(); }
  });
  function fromHash() {
    var m = /path=([0-9.]*)&at=(-?[0-9]+)/.exec(location.hash);
    if (!m) { return null; }
    return { path: m[1] ? m[1].split(".").map(Number) : [], at: +m[2] };
  }
  api("/api/model").then(function (m) {
    info = m;
    var hashed = fromHash(), start = hashed || { path: m.start, at: m.start.length - 1 };
    poll();
    return go(start.path, start.at).then(function () {
      if (!view && hashed) { return go(m.start, m.start.length - 1); }  // a stale link: start afresh
    });
  }).catch(function (e) { say(e.message, true); });
  window.explorer = {
    path: function () { return path.slice(); },
    at: function () { return at; },
    view: function () { return view; },
    idle: function () { return pending === 0 && renders > 0; },
    renders: function () { return renders; },
    go: go
  };
})();
"""
