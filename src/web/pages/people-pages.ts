import type { RosterMembership } from '../../reconcile/change-context';
import { russianDate } from '../../reconcile/russian-labels';
import type { ClassModel, PupilModel, PupilSearchModel } from '../views/people-model';
import type { ReadableChange } from '../views/readable-change';
import { html, query, type Html } from './html';
import { MANUAL_STATUS_LABELS, statusBadge, when } from './labels';
import { pager } from './pager';
import { concerns, fieldList } from './run-page';

/** The school's pupils: search by name (the school's staff), by class. */
export function pupilSearchPage(m: PupilSearchModel): Html {
  const href = (page: number) => `/links/${m.link.id}/pupils${query({ q: m.q, classId: m.classId, page })}`;
  return html`<p class="hint">Школа: <b>${m.schoolName}</b>. ${m.showNames ? 'Найдите ученика по фамилии или имени, или выберите класс.' : 'ФИО видят только сотрудники школы: ищите по классу.'}</p>
<form class="filters" method="get" action="/links/${m.link.id}/pupils" role="search" data-autosubmit>
<label>${m.showNames ? 'Фамилия, имя' : 'Класс или код'}<input type="search" name="q" value="${m.q}" placeholder="${m.showNames ? 'например, Иванов Пётр' : 'например, 5А'}" autofocus></label>
<label>Класс<select name="classId"><option value="">все классы</option>${m.classes.map((c) => html`<option value="${c.id}"${c.id === m.classId ? html` selected` : ''}>${c.name}</option>`)}</select></label>
<button type="submit">Найти</button></form>
${m.rosterMissing ? html`<div class="banner">Списки школы появятся после первой синхронизации этой связи.</div>` : ''}
<table id="pupils" class="stack"><thead><tr><th>Ученик</th><th>Класс</th><th>Дата рождения</th></tr></thead><tbody>${
    m.rows.length
      ? m.rows.map(
          (r) =>
            html`<tr data-pupil="${r.sourceId}"><td data-label="Ученик"><a href="/links/${m.link.id}/pupils/${encodeURIComponent(r.sourceId)}">${r.name}</a></td><td data-label="Класс">${r.classId ? html`<a href="/links/${m.link.id}/classes/${encodeURIComponent(r.classId)}">${r.className ?? r.classId}</a>` : '—'}</td><td data-label="Дата рождения">${r.birthDate ? russianDate(r.birthDate) : '—'}</td></tr>`,
        )
      : html`<tr><td colspan="3">Никого не нашлось${m.q ? ` по запросу «${m.q}»` : ''}.</td></tr>`
  }</tbody></table>${pager(m.page, m.pages, href, m.total)}`;
}

function changeTable(id: string, rows: readonly (ReadableChange & { runId?: string; runAt: Date })[], linkId: string, timeZone: string, empty: string): Html {
  return html`<table id="${id}" class="stack"><thead><tr><th>Что</th><th>Было → станет</th><th>Состояние</th><th>Запуск</th></tr></thead><tbody>${
    rows.length
      ? rows.map(
          (c) =>
            html`<tr data-change="${c.changeId}"><td data-label="Что">${c.entityLabel}, ${c.opLabel}<div>${concerns({ ...c, who: null }, linkId)}</div></td><td data-label="Было → станет">${fieldList(c.fields)}</td><td data-label="Состояние">${c.statusLabel}${
              c.code ? html`<div class="code hint">${c.code}</div>` : ''
            }</td><td data-label="Запуск">${c.runId ? html`<a href="/runs/${c.runId}${c.status === 'failed' ? '#failures' : ''}">${when(c.runAt, timeZone)}</a>` : when(c.runAt, timeZone)}</td></tr>`,
        )
      : html`<tr><td colspan="4">${empty}</td></tr>`
  }</tbody></table>`;
}

/** One pupil: class, what reached the journal, what failed, what waits, what to do by hand. */
/** Where the pupil is on the platform; when not found, a form to link them by hand (audited). */
function platformSection(m: PupilModel, csrf: string | undefined): Html {
  if (m.platform.targetId) return html`<p id="platform-record">На платформе: запись <span class="code">${m.platform.targetId}</span>.${m.merged ? html` <b>Связано вручную.</b>` : ''}</p>`;
  const form =
    m.mayAct && csrf && m.platform.candidates.length
      ? html`<form class="filters" method="post" action="/links/${m.link.id}/pupils/${encodeURIComponent(m.pupilId)}/merge" id="merge-form"><input type="hidden" name="_csrf" value="${csrf}">
<label>Это тот же человек на платформе<select name="targetId" required>${m.platform.candidates.map((c) => html`<option value="${c.targetId}">${c.name} (код ${c.targetId})</option>`)}</select></label>
<label>Основание (обязательно)<input type="text" name="reason" required maxlength="300" placeholder="например, сверено по свидетельству о рождении"></label>
<button type="submit">Связать записи</button></form><p class="hint">Связывание записывается в журнал действий; следующая синхронизация сверит ученика с этой записью платформы.</p>`
      : '';
  return html`<div class="banner" id="platform-record"><p><b>Ученик не найден на платформе</b> по СНИЛС, ФИО и дате рождения. Если он есть в Дневник.ру под другими данными, свяжите записи вручную${m.mayAct ? '' : ' (это может администратор ЭЖ школы)'}; если его там нет — выполните ручное действие «Создать ученика».</p>${form}</div>`;
}

/** Classes and groups of the pupil in the МИС next to the platform's: a missing enrolment is why marks do not arrive. */
function membershipSection(m: PupilModel): Html {
  const rows = m.pupil?.memberships ?? [];
  if (!rows.length) return html``;
  const enrolAction = m.manual.find((a) => a.status === 'open' && a.entity === 'memberships');
  const misText = (r: RosterMembership) =>
    r.mis ? `${r.mis.to ? `с ${russianDate(r.mis.from)} по ${russianDate(r.mis.to)}` : `с ${russianDate(r.mis.from)}`}${r.mis.order ? `, приказ ${r.mis.order}` : ''}` : 'нет';
  const platformText = (r: RosterMembership): Html => {
    if (r.platform === null) return html`<span class="muted">не проверено (ученик не найден на платформе)</span>`;
    if (r.platform) return r.mis && r.mis.to ? html`<b>числится</b> <span class="hint">— в МИС выбыл; платформа ещё не отразила выбытие</span>` : html`да`;
    if (r.mis && r.mis.to) return html`нет <span class="hint">(выбыл)</span>`;
    return html`<b>нет</b> <span class="hint">— отметки по этой группе не дойдут до журнала${enrolAction ? html`: <a href="#manual-${enrolAction.actionId}" data-fix="${enrolAction.actionId}">${enrolAction.title}</a>` : ''}</span>`;
  };
  return html`<h2 id="memberships">Зачисление в классы и группы</h2><table id="pupil-memberships" class="stack"><thead><tr><th>Класс или группа</th><th>В МИС</th><th>На платформе</th></tr></thead><tbody>${rows.map(
    (r) =>
      html`<tr data-group="${r.group}" data-platform="${r.platform === null ? 'unknown' : r.platform ? 'yes' : 'no'}"><td data-label="Класс или группа">${r.group}<div class="hint">${r.kind === 'class' ? 'класс' : 'группа'}</div></td><td data-label="В МИС">${misText(r)}</td><td data-label="На платформе">${platformText(r)}</td></tr>`,
  )}</tbody></table>`;
}

export function pupilPage(m: PupilModel, timeZone: string, csrf?: string): Html {
  const p = m.pupil;
  const facts = html`<div class="card"><dl class="facts"><dt>Ученик</dt><dd id="pupil-name">${p?.label ?? 'нет в списках школы из МИС'}</dd><dt>Класс</dt><dd>${
    p?.classId ? html`<a href="/links/${m.link.id}/classes/${encodeURIComponent(p.classId)}">${p.className ?? p.classId}</a>` : (p?.className ?? '—')
  }</dd><dt>Дата рождения</dt><dd>${p?.birthDate ? russianDate(p.birthDate) : m.showNames ? '—' : 'скрыта'}</dd><dt>Школа</dt><dd>${m.schoolName}</dd><dt>Код в МИС</dt><dd class="code">${m.pupilId}</dd></dl></div>`;
  const summary = html`<h2>Что дошло до журнала</h2><table id="pupil-summary"><thead><tr><th>Вид записей</th><th class="num">доставлено</th><th class="num">не доставлено</th><th class="num">ждёт</th></tr></thead><tbody>${
    m.summary.length
      ? m.summary.map((s) => html`<tr><td data-label="Вид записей">${s.entityLabel}</td><td class="num" data-label="доставлено">${s.applied}</td><td class="num" data-label="не доставлено">${s.failed ? html`<b>${s.failed}</b>` : 0}</td><td class="num" data-label="ждёт">${s.pending}</td></tr>`)
      : html`<tr><td colspan="4">Синхронизации ничего не отправляли об этом ученике: в журнале уже то же, что в МИС (или записей нет в МИС).</td></tr>`
  }</tbody></table>`;
  const manual = html`<h2 id="manual">Ручные действия об ученике (${m.manual.length})</h2>${
    m.manual.length
      ? html`<ul class="todo">${m.manual.map(
          (a) =>
            html`<li id="manual-${a.actionId}" data-action="${a.actionId}" data-state="${a.status}"><b>${a.title}</b> — ${MANUAL_STATUS_LABELS[a.status] ?? a.status}${a.doneBy ? `, ${a.doneBy.name}, ${when(a.doneBy.at, timeZone)}` : ''}<div class="hint">${a.reason}. Впервые: ${when(a.firstSeenAt, timeZone)}; последний запуск: <a href="/runs/${a.lastRunId}#manual-${a.actionId}">${when(a.lastSeenAt, timeZone)}</a></div>${
              a.fields.length ? html`<div class="manual-data">${a.fields.map((f) => html`<div><span class="muted">${f.label}:</span> ${f.value}</div>`)}</div>` : ''
            }</li>`,
        )}</ul>`
      : html`<p class="muted">Нет.</p>`
  }`;
  return html`${facts}${platformSection(m, csrf)}${membershipSection(m)}${summary}
<h2 id="failed">Не доставлено (${m.failed.length})</h2>${changeTable('pupil-failed', m.failed, m.link.id, timeZone, 'Недоставленного нет.')}
${m.pending.length ? html`<h2 id="pending">Ждёт решения или очереди (${m.pending.length})</h2>${changeTable('pupil-pending', m.pending, m.link.id, timeZone, '')}` : ''}
${manual}
<h2 id="delivered">Доставлено (${m.delivered.length})</h2>${changeTable('pupil-delivered', m.delivered.slice(0, 100), m.link.id, timeZone, 'Пока ничего.')}${m.delivered.length > 100 ? html`<p class="hint">Показаны последние 100.</p>` : ''}`;
}

/** A class: pupils, and per subject the last month's deliveries; one subject's changes. */
export function classPage(m: ClassModel, timeZone: string): Html {
  const href = (page: number) => `/links/${m.link.id}/classes/${encodeURIComponent(m.classId)}${query({ subject: m.subject, page })}`;
  return html`<p class="hint">Школа: <b>${m.schoolName}</b>. Изменения за последние 30 дней (с ${m.sinceText}).</p>
<h2>Предметы</h2><table id="class-subjects"><thead><tr><th>Предмет</th><th class="num">доставлено</th><th class="num">не доставлено</th><th class="num">ждёт</th></tr></thead><tbody>${
    m.subjects.length
      ? m.subjects.map(
          (s) =>
            html`<tr${s.subject === m.subject ? html` class="current"` : ''}><td data-label="Предмет"><a href="/links/${m.link.id}/classes/${encodeURIComponent(m.classId)}${query({ subject: s.subject })}">${s.subject === '—' ? 'без предмета' : s.subject}</a></td><td class="num" data-label="доставлено">${s.applied}</td><td class="num" data-label="не доставлено">${
              s.failed ? html`<b>${s.failed}</b>` : 0
            }</td><td class="num" data-label="ждёт">${s.pending}</td></tr>`,
        )
      : html`<tr><td colspan="4">За месяц синхронизации ничего не меняли в журнале этого класса.</td></tr>`
  }</tbody></table>
${
  m.subject
    ? html`<h2>${m.subject === '—' ? 'Без предмета' : m.subject}: изменения</h2><table class="stack"><thead><tr><th>Кого касается</th><th>Было → станет</th><th>Состояние</th><th>Запуск</th></tr></thead><tbody>${m.changes.map(
        (c) =>
          html`<tr data-change="${c.changeId}"><td data-label="Кого касается">${c.entityLabel}, ${c.opLabel}<div>${concerns(c, m.link.id)}</div></td><td data-label="Было → станет">${fieldList(c.fields)}</td><td data-label="Состояние">${c.statusLabel}</td><td data-label="Запуск">${when(c.runAt, timeZone)}</td></tr>`,
      )}</tbody></table>${pager(m.page, m.pages, href, m.total)}`
    : ''
}
<h2>Ученики (${m.pupils.length})</h2><table class="stack"><thead><tr><th>Ученик</th><th>Дата рождения</th></tr></thead><tbody>${m.pupils.map(
    (p) => html`<tr><td data-label="Ученик"><a href="/links/${m.link.id}/pupils/${encodeURIComponent(p.sourceId)}">${p.name}</a></td><td data-label="Дата рождения">${p.birthDate ? russianDate(p.birthDate) : '—'}</td></tr>`,
  )}</tbody></table>`;
}

/** A run's changes, a page at a time, filtered. */
export function runChangesPage(m: { runId: string; linkId: string; status: string; entity: string; q: string; showNames: boolean; rows: ReadableChange[]; total: number; page: number; pages: number; entities: { entity: string; label: string }[]; runStatus: string }): Html {
  const href = (page: number) => `/runs/${m.runId}/changes${query({ status: m.status, entity: m.entity, q: m.q, page })}`;
  const statuses: [string, string][] = [['', 'все'], ['pending', 'ожидают'], ['applied', 'доставлено'], ['failed', 'не доставлено'], ['skipped', 'пропущено']];
  return html`<p><a href="/runs/${m.runId}">← к запуску</a> ${statusBadge(m.runStatus)}</p>
<form class="filters" method="get" action="/runs/${m.runId}/changes" role="search" data-autosubmit>
<label>Поиск<input type="search" name="q" value="${m.q}" placeholder="${m.showNames ? 'фамилия ученика или класс' : 'класс, например 5А'}"></label>
<label>Состояние<select name="status">${statuses.map(([v, l]) => html`<option value="${v}"${v === m.status ? html` selected` : ''}>${l}</option>`)}</select></label>
<label>Вид записей<select name="entity"><option value="">все</option>${m.entities.map((e) => html`<option value="${e.entity}"${e.entity === m.entity ? html` selected` : ''}>${e.label}</option>`)}</select></label>
<button type="submit">Показать</button></form>
<table id="changes" class="stack"><thead><tr><th>Вид записей</th><th>Кого касается</th><th>Было → станет</th><th>Состояние</th></tr></thead><tbody>${
    m.rows.length
      ? m.rows.map(
          (r) =>
            html`<tr data-change="${r.changeId}"><td data-label="Вид записей">${r.entityLabel}<div class="hint">${r.opLabel}</div></td><td data-label="Кого касается">${concerns(r, m.linkId)}</td><td data-label="Было → станет">${fieldList(r.fields)}</td><td data-label="Состояние">${r.statusLabel}${
              r.code ? html`<div class="hint code">${r.code}</div>` : ''
            }</td></tr>`,
        )
      : html`<tr><td colspan="4">Изменений нет.</td></tr>`
  }</tbody></table>${pager(m.page, m.pages, href, m.total)}`;
}
