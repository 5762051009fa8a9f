import { russianDate } from '../../reconcile/russian-labels';
import type { DiscrepancyModel, FinalMarksModel } from '../views/reports-model';
import { html, query, type Html } from './html';
import { when } from './labels';
import { readableRows } from './run-page';

/** The reports of the person's schools: pick a school and a month. */
export function reportsIndexPage(links: { id: string; schoolName: string; name: string }[], month: string): Html {
  return html`<p class="hint">Отчёты, которых регламент требует от адаптера: ежемесячная сверка МИС и журнала по школе и сверка итоговых отметок по классам. Каждый открывается страницей и скачивается в XLSX.</p>
<table id="reports" class="stack"><thead><tr><th>Школа</th><th>Сверка МИС и журнала за месяц</th><th>Итоговые отметки</th></tr></thead><tbody>${links.map(
    (l) =>
      html`<tr><td data-label="Школа"><b>${l.schoolName}</b><div class="hint">${l.name}</div></td><td data-label="Сверка МИС и журнала"><a href="/reports/discrepancy${query({ link: l.id, month })}">открыть</a> · <a href="/api/reports/discrepancy${query({ link: l.id, month, format: 'xlsx' })}">XLSX</a></td><td data-label="Итоговые отметки"><a href="/reports/final-marks${query({ link: l.id })}">открыть</a> · <a href="/api/reports/final-marks${query({ link: l.id, format: 'xlsx' })}">XLSX</a></td></tr>`,
  )}</tbody></table>`;
}

const d = (iso: string | null) => (iso ? russianDate(iso) : '—');

/** The monthly discrepancy report of a school. */
export function discrepancyPage(m: DiscrepancyModel, timeZone: string, prevMonth: string, nextMonth: string): Html {
  const xlsx = `/api/reports/discrepancy${query({ link: m.link.id, month: m.month, format: 'xlsx' })}`;
  return html`<div class="card"><p>Школа: <b>${m.schoolName}</b>. Месяц: <b>${m.monthLabel}</b>. Данные МИС и журнала прочитаны при последней синхронизации: ${when(m.readAt, timeZone)}.</p>
${m.partial ? html`<p class="hint">Журнал читается за окно синхронизации (${d(m.journalFrom)} – ${d(m.journalTo)}): за дни вне окна число отметок в журнале неизвестно.</p>` : ''}
<div class="actions"><a class="button" id="download-xlsx" href="${xlsx}">Скачать XLSX</a><a href="/reports/discrepancy${query({ link: m.link.id, month: prevMonth })}">← предыдущий месяц</a><a href="/reports/discrepancy${query({ link: m.link.id, month: nextMonth })}">следующий →</a></div></div>
<h2>Текущие отметки: где МИС и журнал расходятся</h2><p class="muted">Всего за месяц: в МИС ${m.totals.mis}, в журнале ${m.totals.journal}.</p>
<table id="by-class-subject"><thead><tr><th>Класс</th><th>Предмет</th><th class="num">МИС</th><th class="num">Журнал</th><th class="num" title="МИС минус журнал">±</th></tr></thead><tbody>${
    m.byClassSubject.length
      ? m.byClassSubject.map((r) => html`<tr><td data-label="Класс">${r.className}</td><td data-label="Предмет">${r.subject}</td><td class="num" data-label="В МИС">${r.mis}</td><td class="num" data-label="В журнале">${r.journal}</td><td class="num" data-label="Разница"><b>${r.mis - r.journal > 0 ? `+${r.mis - r.journal}` : r.mis - r.journal}</b></td></tr>`)
      : html`<tr><td colspan="5">Расхождений нет: по каждому классу и предмету в журнале столько же отметок, сколько в МИС.</td></tr>`
  }</tbody></table>
<h2 id="mis-lacking">В МИС есть, в журнале нет (${m.misLacking.length})</h2>${
    m.misLacking.length ? html`<table class="stack"><thead><tr><th>Вид записей</th><th>Кого касается</th><th>Было → станет</th><th>Состояние</th></tr></thead><tbody>${readableRows(m.misLacking, m.link.id, { status: true })}</tbody></table>` : html`<p class="muted">Нет.</p>`
  }
<h2 id="journal-extra">В журнале есть, в МИС нет (${m.journalExtra.length})</h2>${
    m.journalExtra.length ? html`<table class="stack"><thead><tr><th>Вид записей</th><th>Кого касается</th><th>Было → станет</th><th>Состояние</th></tr></thead><tbody>${readableRows(m.journalExtra, m.link.id, { status: true })}</tbody></table>` : html`<p class="muted">Нет.</p>`
  }${m.onlyOnPlatform.length ? html`<p class="hint">Кроме того, только на платформе (ejsync их не удаляет): ${m.onlyOnPlatform.map((o) => `${o.label} — ${o.n}`).join(', ')}.</p>` : ''}
<h2 id="without-marks">Ученики без текущих отметок за месяц (${m.pupilsWithoutMarks.length})</h2><table><thead><tr><th>Ученик</th><th>Класс</th><th class="num">В МИС</th><th class="num">В журнале</th></tr></thead><tbody>${
    m.pupilsWithoutMarks.length
      ? m.pupilsWithoutMarks.map((r) => html`<tr><td data-label="Ученик"><a href="/links/${m.link.id}/pupils/${encodeURIComponent(r.sourceId)}">${r.name}</a></td><td data-label="Класс">${r.className}</td><td class="num" data-label="В МИС">${r.mis}</td><td class="num" data-label="В журнале">${r.journal}</td></tr>`)
      : html`<tr><td colspan="4">У всех учеников есть отметки за месяц.</td></tr>`
  }</tbody></table>`;
}

/** Final marks per class: the МИС, the journal, and what ejsync delivered. */
export function finalMarksPage(m: FinalMarksModel, timeZone: string): Html {
  return html`<div class="card"><p>Школа: <b>${m.schoolName}</b>. Итоговые отметки (четверть, полугодие, год, экзамен, итоговая) по классам: сколько их в МИС, сколько в журнале и что ejsync доставил. Прочитано при последней синхронизации: ${when(m.readAt, timeZone)}; журнал — за ${d(m.journalFrom)} – ${d(m.journalTo)}.</p>
<div class="actions"><a class="button" href="/api/reports/final-marks${query({ link: m.link.id, format: 'xlsx' })}">Скачать XLSX</a></div></div>
${
  m.rows.length
    ? m.classes.map(
        (c) =>
          html`<h2>${c}</h2><table><thead><tr><th>Предмет</th><th>Вид</th><th class="num">МИС</th><th class="num">Журнал</th><th class="num">Доставлено</th><th class="num">Ждёт</th><th class="num">Не доставлено</th></tr></thead><tbody>${m.rows
            .filter((r) => r.className === c)
            .map(
              (r) =>
                html`<tr${r.mis !== r.journal ? html` class="attention"` : ''}><td data-label="Предмет">${r.subject}</td><td data-label="Вид">${r.kindLabel}</td><td class="num" data-label="В МИС">${r.mis}</td><td class="num" data-label="В журнале">${r.journal}</td><td class="num" data-label="Доставлено">${r.delivered}</td><td class="num" data-label="Ждёт">${r.waiting}</td><td class="num" data-label="Не доставлено">${r.failed ? html`<b>${r.failed}</b>` : 0}</td></tr>`,
            )}</tbody></table>`,
      )
    : html`<p>Итоговых отметок пока нет ни в МИС, ни в журнале.</p>`
}`;
}
