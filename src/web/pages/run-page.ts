import { RUN_STATUS_LABELS } from '../../store';
import type { ManualMark } from '../actions/manual-actions';
import { RUN_ACTIONS } from '../actions/run-actions';
import type { ManualGroup, ManualItem, RunModel, StagedGroup } from '../views/run-model';
import { html, query, type Html } from './html';
import { entityLabel, MANUAL_STATUS_LABELS, opLabel, plural, RUN_KIND_LABELS, statusBadge, TRIGGER_LABELS, when } from './labels';

const IN_MOTION = ['planned', 'approved', 'applying'];

function exportLinks(runId: string, table: string, label: string): Html {
  return html`<span class="nowrap">${label}: <a href="/api/runs/${runId}/exports/${table}${query({ format: 'xlsx' })}">XLSX</a> · <a href="/api/runs/${runId}/exports/${table}${query({ format: 'csv' })}">CSV</a></span>`;
}

function values(record: Record<string, unknown> | null, fields: string[]): string {
  if (!record) return '';
  const keys = fields.length ? fields : Object.keys(record).filter((k) => k !== 'sourceId');
  return keys.map((k) => `${k}: ${record[k] === undefined ? '—' : typeof record[k] === 'object' ? JSON.stringify(record[k]) : String(record[k])}`).join('; ');
}

function stagedGroup(g: StagedGroup): Html {
  return html`<details><summary>${entityLabel(g.entity)} — ${opLabel(g.op)}: ${g.count}</summary>
<table><thead><tr><th>Запись в МИС</th><th>На платформе</th><th>Было</th><th>Станет</th></tr></thead><tbody>${g.rows.map(
    (r) => html`<tr><td class="code">${r.sourceId}</td><td class="code">${r.targetId ?? '—'}</td><td class="diff-before">${values(r.before, r.changedFields)}</td><td class="diff-after">${values(r.after, r.changedFields)}</td></tr>`,
  )}</tbody></table>${g.count > g.rows.length ? html`<p class="hint">Показаны первые ${g.rows.length} из ${g.count}; полный список — в отчёте запуска (XLSX/CSV).</p>` : ''}</details>`;
}

/** A direct form (CSRF, no confirmation: reversible, nothing goes to the platform) marking manual actions done or open again. */
function markForm(runId: string, csrf: string, mark: ManualMark, ids: string[], label: string): Html {
  return html`<form class="inline" method="post" action="/runs/${runId}/manual-actions/${mark}"><input type="hidden" name="_csrf" value="${csrf}">${ids.map((id) => html`<input type="hidden" name="actionIds" value="${id}">`)}<button type="submit" class="small${mark === 'reopen' ? ' secondary' : ''}">${label}</button></form>`;
}

function manualRow(runId: string, a: ManualItem, i: number, csrf: string | undefined, timeZone: string): Html {
  const done = a.status === 'done';
  const state = done
    ? html`<span class="mark-done">✓ ${MANUAL_STATUS_LABELS.done}</span>${a.doneBy ? html`<div class="hint">${a.doneBy}, ${when(a.doneAt, timeZone)}</div>` : ''}`
    : html`<span class="muted">${MANUAL_STATUS_LABELS.open}</span>`;
  const button = csrf ? (done ? markForm(runId, csrf, 'reopen', [a.actionId], 'Вернуть в работу') : markForm(runId, csrf, 'done', [a.actionId], 'Отметить выполненным')) : '';
  return html`<tr data-action="${a.actionId}" data-state="${a.status}"${done ? html` class="done"` : ''}><td class="num">${i + 1}</td><td class="manual-data">${a.fields.map((f) => html`<div><span class="muted">${f.label}:</span> ${f.value}${f.previous !== undefined ? html` <span class="hint">(сейчас: ${f.previous})</span>` : ''}</div>`)}</td><td>${state}<div class="actions">${button}</div></td></tr>`;
}

function manualGroup(runId: string, g: ManualGroup, open: boolean, csrf: string | undefined, timeZone: string): Html {
  const doneCount = g.actions.length - g.open;
  const groupForm = !csrf
    ? ''
    : g.open
      ? markForm(runId, csrf, 'done', g.actions.filter((a) => a.status === 'open').map((a) => a.actionId), 'Всё в группе выполнено')
      : markForm(runId, csrf, 'reopen', g.actions.map((a) => a.actionId), 'Вернуть всю группу в работу');
  return html`<li${g.open ? '' : html` class="done"`}><details${open ? html` open` : ''}><summary>${g.title} — ${g.actions.length}${doneCount ? `, выполнено ${doneCount}` : ''}</summary><p class="hint">${g.reason}</p>${groupForm ? html`<div class="actions">${groupForm}</div>` : ''}
<table><thead><tr><th>№</th><th>Данные для ввода</th><th>Состояние</th></tr></thead><tbody>${g.actions.map((a, i) => manualRow(runId, a, i, csrf, timeZone))}</tbody></table></details></li>`;
}

/**
 * A run: what it planned and delivered, what failed and why, what a person must do by hand.
 * `csrf` (the session's token) is given only when the person may act: it adds the forms.
 */
export function runPage(m: RunModel, timeZone: string, csrf?: string): Html {
  const { run } = m;
  const inMotion = IN_MOTION.includes(run.status);
  const actionButtons = m.actions
    .filter((a) => a !== 'retry' || m.failedTotal > 0)
    .map((a) => html`<a class="button${RUN_ACTIONS[a].danger ? ' danger' : ''}" href="/runs/${run.id}/confirm/${a}">${a === 'retry' ? `${RUN_ACTIONS[a].label} (${m.failedTotal})` : RUN_ACTIONS[a].label}</a>`);

  const summary = html`<div class="card"><dl class="facts">
<dt>Состояние</dt><dd>${statusBadge(run.status)}</dd>
<dt>Связь</dt><dd>${m.link?.name ?? run.linkId}</dd>
<dt>Школа</dt><dd>${run.schoolId}</dd>
<dt>Вид запуска</dt><dd>${RUN_KIND_LABELS[run.kind] ?? run.kind}, ${TRIGGER_LABELS[run.trigger] ?? run.trigger}</dd>
<dt>Начат</dt><dd>${when(run.createdAt, timeZone)}</dd><dt>Завершён</dt><dd>${when(run.finishedAt, timeZone)}</dd>
<dt>Платформа</dt><dd>${run.environment === 'emulator' ? html`<b>эмулятор (песочница, не рабочий журнал)</b>` : 'рабочая платформа'}</dd>
<dt>Записей отправлено на платформу</dt><dd>${run.writes}</dd>
${m.rollbackOf ? html`<dt>Откат запуска</dt><dd><a href="/runs/${m.rollbackOf}">${m.rollbackOf}</a></dd>` : ''}
</dl></div>`;

  const progress = inMotion
    ? html`<div class="card" data-poll-run="${run.id}" id="progress"><b>Запуск выполняется.</b> <progress max="${Math.max(1, m.progress.total)}" value="${m.progress.done}"></progress>
<span data-progress-text>${progressText(m.progress, run.status)}</span><div class="hint">Страница обновится сама, когда запуск закончится.</div></div>`
    : '';

  const whatToDo: Html[] = [];
  if (run.status === 'held') whatToDo.push(html`<li>Запуск <b>задержан</b>: проверьте причины и изменения ниже, затем одобрите или отклоните его.</li>`);
  if (m.failedTotal) whatToDo.push(html`<li>${plural(m.failedTotal, 'запись не доставлена', 'записи не доставлены', 'записей не доставлено')} — причины сгруппированы по кодам ниже. Исправьте причину и нажмите «Повторить».</li>`);
  if (m.manualOpen) whatToDo.push(html`<li>${plural(m.manualOpen, 'действие нужно', 'действия нужно', 'действий нужно')} выполнить вручную в интерфейсе платформы: их API не позволяет это записать. Выполненное отмечайте в списке ниже.</li>`);

  const entities = html`<h2>Изменения по видам записей</h2><table id="entities"><thead><tr><th>Вид записей</th><th class="num">создать</th><th class="num">изменить</th><th class="num">архивировать</th><th class="num">вручную</th><th class="num">без изменений</th><th class="num">доставлено</th><th class="num">не доставлено</th><th class="num">в очереди</th></tr></thead>
<tbody>${
    m.entities.length
      ? m.entities.map(
          (e) =>
            html`<tr><td>${entityLabel(e.entity)}</td><td class="num">${e.planned.create}</td><td class="num">${e.planned.update}</td><td class="num">${e.planned.archive}</td><td class="num">${e.planned.manual}</td><td class="num">${e.planned.unchanged}</td><td class="num">${e.delivered.applied}</td><td class="num">${e.delivered.failed ? html`<b>${e.delivered.failed}</b>` : 0}</td><td class="num">${e.delivered.pending}</td></tr>`,
        )
      : html`<tr><td colspan="9">Изменений нет: платформа уже совпадает с МИС.</td></tr>`
  }</tbody></table>`;

  const held = run.status === 'held'
    ? html`<h2>Почему запуск задержан</h2><div class="card" id="held-reasons"><ul>${m.heldReasons.map((r) => html`<li><span class="code">${r.code}</span> — ${r.message}${r.entity ? ` (${entityLabel(r.entity)})` : ''}<div class="hint">${r.hint}</div></li>`)}</ul></div>
<h2>Подготовленные изменения (ещё не отправлены)</h2>${m.staged.length ? m.staged.map(stagedGroup) : html`<p>Нет подготовленных изменений.</p>`}`
    : '';

  const failures = m.failures.length
    ? html`<h2 id="failures">Недоставленные записи (${m.failedTotal})</h2><p>${exportLinks(run.id, 'failures', 'Скачать список')}</p>${m.failures.map(
        (g) => html`<section class="card failure-group" data-code="${g.code}"><div class="group-head"><h3><span class="code">${g.code}</span> — ${g.message}</h3><span>${plural(g.changes.length, 'запись', 'записи', 'записей')}</span>
${m.mayAct && m.actions.includes('retry') ? html`<a class="button small" href="/runs/${run.id}/confirm/retry${query({ code: g.code })}">Повторить все с этим кодом</a>` : ''}</div>
<p class="hint">Что делать: ${g.hint}${g.retryable ? ' Ошибка временная: доставка уже повторялась автоматически.' : ''}</p>
<table><thead><tr><th>Вид записей</th><th>Действие</th><th>Запись в МИС</th><th class="num">Попыток</th><th>Последний ответ платформы</th><th></th></tr></thead><tbody>${g.changes.map(
          (c) => html`<tr data-change="${c.changeId}"><td>${entityLabel(c.entity)}</td><td>${opLabel(c.op)}</td><td class="code">${c.sourceId}</td><td class="num">${c.attempts}</td>
<td>${c.last ? html`${c.last.status ? `HTTP ${c.last.status}` : 'нет ответа'}, код ${c.last.errorCode ?? '—'}${c.last.retryable ? ' (временная)' : ''}<div class="hint">${when(c.last.at, timeZone)}${c.last.durationMs !== null ? `, ${c.last.durationMs} мс` : ''}${c.last.method ? `, ${c.last.method} ${c.last.path ?? ''}` : ''}</div>` : '—'}${c.platformAnswer ? html`<div class="hint platform-answer">${c.platformAnswer}</div>` : ''}</td>
<td><div class="actions">${m.mayAct && m.actions.includes('retry') ? html`<a class="button small secondary" href="/runs/${run.id}/confirm/retry${query({ change: c.changeId })}">Повторить</a>` : ''}${c.jobUrl ? html`<a href="${c.jobUrl}" class="small">задача в очереди</a>` : ''}</div></td></tr>`,
        )}</tbody></table></section>`,
      )}`
    : '';

  const formCsrf = m.mayAct ? csrf : undefined;
  const manual = m.manual.length
    ? html`<h2 id="manual">Сделать вручную в интерфейсе платформы (${m.manualOpen ? `осталось ${m.manualOpen} из ${m.manualTotal}` : `всё выполнено: ${m.manualTotal}`})</h2><p class="hint">API платформы не позволяет записать эти изменения. Выполните их по списку и отмечайте выполненное${m.showNames ? '' : ' (персональные данные скрыты: список видит администратор ЭЖ школы)'}. ${exportLinks(run.id, 'manual-actions', 'Скачать список')}</p>
<ol class="todo">${m.manual.map((g) => manualGroup(run.id, g, m.manual.length <= 3 && g.open > 0, formCsrf, timeZone))}</ol>`
    : '';

  const findings = m.findings.length
    ? html`<h2 id="findings">Замечания (${m.findings.length})</h2><p>${exportLinks(run.id, 'findings', 'Скачать')}</p><table><thead><tr><th>Код</th><th>Что случилось</th><th>Что делать</th><th>Где</th></tr></thead><tbody>${m.findings.slice(0, 200).map(
        (f) => html`<tr><td class="code">${f.code}</td><td>${f.message}</td><td class="hint">${f.hint}</td><td>${[f.file, f.row, f.field, f.entity ? entityLabel(f.entity) : undefined, f.sourceId].filter((x) => x !== undefined).join(' · ')}</td></tr>`,
      )}</tbody></table>${m.findings.length > 200 ? html`<p class="hint">Показаны первые 200; все — в выгрузке.</p>` : ''}`
    : '';

  return html`${progress}${summary}
${whatToDo.length ? html`<div class="card"><b>Что нужно сделать</b><ul>${whatToDo}</ul></div>` : ''}
${actionButtons.length ? html`<div class="card actions" id="run-actions">${actionButtons}</div>` : ''}
${held}${failures}${manual}${entities}${findings}
<p>${exportLinks(run.id, 'report', 'Отчёт запуска')}</p>`;
}

export function progressText(p: { total: number; done: number; applied: number; failed: number; pending: number }, status: string): string {
  if (status === 'planned') return 'Чтение данных и построение плана…';
  if (status === 'approved') return 'Одобрен, постановка в очередь…';
  return `${RUN_STATUS_LABELS.applying}: обработано ${p.done} из ${p.total} (доставлено ${p.applied}, не доставлено ${p.failed}, в очереди ${p.pending})`;
}
