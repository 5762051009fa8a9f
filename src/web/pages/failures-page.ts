import type { CodeFailuresModel, FailureGroupRow } from '../views/failures-model';
import { html, query, type Html } from './html';
import { statusBadge, when } from './labels';
import { pager } from './pager';
import { concerns, fieldList } from './run-page';

/** Failures across schools, grouped by error code; found by code or words, one school or all. */
export function failuresPage(groups: FailureGroupRow[], timeZone: string, filter: { q?: string; school?: string; schools: { id: string; name: string }[] } = { schools: [] }): Html {
  return html`<p class="hint">Все неудачные попытки доставки в ваших школах, по кодам ошибок. «Не доставлено сейчас» — записи, которые так и не дошли до платформы (их можно повторить). <a href="/api/exports/failures${query({ format: 'xlsx' })}">Скачать все недоставленные (XLSX)</a> · <a href="/api/exports/failures${query({ format: 'csv' })}">CSV</a></p>
<form class="filters" method="get" action="/failures" role="search" data-autosubmit><label>Поиск<input type="search" name="q" value="${filter.q ?? ''}" placeholder="код или слова ошибки"></label>${
    filter.schools.length > 1
      ? html`<label>Школа<select name="school"><option value="">все школы</option>${filter.schools.map((s) => html`<option value="${s.id}"${s.id === filter.school ? html` selected` : ''}>${s.name}</option>`)}</select></label>`
      : ''
  }<button type="submit">Показать</button></form>
<table id="failure-groups" class="stack"><thead><tr><th>Код, причина и что делать</th><th class="num">Не доставлено сейчас</th><th class="num">Неудачных попыток</th><th class="num">Запусков</th><th class="num">Связей</th><th>Впервые</th><th>Последний раз</th><th></th></tr></thead>
<tbody>${
    groups.length
      ? groups.map(
          (g) => html`<tr data-code="${g.code}"><td data-label="Ошибка"><a class="code" href="/failures/${encodeURIComponent(g.code)}${query({ school: filter.school })}">${g.code}</a><div>${g.message}</div><div class="hint">Кто исправляет: ${g.fixerLabel}. Что делать: ${g.hint}</div></td>
<td class="num" data-label="Не доставлено сейчас">${g.open ? html`<b>${g.open}</b>` : 0}</td><td class="num" data-label="Неудачных попыток">${g.attempts}</td><td class="num" data-label="Запусков">${g.runs}</td><td class="num" data-label="Связей">${g.links}</td><td class="nowrap" data-label="Впервые">${when(g.firstSeen, timeZone)}</td><td class="nowrap" data-label="Последний раз">${when(g.lastSeen, timeZone)}</td>
<td class="nowrap">${g.retryableRuns ? html`<a class="button small" href="/failures/${encodeURIComponent(g.code)}/confirm-retry">Повторить все</a>` : ''}</td></tr>`,
        )
      : html`<tr><td colspan="8">Ошибок доставки ${filter.q ? 'по этому запросу ' : ''}нет.</td></tr>`
  }</tbody></table>`;
}

/** The undelivered records of one code: whom each concerns, what it was, where its fix is. */
export function codeFailuresPage(m: CodeFailuresModel, timeZone: string): Html {
  const href = (page: number) => `/failures/${encodeURIComponent(m.code)}${query({ school: m.school, q: m.q, page })}`;
  return html`<div class="card"><p>${m.message}</p><p class="fix"><b>Кто исправляет:</b> ${m.fixerLabel}.</p><p class="hint">Что делать: ${m.hint}</p>
${m.group ? html`<p>Впервые: ${when(m.group.firstSeen, timeZone)}; последний раз: ${when(m.group.lastSeen, timeZone)}; неудачных попыток: ${m.group.attempts}.</p>` : ''}
<div class="actions">${m.group?.retryableRuns ? html`<a class="button" href="/failures/${encodeURIComponent(m.code)}/confirm-retry">Повторить все недоставленные с этим кодом</a>` : ''}
<a href="/api/exports/failures${query({ format: 'xlsx', code: m.code })}">Скачать (XLSX)</a> <a href="/api/exports/failures${query({ format: 'csv', code: m.code })}">CSV</a></div></div>
<form class="filters" method="get" action="/failures/${encodeURIComponent(m.code)}" role="search" data-autosubmit><label>Поиск<input type="search" name="q" value="${m.q}" placeholder="ученик, класс, предмет, дата"></label>${
  m.schools.length > 1
    ? html`<label>Школа<select name="school"><option value="">все школы</option>${m.schools.map((s) => html`<option value="${s.id}"${s.id === m.school ? html` selected` : ''}>${s.name}</option>`)}</select></label>`
    : ''
}<button type="submit">Показать</button></form>
<table id="code-failures" class="stack"><thead><tr><th>Школа</th><th>Запуск</th><th>Что не доставлено</th><th class="num">Попыток</th></tr></thead><tbody>${
    m.rows.length
      ? m.rows.map(
          (r) => html`<tr data-change="${r.changeId}"><td data-label="Школа">${r.schoolName}<div class="hint">${r.linkName}</div></td><td data-label="Запуск"><a href="/runs/${r.runId}#failures">${when(r.runCreatedAt, timeZone)}</a> ${statusBadge(r.runStatus)}</td><td data-label="Что не доставлено">${
            r.readable ? html`${r.readable.entityLabel}, ${r.readable.opLabel}<div>${concerns(r.readable, r.linkId)}</div>${fieldList(r.readable.fields)}` : html`<span class="code">${r.sourceId}</span>`
          }</td><td class="num" data-label="Попыток">${r.attempts}</td></tr>`,
        )
      : html`<tr><td colspan="4">${m.q ? `По запросу «${m.q}» недоставленных записей с этим кодом нет.` : 'Сейчас недоставленных записей с этим кодом нет.'}</td></tr>`
  }</tbody></table>${pager(m.page, m.pages, href, m.total)}`;
}
