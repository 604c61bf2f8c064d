/**
 * The page's stylesheet and its one script, inlined into the report (no network). The script
 * only shows a plot point's description (the aria-label vega writes on each mark) in a tooltip
 * under the pointer; the page reads fully without it.
 */

export const PAGE_CSS = `
:root { --fg:#1d2430; --muted:#5b6574; --line:#e3e6ea; --bg:#f6f7f9; --card:#fff; --accent:#d6452b; --blue:#2f6db5; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 Helvetica, Arial, sans-serif; color:var(--fg); background:var(--bg); }
header { background:#1d2430; color:#fff; padding:18px 32px 14px; }
header h1 { margin:0 0 4px; font-size:20px; font-weight:600; }
header .sub { color:#c8cfd9; font-size:13px; }
.badge { display:inline-block; padding:2px 8px; border-radius:10px; font-size:12px; font-weight:600; margin-right:8px; }
.badge.finished { background:#3a9a4a; } .badge.running { background:#e0a100; color:#1d2430; }
.badge.crashed { background:#b0413e; } .badge.interrupted { background:#8a6d3b; } .badge.empty { background:#6b7480; }
nav { background:#fff; border-bottom:1px solid var(--line); padding:6px 32px; position:sticky; top:0; z-index:2; }
nav a { color:var(--blue); text-decoration:none; margin-right:18px; font-size:13px; }
main { padding:8px 32px 40px; max-width:1480px; }
section { margin-top:22px; }
h2 { font-size:17px; margin:0 0 10px; border-bottom:2px solid var(--line); padding-bottom:4px; }
h3 { font-size:14px; margin:0 0 6px; }
.note { color:var(--muted); font-size:12.5px; margin:4px 0 10px; }
.problems { background:#fff4e5; border:1px solid #f0c36d; border-radius:6px; padding:8px 14px; margin-top:14px; }
.problems ul { margin:4px 0; padding-left:20px; }
.stats { display:flex; flex-wrap:wrap; gap:10px; }
.stat { background:var(--card); border:1px solid var(--line); border-radius:6px; padding:8px 14px; min-width:120px; }
.stat b { display:block; font-size:18px; } .stat span { color:var(--muted); font-size:12px; }
.plots { display:flex; flex-wrap:wrap; gap:14px; align-items:flex-start; }
.plot { background:var(--card); border:1px solid var(--line); border-radius:6px; padding:10px; }
.plot svg { display:block; max-width:100%; height:auto; }
.layers { display:grid; grid-template-columns:repeat(auto-fill, minmax(400px, 1fr)); gap:14px; }
.layer { background:var(--card); border:1px solid var(--line); border-radius:6px; padding:12px 14px; overflow:hidden; }
.layer .formula { font:12.5px/1.4 Menlo, Consolas, monospace; background:#f3f5f8; padding:6px 8px; border-radius:4px; word-break:break-all; }
.graph-drawing { margin:8px 0; overflow-x:auto; text-align:center; }
.graph-drawing svg { max-width:100%; height:auto; max-height:230px; }
.front-table td.formula-cell { max-width:420px; }
.front-table a { color:var(--blue); text-decoration:none; }
table { border-collapse:collapse; font-size:12.5px; margin:4px 0; }
th, td { text-align:left; padding:3px 10px 3px 0; border-bottom:1px solid var(--line); vertical-align:top; }
th { color:var(--muted); font-weight:600; }
td.num { text-align:right; font-variant-numeric:tabular-nums; }
td code, li code { font:11.5px Menlo, Consolas, monospace; word-break:break-all; }
details summary { cursor:pointer; color:var(--blue); font-size:12.5px; margin:4px 0; }
pre { background:#f3f5f8; padding:8px; border-radius:4px; font-size:12px; overflow:auto; max-height:420px; }
.kv td:first-child { color:var(--muted); padding-right:18px; white-space:nowrap; }
#tip { position:fixed; pointer-events:none; background:#1d2430; color:#fff; font-size:12px; padding:5px 8px; border-radius:4px; max-width:520px; display:none; z-index:5; }
`;

export const PAGE_SCRIPT = `
(function () {
  var tip = document.getElementById('tip');
  document.addEventListener('mouseover', function (e) {
    var t = e.target;
    var label = t && t.getAttribute && t.closest('.plot') ? t.getAttribute('aria-label') : null;
    if (label && t.getAttribute('role') === 'graphics-symbol') { tip.textContent = label; tip.style.display = 'block'; }
    else tip.style.display = 'none';
  });
  document.addEventListener('mousemove', function (e) {
    if (tip.style.display === 'block') { tip.style.left = (e.clientX + 14) + 'px'; tip.style.top = (e.clientY + 12) + 'px'; }
  });
})();
`;
