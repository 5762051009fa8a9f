/** The dashboard's stylesheet (served from the app; no inline styles anywhere). */
export const DASHBOARD_CSS = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif;margin:0;color:#1d2330;background:#f4f5f8;font-size:15px;line-height:1.4}
a{color:#1f4e8c}
header.top{background:#1f4e8c;color:#fff;padding:8px 20px;display:flex;gap:18px;align-items:center;flex-wrap:wrap}
header.top a{color:#fff;text-decoration:none}header.top .brand{font-weight:700;font-size:17px;margin-right:8px}
header.top nav{display:flex;gap:16px}header.top nav a{padding:4px 2px;border-bottom:2px solid transparent}header.top nav a[aria-current=page]{border-bottom-color:#fff;font-weight:600}
header.top .who{margin-left:auto;font-size:14px;display:flex;gap:8px;align-items:center}.who-role{opacity:.85}
button.link{background:none;border:1px solid #fff;color:#fff;padding:3px 10px;border-radius:4px;cursor:pointer}
main{max-width:1320px;margin:0 auto;padding:10px 20px 40px}
h1{font-size:22px;margin:8px 0 12px}h2{font-size:18px;margin:20px 0 8px}h3{font-size:16px;margin:12px 0 6px}
p.back{margin:6px 0 0;font-size:14px}
table{border-collapse:collapse;width:100%;background:#fff;margin:6px 0 14px;font-size:14px}
th,td{border-bottom:1px solid #e1e4ea;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef1f6;font-weight:600}td.num,th.num{text-align:right;white-space:nowrap}
tr.attention td{background:#fff7e6}
.st{padding:1px 8px;border-radius:10px;font-size:13px;white-space:nowrap;background:#e8eaef}
.st-succeeded{background:#d9f2df}.st-failed{background:#f8d7da}.st-partial{background:#fff0c2}.st-held{background:#ffe1b3}
.st-applying,.st-planned,.st-approved{background:#dbe8ff}.st-rolled_back,.st-discarded,.st-cancelled,.st-superseded{background:#e8eaef}
.hint{color:#4a5568;font-size:13px}.muted{color:#6b7280}.code{font-family:"DejaVu Sans Mono",monospace;font-size:13px;white-space:nowrap}
.card{background:#fff;border:1px solid #e1e4ea;border-radius:6px;padding:10px 14px;margin-bottom:12px}
.cards{display:flex;gap:12px;flex-wrap:wrap}.cards .card{flex:1 1 200px}
.facts{display:grid;grid-template-columns:max-content 1fr max-content 1fr max-content 1fr;gap:4px 12px;margin:0;align-items:baseline}.facts dt{font-size:13px;color:#6b7280}.facts dd{margin:0}
.banner{background:#fff3cd;border:1px solid #e0c36a;padding:8px 12px;border-radius:4px;margin-bottom:12px}
.banner.bad{background:#fde8ea;border-color:#e5a1a8}.banner.ok{background:#e3f5e8;border-color:#9fd3ad}
.actions{display:flex;gap:8px;flex-wrap:wrap;align-items:center}
a.button,button{display:inline-block;padding:6px 12px;border-radius:4px;border:1px solid #1f4e8c;background:#1f4e8c;color:#fff;cursor:pointer;text-decoration:none;font-size:14px;line-height:1.3}
a.button.secondary,button.secondary{background:#fff;color:#1f4e8c}a.button.danger,button.danger{background:#a4262c;border-color:#a4262c}
a.button.small,button.small{padding:2px 8px;font-size:13px}
form.inline{display:inline}
form.filters{display:flex;gap:10px;flex-wrap:wrap;align-items:flex-end;background:#fff;border:1px solid #e1e4ea;border-radius:6px;padding:8px 12px;margin-bottom:10px}
form.filters label{display:flex;flex-direction:column;font-size:13px;color:#4a5568;gap:2px}
input,select,textarea{font:inherit;padding:4px 6px;border:1px solid #b8bfcc;border-radius:4px}
.confirm-box{max-width:760px}.confirm-box textarea{width:100%;min-height:60px}
.chart{background:#fff;border:1px solid #e1e4ea;border-radius:6px;padding:6px 12px;margin:0 0 10px}
.chart svg{display:block;width:100%;height:auto;max-height:110px}.chart details{border:0;padding:0;margin:0}.legend{font-size:13px;display:flex;gap:14px}
.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:middle}.sw-ok{background:#7aa6d9}.sw-bad{background:#d1495b}.sw-held{background:#f0a202}
progress{width:320px;height:14px;vertical-align:middle}
details{background:#fff;border:1px solid #e1e4ea;border-radius:6px;padding:6px 12px;margin-bottom:8px}details>summary{cursor:pointer;font-weight:600}
.group-head{display:flex;gap:12px;align-items:baseline;flex-wrap:wrap}
ol.todo>li{margin-bottom:8px}
tr.done td.manual-data{text-decoration:line-through;color:#6b7280}.mark-done{color:#17602b;font-weight:600}ol.todo>li.done>details>summary{color:#6b7280;text-decoration:line-through}
.pager{display:flex;gap:10px;align-items:center;margin:6px 0}
.diff-before{color:#8a1c24}.diff-after{color:#17602b;font-weight:600}
.nowrap{white-space:nowrap}
ul.fields{list-style:none;margin:0;padding:0}ul.fields li{margin:0 0 2px}
.diff-before{text-decoration:line-through;text-decoration-color:#c98a90}.diff-removed{color:#8a1c24}
th.w-what{width:36%}
@media (max-width:1500px){.who-role{display:none}}
a.who,span.who{font-weight:600}
.overdue{color:#a4262c;font-weight:600;font-size:13px;margin-top:2px}
p.fix{margin:4px 0}td.fix-links a{font-weight:600}
ul.choices{background:#fff;border:1px solid #e1e4ea;border-radius:6px;padding:10px 30px}ul.choices li{margin:6px 0}
tr.current td{background:#eef5ff}
:target{outline:3px solid #f0a202;outline-offset:2px}
.scroll{overflow-x:auto}
@media (max-width:760px){
  body{font-size:15px}
  header.top{padding:8px 10px;gap:8px}header.top nav{gap:2px 12px;flex-wrap:wrap;width:100%;order:3;font-size:14px}header.top .who{margin-left:auto;font-size:13px}.who-role{display:none}
  main{padding:8px 10px 30px}
  h1{font-size:19px;overflow-wrap:anywhere}
  .facts{grid-template-columns:minmax(0,38%) minmax(0,1fr)}.facts dt,.facts dd{min-width:0;overflow-wrap:anywhere}.st{white-space:normal}
  form.filters{flex-direction:column;align-items:stretch}form.filters input,form.filters select{width:100%}
  table{font-size:14px}
  table.stack thead{display:none}
  table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
  table.stack tr{border:1px solid #e1e4ea;border-radius:6px;margin-bottom:8px;padding:4px 0;background:#fff}
  table.stack td{border:0;padding:3px 10px;text-align:left}
  table.stack td.num{text-align:left}
  table.stack td[data-label]::before{content:attr(data-label);display:block;font-size:12px;color:#6b7280}
  table:not(.stack){display:block;overflow-x:auto}
  .chart svg{max-height:80px}
  progress{width:100%}
  .code{white-space:normal;overflow-wrap:anywhere}
  .banner,.card{overflow-wrap:anywhere}
}
`;
