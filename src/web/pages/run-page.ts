import type { EntityCollection } from '../../model';
import { fieldLabel } from '../../reconcile/russian-labels';
import { describeDatedRead, type DatedReadSummary } from '../../reconcile/dated-read-scope';
import { RUN_STATUS_LABELS } from '../../store';
import type { ManualMark } from '../actions/manual-actions';
import { RUN_ACTIONS } from '../actions/run-actions';
import type { ManualGroup, ManualItem, RunModel, StagedGroup } from '../views/run-model';
import type { ReadableChange, ReadableField } from '../views/readable-change';
import { html, query, type Html } from './html';
import { entityLabel, MANUAL_STATUS_LABELS, opLabel, plural, RUN_KIND_LABELS, statusBadge, TRIGGER_LABELS, when } from './labels';

const IN_MOTION = ['planned', 'approved', 'applying'];

function exportLinks(runId: string, table: string, label: string): Html {
  return html`<span class="nowrap">${label}: <a href="/api/runs/${runId}/exports/${table}${query({ format: 'xlsx' })}">XLSX</a> · <a href="/api/runs/${runId}/exports/${table}${query({ format: 'csv' })}">CSV</a></span>`;
}

/** Each field of a change: «Отметка: «4» → «5»» (before struck through, after highlighted). */
export function fieldList(fields: readonly ReadableField[]): Html {
  if (!fields.length) return html`<span class="muted">—</span>`;
  return html`<ul class="fields">${fields.map(
    (f) =>
      html`<li><span class="muted">${f.label}:</span> ${
        f.before !== undefined && f.after !== undefined
          ? html`<span class="diff-before">${f.before}</span> → <span class="diff-after">${f.after}</span>`
          : f.after !== undefined
            ? html`<span class="diff-after">${f.after}</span>`
            : html`<span class="diff-removed">${f.before}</span>`
      }</li>`,
  )}</ul>`;
}

/** Who or what a change concerns: the person (a link to the pupil's page), then class, subject, date, work. */
export function concerns(r: ReadableChange, linkId: string): Html {
  const who = r.who ? (r.pupilId ? html`<a class="who" href="/links/${linkId}/pupils/${encodeURIComponent(r.pupilId)}">${r.who}</a>` : html`<span class="who">${r.who}</span>`) : '';
  return html`${who}${r.what ? html`<div class="hint">${r.what}</div>` : ''}`;
}

/** Changes as rows a school administrator reads: whom it concerns, each field before → after. */
export function readableRows(rows: readonly ReadableChange[], linkId: string, options: { status?: boolean } = {}): Html {
  return html`${rows.map(
    (r) =>
      html`<tr data-change="${r.changeId}"><td data-label="Вид записей">${r.entityLabel}<div class="hint">${r.opLabel}</div></td><td data-label="Кого касается">${concerns(r, linkId)}</td><td data-label="Было → станет">${fieldList(r.fields)}</td>${
        options.status ? html`<td data-label="Состояние">${r.statusLabel}${r.code ? html`<div class="hint code">${r.code}</div>` : ''}</td>` : ''
      }</tr>`,
  )}`;
}

function stagedGroup(g: StagedGroup, linkId: string, runId: string): Html {
  return html`<details><summary>${entityLabel(g.entity)} — ${opLabel(g.op)}: ${g.count}</summary>
<table class="stack"><thead><tr><th>Вид записей</th><th>Кого касается</th><th>Было → станет</th></tr></thead><tbody>${readableRows(g.rows, linkId)}</tbody></table>${
    g.count > g.rows.length ? html`<p class="hint">Показаны первые ${g.rows.length} из ${g.count}. <a href="/runs/${runId}/changes${query({ status: 'pending', entity: g.entity })}">Все изменения этого вида</a> · полный список — в отчёте запуска (XLSX/CSV).</p>` : ''
  }</details>`;
}

/** A direct form (CSRF, no confirmation: reversible, nothing goes to the platform) marking manual actions done or open again. */
function markForm(runId: string, csrf: string, mark: ManualMark, ids: string[], label: string): Html {
  return html`<form class="inline" method="post" action="/runs/${runId}/manual-actions/${mark}"><input type="hidden" name="_csrf" value="${csrf}">${ids.map((id) => html`<input type="hidden" name="actionIds" value="${id}">`)}<button type="submit" class="small${mark === 'reopen' ? ' secondary' : ''}">${label}</button></form>`;
}

function manualRow(runId: string, linkId: string, a: ManualItem, i: number, csrf: string | undefined, timeZone: string): Html {
  const done = a.status !== 'open';
  const state = done
    ? html`<span class="mark-done">✓ ${MANUAL_STATUS_LABELS[a.status]}</span>${a.doneBy ? html`<div class="hint">${a.doneBy}, ${when(a.doneAt, timeZone)}</div>` : ''}`
    : html`<span class="muted">${MANUAL_STATUS_LABELS.open}</span>`;
  const button = csrf ? (done ? markForm(runId, csrf, 'reopen', [a.actionId], 'Вернуть в работу') : markForm(runId, csrf, 'done', [a.actionId], 'Отметить выполненным')) : '';
  const overdue = a.overdue ? html`<div class="overdue">открыто с ${when(a.since, timeZone)} — дольше недели</div>` : '';
  const pupil = a.pupilId ? html`<div><a href="/links/${linkId}/pupils/${encodeURIComponent(a.pupilId)}">страница ученика</a></div>` : '';
  const redacted = a.redacted ? html`<div class="hint">Персональные данные удалены при переходе на шифрование; следующий запуск заполнит их снова.</div>` : '';
  return html`<tr data-action="${a.actionId}" data-state="${a.status}"${done ? html` class="done"` : ''}><td class="num" id="manual-${a.actionId}">${i + 1}</td><td class="manual-data" data-label="Данные для ввода">${a.fields.map((f) => html`<div><span class="muted">${f.label}:</span> ${f.value}${f.previous !== undefined ? html` <span class="hint">(сейчас: ${f.previous})</span>` : ''}</div>`)}${redacted}${pupil}</td><td data-label="Состояние">${state}${overdue}<div class="actions">${button}</div></td></tr>`;
}

function manualGroup(runId: string, linkId: string, g: ManualGroup, open: boolean, csrf: string | undefined, timeZone: string): Html {
  const doneCount = g.actions.length - g.open;
  const groupForm = !csrf
    ? ''
    : g.open
      ? markForm(runId, csrf, 'done', g.actions.filter((a) => a.status === 'open').map((a) => a.actionId), 'Всё в группе выполнено')
      : markForm(runId, csrf, 'reopen', g.actions.map((a) => a.actionId), 'Вернуть всю группу в работу');
  return html`<li${g.open ? '' : html` class="done"`}><details${open ? html` open` : ''}><summary>${g.title} — ${g.actions.length}${doneCount ? `, выполнено ${doneCount}` : ''}</summary><p class="hint">${g.reason}</p>${groupForm ? html`<div class="actions">${groupForm}</div>` : ''}
<table class="stack"><thead><tr><th>№</th><th>Данные для ввода</th><th>Состояние</th></tr></thead><tbody>${g.actions.map((a, i) => manualRow(runId, linkId, a, i, csrf, timeZone))}</tbody></table></details></li>`;
}

/** Which uploaded export the run planned from (`summary.sourceExport`), when it planned from one. */
function sourceExportFact(summary: Record<string, unknown>, timeZone: string): Html | '' {
  const e = summary.sourceExport as { sha256?: unknown; receivedAt?: unknown; size?: unknown; fileName?: unknown } | undefined;
  if (!e || typeof e.sha256 !== 'string' || typeof e.size !== 'number') return '';
  const mib = (e.size / 1024 / 1024).toFixed(e.size < 1024 * 1024 ? 3 : 1);
  return html`<dt>Выгрузка МИС</dt><dd data-source-export="${e.sha256}">загружена ${when(typeof e.receivedAt === 'string' ? e.receivedAt : null, timeZone)}, ${String(e.fileName ?? '')}, ${mib} МиБ, SHA-256 <code title="${e.sha256}">${e.sha256.slice(0, 12)}…</code></dd>`;
}

/** How the run read dated records from the platform (`summary.datedRead`): every day, or only the days that changed. */
function datedReadFact(summary: Record<string, unknown>): Html | '' {
  const d = summary.datedRead as DatedReadSummary | undefined;
  if (!d || (d.mode !== 'full' && d.mode !== 'incremental') || typeof d.from !== 'string' || typeof d.to !== 'string') return '';
  return html`<dt>Сверка по датам</dt><dd data-dated-read="${d.mode}">${describeDatedRead(d)}</dd>`;
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
<dt>Школа</dt><dd>${m.schoolName}</dd>
<dt>Вид запуска</dt><dd>${RUN_KIND_LABELS[run.kind] ?? run.kind}, ${TRIGGER_LABELS[run.trigger] ?? run.trigger}</dd>
<dt>Начат</dt><dd>${when(run.createdAt, timeZone)}</dd><dt>Завершён</dt><dd>${when(run.finishedAt, timeZone)}</dd>
<dt>Платформа</dt><dd>${run.environment === 'emulator' ? html`<b>эмулятор (песочница, не рабочий журнал)</b>` : 'рабочая платформа'}</dd>
<dt>Записей отправлено на платформу</dt><dd>${run.writes}</dd>
${m.rollbackOf ? html`<dt>Откат запуска</dt><dd><a href="/runs/${m.rollbackOf}">${m.rollbackOf}</a></dd>` : ''}
${sourceExportFact(run.summary, timeZone)}
${datedReadFact(run.summary)}
</dl></div>`;

  const progress = inMotion
    ? html`<div class="card" data-poll-run="${run.id}" id="progress"><b>Запуск выполняется.</b> <progress max="${Math.max(1, m.progress.total)}" value="${m.progress.done}"></progress>
<span data-progress-text>${progressText(m.progress, run.status)}</span><div class="hint">Страница обновится сама, когда запуск закончится.</div></div>`
    : '';

  const whatToDo: Html[] = [];
  if (run.status === 'held') whatToDo.push(html`<li>Запуск <b>задержан</b>: проверьте причины и изменения ниже, затем одобрите или отклоните его.</li>`);
  if (m.failedTotal) whatToDo.push(html`<li>${plural(m.failedTotal, 'запись не доставлена', 'записи не доставлены', 'записей не доставлено')} — причины сгруппированы по кодам ниже. Исправьте причину и нажмите «Повторить».</li>`);
  if (m.heldBack.count) whatToDo.push(html`<li><a href="#held-back">${plural(m.heldBack.count, 'изменение отложено', 'изменения отложены', 'изменений отложено')}</a>: они в закрытом отчётном периоде и <b>ждут решения</b> — на платформу не отправлены.</li>`);
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
<h2>Подготовленные изменения (ещё не отправлены)</h2><p class="hint">Каждое изменение — кого или что оно касается и какие поля станут какими. ${m.showNames ? '' : 'ФИО скрыты: их видят сотрудники школы. '}</p>${m.staged.length ? m.staged.map((g) => stagedGroup(g, run.linkId, run.id)) : html`<p>Нет подготовленных изменений.</p>`}`
    : '';

  const failures = m.failures.length
    ? html`<h2 id="failures">Недоставленные записи (${m.failedTotal})</h2><p>${exportLinks(run.id, 'failures', 'Скачать список')}</p>${m.failures.map(
        (g) => html`<section class="card failure-group" data-code="${g.code}"><div class="group-head"><h3><span class="code">${g.code}</span> — ${g.message}</h3><span>${plural(g.changes.length, 'запись', 'записи', 'записей')}</span>
${m.mayAct && m.actions.includes('retry') ? html`<a class="button small" href="/runs/${run.id}/confirm/retry${query({ code: g.code })}">Повторить все с этим кодом</a>` : ''}</div>
<p class="fix"><b>Кто исправляет:</b> ${g.fixerLabel}.</p><p class="hint">Что делать: ${g.hint}${g.retryable ? ' Ошибка временная: доставка уже повторялась автоматически.' : ''}</p>
<table class="stack"><thead><tr><th class="w-what">Что не доставлено</th><th>Как исправить</th><th class="num">Попыток</th><th>Последний ответ платформы</th><th></th></tr></thead><tbody>${g.changes.map(
          (c) => html`<tr data-change="${c.changeId}"><td data-label="Что не доставлено">${entityLabel(c.entity)}, ${opLabel(c.op)}${c.readable ? html`<div>${concerns(c.readable, run.linkId)}</div>${fieldList(c.readable.fields)}` : html`<div class="code">${c.sourceId}</div>`}</td>
<td data-label="Как исправить" class="fix-links">${
            c.fixes.length
              ? c.fixes.map((f) => html`<div><a href="#manual-${f.actionId}" data-fix="${f.actionId}">${f.title}</a> <span class="hint">(ручное действие)</span></div>`)
              : c.readable?.pupilId
                ? html`<a href="/links/${run.linkId}/pupils/${encodeURIComponent(c.readable.pupilId)}">страница ученика</a>`
                : html`<span class="muted">см. «Что делать» выше</span>`
          }</td><td class="num" data-label="Попыток">${c.attempts}</td>
<td data-label="Ответ платформы">${c.last ? html`${c.last.status ? `HTTP ${c.last.status}` : 'нет ответа'}, код ${c.last.errorCode ?? '—'}${c.last.retryable ? ' (временная)' : ''}<div class="hint">${when(c.last.at, timeZone)}${c.last.durationMs !== null ? `, ${c.last.durationMs} мс` : ''}${c.last.method ? `, ${c.last.method} ${c.last.path ?? ''}` : ''}</div>` : '—'}${c.platformAnswer ? html`<div class="hint platform-answer">${c.platformAnswer}</div>` : ''}</td>
<td><div class="actions">${m.mayAct && m.actions.includes('retry') ? html`<a class="button small secondary" href="/runs/${run.id}/confirm/retry${query({ change: c.changeId })}">Повторить</a>` : ''}${c.jobUrl ? html`<a href="${c.jobUrl}" class="small">задача в очереди</a>` : ''}</div></td></tr>`,
        )}</tbody></table></section>`,
      )}`
    : '';

  // A platform with a daily cut-off (СЭДиЖ / ЭПОС) takes what came after the hour the next day.
  const acceptedLater = m.acceptedLater.length
    ? html`<h2 id="accepted-later">Принято платформой, ещё не в силе</h2><div class="card"><p class="hint">Платформа применяет изменения, принятые после часа отсечки, со следующего рабочего дня (время — школы). Они доставлены: повторно не отправляются.</p>
<ul>${m.acceptedLater.map((a) => html`<li data-effective-from="${a.effectiveFrom}">${entityLabel(a.entity)}: ${plural(a.n, 'запись', 'записи', 'записей')} — ${a.text}</li>`)}</ul></div>`
    : '';

  const formCsrf = m.mayAct ? csrf : undefined;
  const manual = m.manual.length
    ? html`<h2 id="manual">Сделать вручную в интерфейсе платформы (${m.manualOpen ? `осталось ${m.manualOpen} из ${m.manualTotal}` : `всё выполнено: ${m.manualTotal}`})</h2><p class="hint">API платформы не позволяет записать эти изменения. Выполните их по списку и отмечайте выполненное${m.showNames ? '' : ' (персональные данные скрыты: список видит администратор ЭЖ школы)'}. ${exportLinks(run.id, 'manual-actions', 'Скачать список')}</p>
<ol class="todo">${m.manual.map((g) => manualGroup(run.id, run.linkId, g, m.manual.length <= 3 && g.open > 0, formCsrf, timeZone))}</ol>`
    : '';

  const heldBack = m.heldBack.count
    ? html`<h2 id="held-back">Отложено — нужно решение (${m.heldBack.count})</h2><div class="card banner"><p><b>Эти изменения не отправлены</b>: они относятся к закрытому отчётному периоду, а в закрытом периоде отметки и пропуски не меняются. Проверка <b>не</b> пройдена — решение за школой:</p>
<ul><li>если изменение верное (например, исправление по приказу) — откройте период приказом директора (региональный оператор: <span class="code">ejsync period reopen</span>) и запустите синхронизацию снова;</li><li>если нет — исправьте запись в МИС, чтобы она совпадала с журналом.</li></ul>
<table class="stack"><thead><tr><th>Вид записей</th><th>Что и где</th></tr></thead><tbody>${m.heldBack.items.map((i) => html`<tr><td data-label="Вид записей">${i.entity ? entityLabel(i.entity) : '—'}</td><td data-label="Что и где">${i.message}</td></tr>`)}</tbody></table></div>`
    : '';

  const findings = m.findings.length
    ? html`<h2 id="findings">Замечания (${m.findings.length})</h2><p>${exportLinks(run.id, 'findings', 'Скачать')}</p><table><thead><tr><th>Код</th><th>Что случилось</th><th>Что делать</th><th>Где</th></tr></thead><tbody>${m.findings.slice(0, 200).map(
        (f) => html`<tr><td class="code">${f.code}</td><td>${f.message}</td><td class="hint">${f.hint}</td><td>${[f.file, f.row !== undefined ? `строка ${f.row}` : undefined, f.field ? (f.entity ? fieldLabel(f.entity as EntityCollection, f.field) : f.field) : undefined, f.entity ? entityLabel(f.entity) : undefined, f.sourceId ? `код в МИС ${f.sourceId}` : undefined].filter((x) => x !== undefined).join(' · ')}</td></tr>`,
      )}</tbody></table>${m.findings.length > 200 ? html`<p class="hint">Показаны первые 200; все — в выгрузке.</p>` : ''}`
    : '';

  return html`${progress}${summary}
${whatToDo.length ? html`<div class="card"><b>Что нужно сделать</b><ul>${whatToDo}</ul></div>` : ''}
${actionButtons.length ? html`<div class="card actions" id="run-actions">${actionButtons}</div>` : ''}
${held}${heldBack}${failures}${acceptedLater}${manual}${entities}${findings}
<p><a href="/runs/${run.id}/changes">Все изменения запуска, по-русски</a> · ${exportLinks(run.id, 'report', 'Отчёт запуска')}</p>`;
}

export function progressText(p: { total: number; done: number; applied: number; failed: number; pending: number }, status: string): string {
  if (status === 'planned') return 'Чтение данных и построение плана…';
  if (status === 'approved') return 'Одобрен, постановка в очередь…';
  return `${RUN_STATUS_LABELS.applying}: обработано ${p.done} из ${p.total} (доставлено ${p.applied}, не доставлено ${p.failed}, в очереди ${p.pending})`;
}
