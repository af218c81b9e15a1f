"""The explorer's one HTML page.

Like the HTML trace page (`checker.render.sequence`) it needs no network
beyond its own server: CSS and JavaScript are inline, the chart's styles are
the trace page's own, and a Content Security Policy (sent as a header and in
the page) forbids loading anything else or talking to any other origin.
"""

from __future__ import annotations

from checker.render.sequence_assets import CSS as CHART_CSS
from checker.render.sequence_assets import DOM_HELPERS_JS
from checker.render.svgchart import esc
from checker.webui.assets import EXPLORER_CSS, EXPLORER_JS

#: in the page: nothing from elsewhere, requests to its own server only.
CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
       "connect-src 'self'; form-action 'none'; base-uri 'none'")
#: the response header adds what only a header can say: no framing by other pages.
CSP_HEADER = CSP + "; frame-ancestors 'none'"


def render_page(spec_name: str, spec_file: str) -> str:
    """The page for a model; it loads everything else from the JSON API."""
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(spec_name)}: checker explore</title>",
        f"<style>{CHART_CSS}{EXPLORER_CSS}</style></head><body>",
        "<header>",
        f'<h1><span class="spec">{esc(spec_name)}</span> <span class="tool">checker explore</span></h1>',
        f'<p class="summary">{esc(spec_file)}: walk the state space by hand. Click an enabled step to take it; '
        "click a step of the chart (or use &#8592;/&#8594;) to go back and forward.</p>",
        '<div class="controls">',
        '<button id="btn-initial" title="back to the initial state (Home)">|&#9664; initial</button>',
        '<button id="btn-back" title="one step back (&#8592;)">&#9664; back</button>',
        '<button id="btn-forward" title="one step forward along the path (&#8594;)">forward &#9654;</button>',
        '<span id="step-title">Loading&#8230;</span>',
        '<label class="file-button" title="a .trace.json written by checker run --out or exported here">'
        'open a .trace.json&#8230; <input type="file" id="open-trace" accept=".json,application/json"></label>',
        '<a id="export" class="file-button" download>export this path (.trace.json)</a>',
        "</div>",
        '<div id="message" role="alert" hidden></div>',
        '<section id="search" aria-live="polite"><div id="search-body" class="hint">&#8230;</div></section>',
        "</header><main>",
        '<section class="chart-pane"><div class="chart-scroll" id="chart-scroll"></div></section>',
        '<aside class="state-pane" id="side">',
        '<div id="verdict"></div>',
        '<h2 id="current-title">Step</h2><div id="current-step"></div>',
        '<h3>Enabled steps <span class="hint">(click one to take it)</span></h3><ol class="steps" id="enabled"></ol>',
        '<div id="fault-block"><h3 class="faults-title">Faults</h3><ol class="steps" id="faults"></ol></div>',
        '<h3>Invariants in this state</h3><ul class="plain invariants" id="invariants"></ul>',
        '<h3>State after this step <label class="hint">'
        '<input type="checkbox" id="only-changed"> only changed</label></h3>',
        '<table id="state-table"></table>',
        "<h3>In flight</h3>",
        '<ul class="plain" id="in-flight"></ul>',
        "</aside></main>",
        f"<script>{DOM_HELPERS_JS}{EXPLORER_JS}</script>",
        "</body></html>",
    ]) + "\n"
