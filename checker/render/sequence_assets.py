"""The CSS and JavaScript inlined into the sequence-chart page.

Kept as strings (not package data files) so the page needs nothing beyond
the Python package. The script builds every piece of user text with
``textContent``, never ``innerHTML``: labels come from user specs.
"""

CSS = r"""
:root { --ink:#1d2733; --muted:#5f6b7a; --red:#c62828; --blue:#1f4e9c; --line:#d5dbe3; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, "DejaVu Sans", "Liberation Sans", sans-serif; color: var(--ink); background: #fff; }
header { padding: 10px 18px 4px; border-bottom: 1px solid var(--line); }
.head-row { display: flex; gap: 18px; align-items: flex-start; flex-wrap: wrap; }
.head-row > .violation-box { flex: 0 1 auto; }
.head-row > details.legend { flex: 1 1 420px; }
h1 { font-size: 20px; margin: 0 0 4px; }
h1 .prop { color: var(--red); }
.summary { margin: 0 0 8px; color: var(--muted); }
.violation-box { border: 2px solid var(--red); border-radius: 6px; background: #fff5f5; padding: 6px 10px; margin: 4px 0; max-width: 100%; }
.violation-box .vtitle { font-weight: bold; color: var(--red); }
.violation-box table, .state-pane table { border-collapse: collapse; }
.violation-box td { padding: 1px 10px 1px 0; font-family: "DejaVu Sans Mono", monospace; font-size: 12.5px; vertical-align: top; }
details.legend { margin: 4px 0 2px; }
details.legend p { margin: 2px 0; }
details.legend summary { cursor: pointer; color: var(--blue); }
.legend-items { display: flex; flex-wrap: wrap; gap: 3px 16px; margin: 4px 0; }
.legend-item { display: inline-flex; align-items: center; gap: 6px; font-size: 12.5px; }
.legend-item svg { flex: none; }
main { display: flex; gap: 12px; padding: 8px 12px; align-items: flex-start; }
.chart-pane { flex: 1 1 auto; min-width: 0; }
.controls { display: flex; align-items: center; gap: 6px; padding: 4px 0 8px; flex-wrap: wrap; }
.controls button { font: inherit; padding: 2px 9px; border: 1px solid #b8c2cf; border-radius: 4px; background: #f4f6f9; cursor: pointer; }
.controls button:hover { background: #e6ebf2; }
.controls input[type=range] { flex: 1 1 200px; min-width: 160px; }
#step-title { font-weight: bold; min-width: 9em; }
.hint { color: var(--muted); font-size: 12px; }
.chart-scroll { overflow: auto; max-height: calc(100vh - 60px); border: 1px solid var(--line); border-radius: 6px; }
svg.lanes-head { position: sticky; top: 0; z-index: 2; background: #fff; display: block; border-bottom: 1px solid var(--line); }
svg.chart { display: block; }
svg text { font-family: system-ui, "DejaVu Sans", "Liberation Sans", sans-serif; }
.head-note { font-size: 11px; fill: var(--muted); }
.lane-box { fill: #263238; }
.lane-box.env { fill: #6d4c41; }
.lane-name { fill: #fff; font-weight: bold; font-size: 12px; }
.zebra { fill: #f6f8fb; }
.row-hit { fill: transparent; pointer-events: all; cursor: pointer; }
.row:hover .row-hit { fill: rgba(31, 78, 156, .07); }
.cursor { fill: rgba(255, 213, 0, .16); stroke: #d4a800; stroke-width: 1; }
.step-num { font-size: 12px; font-weight: bold; fill: #444; }
.step-label { font-size: 12px; fill: #222; }
.step-label.k-loss, .step-label.k-crash, .step-label.k-corrupt, .bad { fill: var(--red); }
.step-label.k-restart, .step-label.k-heal { fill: #2e7d32; }
.step-label.k-partition, .step-label.k-duplicate, .step-label.k-reorder { fill: #8a4b00; }
.lifeline { stroke: #9aa5b1; stroke-width: 1.5; }
.down { stroke: #e57373; stroke-width: 4; stroke-dasharray: 3 5; }
.msg { cursor: pointer; }
.msg .line { stroke: var(--blue); stroke-width: 1.6; fill: none; }
.msg:hover .line { stroke-width: 3; }
.msg.lost .line { stroke: var(--red); stroke-dasharray: 6 4; }
.msg .cross { stroke: var(--red); stroke-width: 2.6; }
.msg.corrupted .line { stroke: #ef6c00; stroke-dasharray: 6 4; }
.msg .zigzag { stroke: #ef6c00; stroke-width: 2; fill: none; }
.msg.in-flight .line { stroke: #6b7785; stroke-dasharray: 2 4; }
.msg .air { fill: #fff; stroke: #6b7785; stroke-width: 1.6; }
.msg.from-duplicate .line { stroke-dasharray: 9 3; }
.msg.from-corrupt .line { stroke: #ef6c00; }
.msg.redelivery .line { stroke-dasharray: 1 3; }
.ah { fill: var(--blue); }
.ah.dup { fill: #3f6fc4; }
.ah.loop { fill: #7e57c2; }
.msg-label { font-size: 11px; fill: #16335f; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
.lost .msg-label { fill: var(--red); }
.in-flight .msg-label { fill: #4a5560; font-style: italic; }
.dot { fill: var(--blue); }
.box.action { fill: #e3f2fd; stroke: #64b5f6; }
.box.timer { fill: #fff8e1; stroke: #ffb300; }
.box.global { fill: #f3e5f5; stroke: #ab47bc; }
.box-text { font-size: 11px; fill: #0d2a55; }
.clock { fill: #fff; stroke: #b07d00; stroke-width: 1.3; }
.clock-hands { stroke: #b07d00; stroke-width: 1.3; fill: none; }
.band-line { stroke: #8e24aa; stroke-width: 1.6; stroke-dasharray: 7 3; }
.mark.partition .band-line { stroke: #ef6c00; }
.mark.heal .band-line { stroke: #2e7d32; }
.band-text { font-size: 11px; fill: #4a148c; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.mark.partition .band-text { fill: #8a4b00; }
.mark.heal .band-text { fill: #1b5e20; }
.partition-bg { fill: rgba(239, 108, 0, .08); }
.loop-bg { fill: rgba(126, 87, 194, .08); }
.violation-row { fill: rgba(211, 47, 47, .11); }
.violation-badge { fill: var(--red); }
.violation-text { fill: #fff; font-weight: bold; font-size: 12px; }
.culprit { fill: none; stroke: var(--red); stroke-width: 2.5; }
.crash-x { stroke: var(--red); stroke-width: 3; }
.crash-text { font-size: 11px; fill: var(--red); font-weight: bold; }
.restart-o { fill: #c8e6c9; stroke: #2e7d32; stroke-width: 2; }
.restart-text { font-size: 11px; fill: #2e7d32; font-weight: bold; }
.badge { fill: #ede7f6; stroke: #7e57c2; }
.badge-text { font-size: 10px; fill: #4527a0; }
.loop-line { stroke: #7e57c2; stroke-width: 2; fill: none; }
.loop-text { font-size: 11px; fill: #5e35b1; font-weight: bold; }
.future { opacity: .16; }
.state-pane { flex: 0 0 370px; max-width: 42vw; position: sticky; top: 8px; max-height: calc(100vh - 16px); overflow: auto;
  border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; background: #fbfcfe; }
.state-pane h2 { font-size: 16px; margin: 2px 0 4px; }
.state-pane h3 { font-size: 13px; margin: 10px 0 4px; color: var(--muted); }
.kind-chip { display: inline-block; font-size: 11px; padding: 0 7px; border-radius: 9px; background: #e3e8ef; color: #33404f; margin-left: 6px; vertical-align: middle; }
.panel-label { font-family: "DejaVu Sans Mono", monospace; font-size: 12.5px; margin: 4px 0; word-break: break-word; }
.panel-note { font-size: 12.5px; margin: 4px 0; padding: 4px 8px; border-radius: 4px; background: #ede7f6; }
.state-pane table { width: 100%; font-size: 12.5px; }
.state-pane td { padding: 2px 4px; vertical-align: top; border-bottom: 1px solid #eef1f5; word-break: break-word; }
.state-pane td.var { font-family: "DejaVu Sans Mono", monospace; color: #33404f; width: 42%; }
.state-pane td.val { font-family: "DejaVu Sans Mono", monospace; }
.state-pane tr.group td { font-weight: bold; background: #eef2f7; font-family: inherit; }
.state-pane tr.changed td { background: #fff3c4; }
.state-pane tr.changed td.var::before { content: "\25B8 "; color: #b07d00; }
.state-pane tr.broke td { background: #ffe0e0; }
.old { text-decoration: line-through; color: #8d6e63; margin-right: 6px; }
ul.plain { margin: 2px 0; padding-left: 18px; font-family: "DejaVu Sans Mono", monospace; font-size: 12px; }
.empty { color: var(--muted); font-style: italic; font-size: 12px; }
"""

#: DOM helpers shared with the explorer page (`checker.webui.assets`): text
#: goes in through textContent only.
DOM_HELPERS_JS = r"""
function el(tag, cls, text) {
  var e = document.createElement(tag);
  if (cls) { e.className = cls; }
  if (text !== undefined && text !== null) { e.textContent = String(text); }
  return e;
}
function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }
"""

JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("trace-data").textContent);
  var steps = data.steps, last = steps.length - 1, current = last;
  var slider = document.getElementById("slider");
  var scroller = document.getElementById("chart-scroll");
  var onlyChanged = document.getElementById("only-changed");

  function msgText(m) { return (m.src || "env") + " \u2192 " + (m.dst || "?") + ": " + m.text; }

  function select(i) {
    i = Math.max(0, Math.min(last, parseInt(i, 10) || 0));
    current = i;
    slider.value = String(i);
    document.getElementById("cursor").setAttribute("y", String(i * data.rowH));
    var nodes = document.querySelectorAll("svg.chart [data-step]");
    for (var k = 0; k < nodes.length; k++) {
      var n = nodes[k];
      var from = n.hasAttribute("data-from") ? +n.getAttribute("data-from") : +n.getAttribute("data-step");
      n.classList.toggle("future", from > i);
    }
    document.getElementById("step-title").textContent = "Step " + i + " of " + last;
    renderPanel(i);
    var top = i * data.rowH, view = scroller.clientHeight - data.headH;
    if (top < scroller.scrollTop || top + data.rowH > scroller.scrollTop + view) {
      scroller.scrollTop = Math.max(0, top - view / 2);
    }
  }

  function renderPanel(i) {
    var s = steps[i], prev = i > 0 ? steps[i - 1] : null;
    var title = document.getElementById("panel-title");
    clear(title);
    title.appendChild(document.createTextNode(i === 0 ? "Initial state" : "Step " + i));
    title.appendChild(el("span", "kind-chip", s.what));
    var box = document.getElementById("panel-step");
    clear(box);
    box.appendChild(el("div", "panel-label", s.label));
    if (s.message) { box.appendChild(el("div", "panel-label", "message: " + msgText(s.message))); }
    if (s.sends.length) {
      box.appendChild(el("div", "", "sends:"));
      var ul = el("ul", "plain");
      s.sends.forEach(function (m) { ul.appendChild(el("li", "", msgText(m))); });
      box.appendChild(ul);
    }
    if (data.loopStart !== null && i === data.loopStart) {
      box.appendChild(el("div", "panel-note", "The loop starts here: after step " + last + " the behaviour returns to this point and repeats forever."));
    }
    if (data.loopStart !== null && i === last) {
      box.appendChild(el("div", "panel-note", "The last step leads back to step " + data.loopStart + " (the loop)."));
    }
    var vbox = document.getElementById("panel-violation");
    vbox.hidden = i !== last;
    var broke = {};
    Object.keys(data.violation.values).forEach(function (k) { broke[k] = true; });
    var table = document.getElementById("state-table");
    clear(table);
    var group = null, shown = 0;
    s.shown.forEach(function (pair) {
      var name = pair[0], value = pair[1];
      var changed = s.changed.indexOf(name) >= 0;
      if (onlyChanged.checked && !changed) { return; }
      var dot = name.indexOf(".");
      var g = dot > 0 ? name.slice(0, dot) : "";
      if (g !== group) {
        // after a node's variables, the global ones (network, ...) get a heading of their own
        var heading = g || (group ? "global" : "");
        group = g;
        if (heading) { var gr = el("tr", "group"); var gt = el("td", "", heading); gt.colSpan = 2; gr.appendChild(gt); table.appendChild(gr); }
      }
      var tr = el("tr", changed ? "changed" : "");
      if (i === last && broke[name]) { tr.classList.add("broke"); }
      tr.appendChild(el("td", "var", g ? name.slice(dot + 1) : name));
      var td = el("td", "val");
      if (changed && prev) {
        var old = prev.shownMap[name];
        var was = el("span", "old", old === undefined ? "(new)" : old.length > 60 ? old.slice(0, 59) + "\u2026" : old);
        if (old !== undefined) { was.title = "before: " + old; }
        td.appendChild(was);
      }
      td.appendChild(document.createTextNode(value));
      tr.appendChild(td);
      table.appendChild(tr);
      shown++;
    });
    if (!shown) { var tr0 = el("tr"); tr0.appendChild(el("td", "empty", "no variable changed in this step")); table.appendChild(tr0); }
    var fl = document.getElementById("in-flight");
    clear(fl);
    if (!data.inFlight[i].length) { fl.appendChild(el("li", "empty", "none")); }
    data.inFlight[i].forEach(function (t) { fl.appendChild(el("li", "", t)); });
  }

  steps.forEach(function (s) {
    s.shownMap = {};
    s.shown.forEach(function (p) { s.shownMap[p[0]] = p[1]; });
  });
  slider.addEventListener("input", function () { select(slider.value); });
  onlyChanged.addEventListener("change", function () { renderPanel(current); });
  document.getElementById("btn-first").addEventListener("click", function () { select(0); });
  document.getElementById("btn-prev").addEventListener("click", function () { select(current - 1); });
  document.getElementById("btn-next").addEventListener("click", function () { select(current + 1); });
  document.getElementById("btn-last").addEventListener("click", function () { select(last); });
  document.querySelector("svg.chart").addEventListener("click", function (ev) {
    var t = ev.target.closest ? ev.target.closest("[data-step]") : null;
    if (t) { select(t.getAttribute("data-step")); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.target === slider || ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    var keys = { ArrowLeft: -1, k: -1, ArrowRight: 1, j: 1 };
    if (ev.key in keys) { select(current + keys[ev.key]); ev.preventDefault(); }
    else if (ev.key === "Home") { select(0); ev.preventDefault(); }
    else if (ev.key === "End") { select(last); ev.preventDefault(); }
  });
  window.traceViewer = { select: select, current: function () { return current; }, last: last };
  select(last);
})();
"""

# (css class test, sample SVG, text) for each legend entry; shown when used.
LEGEND: list[tuple[str, str, str]] = [
    ("delivered", '<line x1="2" y1="4" x2="40" y2="14" class="lg-blue"/><path d="M40,14 l-7,-5 l0,7 z" class="lg-blue-fill"/>',
     "message: from the step that sent it to the step that delivered it"),
    ("lost", '<line x1="2" y1="4" x2="30" y2="12" class="lg-red" stroke-dasharray="5 3"/><path d="M25,7 l10,10 M35,7 l-10,10" class="lg-red"/>',
     "message lost by the network"),
    ("corrupted", '<line x1="2" y1="4" x2="24" y2="12" class="lg-orange" stroke-dasharray="5 3"/><path d="M22,12 l4,-6 l4,12 l4,-12 l4,6" class="lg-orange" fill="none"/>',
     "message corrupted"),
    ("from-duplicate", '<line x1="2" y1="4" x2="40" y2="14" class="lg-blue" stroke-dasharray="9 3"/>',
     "a duplicated copy"),
    ("in-flight", '<line x1="2" y1="4" x2="30" y2="14" class="lg-grey" stroke-dasharray="2 4"/><circle cx="33" cy="14" r="3.5" class="lg-air"/>',
     "sent but never delivered (in flight at the end)"),
    ("action", '<rect x="2" y="3" width="40" height="14" rx="3" fill="#e3f2fd" stroke="#64b5f6"/>', "internal action"),
    ("timer", '<rect x="2" y="3" width="40" height="14" rx="3" fill="#fff8e1" stroke="#ffb300"/>', "timer fired"),
    ("crash", '<path d="M15,3 l12,12 M27,3 l-12,12" stroke="#c62828" stroke-width="3"/>', "node crashed (dashed red lifeline: down)"),
    ("restart", '<circle cx="21" cy="9" r="6" fill="#c8e6c9" stroke="#2e7d32" stroke-width="2"/>', "node restarted"),
    ("partition", '<line x1="2" y1="9" x2="42" y2="9" stroke="#ef6c00" stroke-width="2" stroke-dasharray="7 3"/>',
     "network partitioned (shaded until healed)"),
    ("global", '<line x1="2" y1="9" x2="42" y2="9" stroke="#8e24aa" stroke-width="2" stroke-dasharray="7 3"/>',
     "global / environment action"),
    ("duplicate", '<rect x="2" y="3" width="40" height="14" rx="7" fill="#ede7f6" stroke="#7e57c2"/>', "network duplicated or reordered messages"),
    ("loop", '<path d="M2,16 L36,16 L36,3 L4,3" stroke="#7e57c2" stroke-width="2" fill="none"/>',
     "liveness loop: the last step returns to the marked step, forever"),
    ("violation", '<rect x="2" y="2" width="40" height="15" fill="#fbe3e3"/><circle cx="22" cy="9.5" r="6" fill="none" stroke="#c62828" stroke-width="2"/>',
     "the violating step; circled nodes hold the values that broke the property"),
]

LEGEND_STYLE = ('<style>.lg-blue{stroke:#1f4e9c;stroke-width:1.6}.lg-blue-fill{fill:#1f4e9c}.lg-red{stroke:#c62828;stroke-width:2}'
                 '.lg-orange{stroke:#ef6c00;stroke-width:2}.lg-grey{stroke:#6b7785;stroke-width:1.6}'
                 '.lg-air{fill:#fff;stroke:#6b7785;stroke-width:1.5}</style>')
