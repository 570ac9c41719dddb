"""HTML building blocks of the report: escaping, tables, anchors and the self-contained page shell."""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

STYLE = """
:root { --ink:#202124; --muted:#5f6368; --line:#dadce0; --accent:#1a73e8; --bg:#f8f9fa; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0; background: #fff; }
header { background: #17324d; color: #fff; padding: 22px 40px 18px; }
header h1 { margin: 0 0 6px; font-size: 26px; font-weight: 600; }
header p { margin: 2px 0; color: #cfd8e3; font-size: 14px; }
main { max-width: 1180px; margin: 0 auto; padding: 8px 40px 60px; }
nav.toc { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; margin: 18px 0; }
nav.toc a { margin-right: 14px; white-space: nowrap; }
.stats { display: flex; gap: 14px; margin: 18px 0; flex-wrap: wrap; }
.stat { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 130px; }
.stat b { display: block; font-size: 22px; }
.stat span { color: var(--muted); font-size: 13px; }
section.issue { border-top: 3px solid #17324d; margin-top: 34px; padding-top: 4px; }
h2 { font-size: 22px; margin: 14px 0 4px; }
h2 small { color: var(--muted); font-weight: 400; font-size: 14px; margin-left: 8px; }
h3 { font-size: 16px; margin: 22px 0 6px; color: #17324d; }
figure.chart { margin: 8px 0 4px; }
figure.chart figcaption { color: var(--muted); font-size: 13px; }
.vis { min-height: 60px; }
.note { color: var(--muted); font-style: italic; margin: 6px 0; }
.empty { border: 2px dashed #d93025; color: #a50e0e; background: #fce8e6; padding: 18px 22px; border-radius: 8px;
         font-size: 17px; margin: 28px 0; }
.warn { border-left: 4px solid #f9ab00; background: #fef7e0; padding: 10px 14px; margin: 16px 0; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; margin: 6px 0 10px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
td:first-child { white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
blockquote { margin: 4px 0 8px; padding: 4px 12px; border-left: 3px solid var(--line); color: #3c4043; }
.official { margin: 10px 0 14px; }
.official .who { font-weight: 600; } .official .meta { color: var(--muted); font-size: 13px; }
details summary { cursor: pointer; color: var(--accent); font-size: 13.5px; }
tr:target { background: #fff3bf; }
.error { color: #d93025; }
"""

BOOT = """
(function () {
  const status = document.getElementById("render-status");
  const specs = JSON.parse(document.getElementById("chart-specs").textContent);
  let rendered = 0, errors = 0;
  function note(kind) {
    if (kind === "ok") rendered += 1; else errors += 1;
    status.dataset.rendered = rendered; status.dataset.errors = errors;
    if (rendered + errors === Object.keys(specs).length) status.dataset.done = "1";
  }
  window.addEventListener("error", function () { note("error"); });
  if (Object.keys(specs).length === 0) { status.dataset.done = "1"; }
  for (const [id, spec] of Object.entries(specs)) {
    const el = document.getElementById(id);
    vegaEmbed(el, spec, {actions: false, renderer: "svg", loader: {target: "_self"}})
      .then(function () { el.dataset.rendered = "1"; note("ok"); })
      .catch(function (err) {
        el.innerHTML = '<p class="error">This chart could not be drawn: ' + String(err.message || err) + '</p>';
        console.error(err); note("error");
      });
  }
})();
"""


def esc(value: object) -> str:
    """Escape any value for HTML text; None and NaN become empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value))


def doc_anchor(doc_id: str) -> str:
    """Return the stable HTML id of a document's row in the documents table."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", doc_id).strip("-")[:60]
    return f"doc-{slug}-{hashlib.sha1(doc_id.encode('utf-8')).hexdigest()[:6]}"


def doc_link(doc_id: str, *, label: str | None = None) -> str:
    """Return a link to a document's row in the documents table."""
    return f'<a href="#{doc_anchor(doc_id)}">{esc(label or doc_id)}</a>'


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], *, numeric: Sequence[int] = (), row_ids: Sequence[str] | None = None) -> str:
    """Return an HTML table from already-escaped cell HTML."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for i, row in enumerate(rows):
        cells = "".join(f'<td class="num">{c}</td>' if j in numeric else f"<td>{c}</td>" for j, c in enumerate(row))
        row_id = f' id="{row_ids[i]}"' if row_ids else ""
        body.append(f"<tr{row_id}>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def script_json(obj: object) -> str:
    """Serialise to JSON that is safe inside a <script> element."""
    return json.dumps(obj, ensure_ascii=False, allow_nan=False).replace("</", "<\\/")


@lru_cache(maxsize=1)
def vega_bundle() -> str:
    """Return the Vega, Vega-Lite and vega-embed JavaScript bundle, for pages that work offline."""
    import vl_convert
    from altair.utils._importers import vl_version_for_vl_convert

    return vl_convert.javascript_bundle(vl_version=vl_version_for_vl_convert())


def page(*, title: str, header: str, body: str, specs: dict[str, dict]) -> str:
    """Assemble the full self-contained page: styles, inlined Vega libraries, content and chart boot code."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{esc(title)}</title>"
        f"<style>{STYLE}</style>"
        f"<script>{vega_bundle()}</script></head><body>"
        f"<header>{header}</header><main>{body}</main>"
        f'<div id="render-status" hidden data-charts="{len(specs)}" data-rendered="0" data-errors="0"></div>'
        f'<script type="application/json" id="chart-specs">{script_json(specs)}</script>'
        f"<script>{BOOT}</script></body></html>\n"
    )
