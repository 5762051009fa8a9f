import type { CodeFailuresModel, FailureGroupRow } from '../views/failures-model';
import { html, query, type Html } from './html';
import { entityLabel, opLabel, statusBadge, when } from './labels';

/** Failures across schools, grouped by error code. */
export function failuresPage(groups: FailureGroupRow[], timeZone: string): Html {
  return html`<p class="hint">Все неудачные попытки доставки в ваших школах, по кодам ошибок. «Не доставлено сейчас» — записи, которые так и не дошли до платформы (их можно повторить). <a href="/api/exports/failures${query({ format: 'xlsx' })}">Скачать все недоставленные (XLSX)</a> · <a href="/api/exports/failures${query({ format: 'csv' })}">CSV</a></p>
<table id="failure-groups"><thead><tr><th>Код, причина и что делать</th><th class="num">Не доставлено сейчас</th><th class="num">Неудачных попыток</th><th class="num">Запусков</th><th class="num">Связей</th><th>Впервые</th><th>Последний раз</th><th></th></tr></thead>
<tbody>${
    groups.length
      ? groups.map(
          (g) => html`<tr data-code="${g.code}"><td><a class="code" href="/failures/${encodeURIComponent(g.code)}">${g.code}</a><div>${g.message}</div><div class="hint">Что делать: ${g.hint}</div></td>
<td class="num">${g.open ? html`<b>${g.open}</b>` : 0}</td><td class="num">${g.attempts}</td><td class="num">${g.runs}</td><td class="num">${g.links}</td><td class="nowrap">${when(g.firstSeen, timeZone)}</td><td class="nowrap">${when(g.lastSeen, timeZone)}</td>
<td class="nowrap">${g.retryableRuns ? html`<a class="button small" href="/failures/${encodeURIComponent(g.code)}/confirm-retry">Повторить все</a>` : ''}</td></tr>`,
        )
      : html`<tr><td colspan="8">Ошибок доставки нет.</td></tr>`
  }</tbody></table>`;
}

/** The undelivered records of one code. */
export function codeFailuresPage(m: CodeFailuresModel, timeZone: string): Html {
  return html`<div class="card"><p>${m.message}</p><p class="hint">Что делать: ${m.hint}</p>
${m.group ? html`<p>Впервые: ${when(m.group.firstSeen, timeZone)}; последний раз: ${when(m.group.lastSeen, timeZone)}; неудачных попыток: ${m.group.attempts}.</p>` : ''}
<div class="actions">${m.group?.retryableRuns ? html`<a class="button" href="/failures/${encodeURIComponent(m.code)}/confirm-retry">Повторить все недоставленные с этим кодом</a>` : ''}
<a href="/api/exports/failures${query({ format: 'xlsx', code: m.code })}">Скачать (XLSX)</a> <a href="/api/exports/failures${query({ format: 'csv', code: m.code })}">CSV</a></div></div>
<table><thead><tr><th>Связь</th><th>Запуск</th><th>Вид записей</th><th>Действие</th><th>Запись в МИС</th><th class="num">Попыток</th></tr></thead><tbody>${
    m.rows.length
      ? m.rows.map(
          (r) => html`<tr><td>${r.linkName}<div class="hint">школа ${r.schoolId}</div></td><td><a href="/runs/${r.runId}#failures">${when(r.runCreatedAt, timeZone)}</a> ${statusBadge(r.runStatus)}</td><td>${entityLabel(r.entity)}</td><td>${opLabel(r.op)}</td><td class="code">${r.sourceId}</td><td class="num">${r.attempts}</td></tr>`,
        )
      : html`<tr><td colspan="6">Сейчас недоставленных записей с этим кодом нет.</td></tr>`
  }</tbody></table>`;
}
