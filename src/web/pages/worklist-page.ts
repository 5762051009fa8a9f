import type { WorklistModel } from '../views/worklist-model';
import { html, query, type Html } from './html';
import { entityLabel, MANUAL_STATUS_LABELS, when } from './labels';
import { pager } from './pager';

/** The worklist: every manual action once, open first; marks done (or back open) right here. */
export function worklistPage(m: WorklistModel, timeZone: string, csrf?: string): Html {
  const f = m.filter;
  const href = (page: number) => `/worklist${query({ link: f.link, status: f.status, overdue: f.overdue ? '1' : '', q: f.q, page })}`;
  const statuses: [string, string][] = [['open', 'открытые'], ['done', 'отмеченные выполненными'], ['resolved', 'видно на платформе'], ['all', 'все']];
  const form = (linkId: string, actionId: string, mark: 'done' | 'reopen', label: string) =>
    csrf
      ? html`<form class="inline" method="post" action="/links/${linkId}/worklist/${mark}"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="actionIds" value="${actionId}"><input type="hidden" name="back" value="${href(m.page)}"><button type="submit" class="small${mark === 'reopen' ? ' secondary' : ''}">${label}</button></form>`
      : '';
  return html`<p class="hint">Что нужно сделать вручную в интерфейсе платформы (её API этого не позволяет) — каждое действие одно на все запуски: отметка «выполнено» сохраняется, а когда очередной запуск видит, что на платформе всё сделано, действие закрывается само. Открытые дольше ${m.overdueDays} дней отмечены.</p>
<form class="filters" method="get" action="/worklist" role="search" data-autosubmit>
<label>Поиск<input type="search" name="q" value="${f.q}" placeholder="${m.showNames ? 'фамилия, класс, что сделать' : 'класс или что сделать'}"></label>
${m.links.length > 1 ? html`<label>Школа<select name="link"><option value="">все школы</option>${m.links.map((l) => html`<option value="${l.id}"${l.id === f.link ? html` selected` : ''}>${l.label}</option>`)}</select></label>` : ''}
<label>Состояние<select name="status">${statuses.map(([v, l]) => html`<option value="${v}"${v === f.status ? html` selected` : ''}>${l}</option>`)}</select></label>
<label class="check"><span>Только давно открытые</span><input type="checkbox" name="overdue" value="1"${f.overdue ? html` checked` : ''}></label>
<button type="submit">Показать</button></form>
<table id="worklist" class="stack"><thead><tr><th>Что сделать</th><th>Данные для ввода</th><th>Состояние</th></tr></thead><tbody>${
    m.rows.length
      ? m.rows.map(
          (a) =>
            html`<tr data-action="${a.actionId}" data-state="${a.status}"${a.overdue ? html` class="attention"` : ''}><td data-label="Что сделать"><b>${a.title}</b><div class="hint">${a.schoolName} · ${entityLabel(a.entity)}${
              a.pupilId ? html` · <a href="/links/${a.linkId}/pupils/${encodeURIComponent(a.pupilId)}">${a.pupilLabel}</a>` : ''
            }</div><div class="hint">${a.reason}</div></td><td class="manual-data" data-label="Данные для ввода">${a.fields.map((x) => html`<div><span class="muted">${x.label}:</span> ${x.value}${x.previous !== undefined ? html` <span class="hint">(сейчас: ${x.previous})</span>` : ''}</div>`)}${
              a.redacted ? html`<div class="hint">Персональные данные удалены при переходе на шифрование; следующий запуск заполнит их снова.</div>` : ''
            }</td><td data-label="Состояние">${a.status === 'open' ? html`<span class="muted">открыто ${a.days} дн.</span>` : html`<span class="mark-done">✓ ${MANUAL_STATUS_LABELS[a.status]}</span>`}${a.overdue ? html`<div class="overdue">давно открыто</div>` : ''}${
              a.doneBy ? html`<div class="hint">${a.doneBy.name}, ${when(a.doneBy.at, timeZone)}</div>` : ''
            }${a.resolvedAt ? html`<div class="hint">закрыто запуском ${when(a.resolvedAt, timeZone)}</div>` : ''}<div class="hint">впервые ${when(a.firstSeenAt, timeZone)}; <a href="/runs/${a.lastRunId}#manual-${a.actionId}">последний запуск</a></div><div class="actions">${
              a.mayAct ? (a.status === 'open' ? form(a.linkId, a.actionId, 'done', 'Отметить выполненным') : a.status === 'done' ? form(a.linkId, a.actionId, 'reopen', 'Вернуть в работу') : '') : ''
            }</div></td></tr>`,
        )
      : html`<tr><td colspan="3">Ручных действий ${f.status === 'open' ? 'в работе ' : ''}нет.</td></tr>`
  }</tbody></table>${pager(m.page, m.pages, href, m.total)}`;
}
