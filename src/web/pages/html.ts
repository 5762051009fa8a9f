/** HTML-escaped text. */
export function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A trusted HTML fragment (already escaped). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Tagged template that escapes every interpolated value unless it is `Html` (or an array of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0];
  values.forEach((v, i) => {
    const part = Array.isArray(v) ? v.map((x) => (x instanceof Html ? x.value : esc(x))).join('') : v instanceof Html ? v.value : esc(v);
    out += part + strings[i + 1];
  });
  return new Html(out);
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#1d2330;background:#f5f6f8;font-size:15px}
header{background:#1f4e8c;color:#fff;padding:10px 20px;display:flex;gap:20px;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none;font-weight:600}header .who{margin-left:auto;font-size:14px}
main{max-width:1300px;margin:0 auto;padding:16px 20px}
table{border-collapse:collapse;width:100%;background:#fff;margin:8px 0 18px}th,td{border-bottom:1px solid #e1e4ea;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eef1f6;font-weight:600}.num{text-align:right}
.st{padding:2px 8px;border-radius:10px;font-size:13px;white-space:nowrap}.st-succeeded{background:#d9f2df}.st-failed{background:#f8d7da}.st-partial{background:#fff0c2}.st-held{background:#ffe1b3}.st-applying{background:#dbe8ff}
.hint{color:#4a5568;font-size:13px}.card{background:#fff;border:1px solid #e1e4ea;border-radius:6px;padding:12px 16px;margin-bottom:14px}
form.inline{display:inline-block;margin-right:8px}button{padding:6px 12px;border-radius:4px;border:1px solid #1f4e8c;background:#1f4e8c;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#1f4e8c}label.confirm{font-size:13px;margin-right:6px}
.banner{background:#fff3cd;border:1px solid #e0c36a;padding:8px 12px;border-radius:4px;margin-bottom:12px}
`;

export interface LayoutOptions {
  title: string;
  who?: string;
  csrf?: string;
  emulator?: boolean;
}

/** The page frame: header with navigation, the person and sign-out. Readable at 1366×768. */
export function layout(options: LayoutOptions, body: Html): string {
  return html`<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} — ejsync</title><style>${new Html(STYLE)}</style></head><body>
<header><a href="/">ejsync</a><a href="/">Связи и запуски</a><a href="/failures">Ошибки по кодам</a><a href="/audit">Журнал действий</a>
<span class="who">${options.who ?? ''}${options.csrf ? html` <form class="inline" method="post" action="/auth/logout"><input type="hidden" name="_csrf" value="${options.csrf}"><button class="secondary" type="submit">Выйти</button></form>` : ''}</span></header>
<main><h1>${options.title}</h1>${body}</main></body></html>`.value;
}
