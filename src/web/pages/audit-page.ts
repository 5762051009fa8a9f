import { auditDetails, auditObjectText } from '../views/audit-details';
import type { auditModel } from '../views/audit-model';
import { html, query, type Html } from './html';
import { auditActionLabel, when } from './labels';

type AuditModel = Awaited<ReturnType<typeof auditModel>>;

function objectLink(type: string, id: string | null): Html | string {
  if (type === 'run' && id) return html`<a href="/runs/${id}">запуск ${id}</a>`;
  return auditObjectText(type, id);
}

/** Who did what, when. */
export function auditPage(m: AuditModel, timeZone: string): Html {
  const q = m.query;
  const pageLink = (page: number) => `/audit${query({ action: q.action, actor: q.actor, from: q.from, to: q.to, school: q.school, page })}`;
  return html`<form class="filters" method="get" action="/audit" data-autosubmit role="search">
<label>Действие<select name="action"><option value="">все</option>${m.actions.map((a) => html`<option value="${a}"${a === q.action ? html` selected` : ''}>${auditActionLabel(a)}</option>`)}</select></label>
<label>Кто<input type="search" name="actor" value="${q.actor ?? ''}" placeholder="фамилия или oid"></label>${
    m.schools.length > 1
      ? html`<label>Школа<select name="school"><option value="">все школы</option>${m.schools.map((s) => html`<option value="${s.id}"${s.id === q.school ? html` selected` : ''}>${s.name}</option>`)}</select></label>`
      : ''
  }
<label>С<input type="date" name="from" value="${q.from ?? ''}"></label><label>По<input type="date" name="to" value="${q.to ?? ''}"></label>
<button type="submit">Показать</button> <a href="/audit">сбросить</a></form>
<p class="muted">Записей: ${m.total}. Страница ${m.page} из ${m.pages}. <a href="/api/exports/audit${query({ format: 'xlsx', action: q.action, actor: q.actor, from: q.from, to: q.to, school: q.school })}">Скачать (XLSX)</a> · <a href="/api/exports/audit${query({ format: 'csv', action: q.action, actor: q.actor, from: q.from, to: q.to, school: q.school })}">CSV</a></p>
<table id="audit"><thead><tr><th>Когда</th><th>Кто</th><th>Что сделал</th><th>С чем</th><th>Школа</th><th>Подробности</th></tr></thead><tbody>${
    m.rows.length
      ? m.rows.map(
          (e) => html`<tr data-action="${e.action}"><td class="nowrap">${when(e.at, timeZone)}</td><td>${e.actorName}<div class="hint">ЕСИА oid ${e.actorOid}</div></td><td>${auditActionLabel(e.action)}</td><td>${objectLink(e.objectType, e.objectId)}</td><td>${e.schoolId ? (m.schoolNames.get(e.schoolId) ?? e.schoolId) : '—'}</td><td class="hint">${auditDetails(e.details)}</td></tr>`,
        )
      : html`<tr><td colspan="6">Записей нет.</td></tr>`
  }</tbody></table>
<div class="pager">${m.page > 1 ? html`<a href="${pageLink(m.page - 1)}">← новее</a>` : ''}${m.page < m.pages ? html`<a href="${pageLink(m.page + 1)}">старше →</a>` : ''}</div>`;
}
