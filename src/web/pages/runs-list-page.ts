import { RUN_STATUS_LABELS, RUN_STATUSES, type RunRecord } from '../../store';
import { html, query, type Html } from './html';
import { RUN_KIND_LABELS, statusBadge, TRIGGER_LABELS, when } from './labels';
import { runTotals } from '../views/run-counts';

export interface RunsListModel {
  runs: (RunRecord & { schoolName: string; linkName: string })[];
  links: { id: string; label: string }[];
  filter: { link: string; status: string; q: string };
  page: number;
  hasNext: boolean;
}

/** Every run of the person's schools, newest first: by link (school), state, a run id; a page at a time. */
export function runsListPage(m: RunsListModel, timeZone: string): Html {
  const href = (page: number) => `/runs${query({ link: m.filter.link, status: m.filter.status, q: m.filter.q, page })}`;
  return html`<form class="filters" method="get" action="/runs" role="search" data-autosubmit>
<label>Школа и связь<select name="link"><option value="">все</option>${m.links.map((l) => html`<option value="${l.id}"${l.id === m.filter.link ? html` selected` : ''}>${l.label}</option>`)}</select></label>
<label>Состояние<select name="status"><option value="">все</option>${RUN_STATUSES.map((s) => html`<option value="${s}"${s === m.filter.status ? html` selected` : ''}>${RUN_STATUS_LABELS[s]}</option>`)}</select></label>
<label>Номер запуска<input type="search" name="q" value="${m.filter.q}" placeholder="run-…"></label><button type="submit">Показать</button></form>
<table id="runs" class="stack"><thead><tr><th>Начат</th><th>Школа</th><th>Состояние</th><th>Вид</th><th class="num">План</th><th class="num">Доставлено</th><th class="num">Не доставлено</th><th class="num">Вручную</th></tr></thead><tbody>${
    m.runs.length
      ? m.runs.map((r) => {
          const t = runTotals(r);
          return html`<tr data-run="${r.id}"><td data-label="Начат"><a href="/runs/${r.id}">${when(r.createdAt, timeZone)}</a></td><td data-label="Школа">${r.schoolName}<div class="hint">${r.linkName}</div></td><td data-label="Состояние">${statusBadge(r.status)}</td><td data-label="Вид">${RUN_KIND_LABELS[r.kind] ?? r.kind}, ${
            TRIGGER_LABELS[r.trigger] ?? r.trigger
          }</td><td class="num" data-label="План">${t.planned}</td><td class="num" data-label="Доставлено">${t.applied}</td><td class="num" data-label="Не доставлено">${t.failed ? html`<b>${t.failed}</b>` : 0}</td><td class="num" data-label="Вручную">${t.manual}</td></tr>`;
        })
      : html`<tr><td colspan="8">Запусков нет.</td></tr>`
  }</tbody></table>
<nav class="pager" aria-label="Страницы">${m.page > 1 ? html`<a href="${href(m.page - 1)}" rel="prev">← новее</a>` : ''}<span>страница ${m.page}</span>${m.hasNext ? html`<a href="${href(m.page + 1)}" rel="next">старше →</a>` : ''}</nav>`;
}
