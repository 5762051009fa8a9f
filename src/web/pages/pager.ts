import { html, type Html } from './html';

/** «← назад · страница 2 из 7 · дальше →» for any paged list; `href(page)` keeps the list's filters. */
export function pager(page: number, pages: number, href: (page: number) => string, total?: number): Html {
  if (pages <= 1) return html`${total !== undefined ? html`<p class="muted">Всего: ${total}.</p>` : ''}`;
  return html`<nav class="pager" aria-label="Страницы">${page > 1 ? html`<a href="${href(page - 1)}" rel="prev">← назад</a>` : ''}<span>страница ${page} из ${pages}${total !== undefined ? `, всего ${total}` : ''}</span>${
    page < pages ? html`<a href="${href(page + 1)}" rel="next">дальше →</a>` : ''
  }</nav>`;
}

/** A positive page number from a query string (1 when absent or wrong). */
export function pageOf(v: unknown): number {
  const n = Math.floor(Number(v));
  return Number.isFinite(n) && n >= 1 ? n : 1;
}
