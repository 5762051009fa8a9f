import type { RunsOfDay } from '../../store/repositories/dashboard-queries';
import { html, Html } from './html';
import { plural } from './labels';

const W = 1200;
const H = 104;
const PAD_LEFT = 34;
const PAD_BOTTOM = 22;

const dayLabel = (day: string) => `${day.slice(8, 10)}.${day.slice(5, 7)}`;

/**
 * Runs and failures per day as an inline SVG bar chart (no script): a bar per day, its red part
 * the runs that ended failed or partial, orange the held ones; every bar has a tooltip, and the
 * numbers are in a table below for screen readers and copying.
 */
export function runsChart(days: readonly RunsOfDay[]): Html {
  const max = Math.max(1, ...days.map((d) => d.total));
  const plotW = W - PAD_LEFT - 6;
  const plotH = H - PAD_BOTTOM - 8;
  const step = plotW / Math.max(1, days.length);
  const barW = Math.max(4, step * 0.7);
  const y = (n: number) => 8 + plotH - (n / max) * plotH;
  const bars = days.map((d, i) => {
    const x = PAD_LEFT + i * step + (step - barW) / 2;
    const ok = d.total - d.failed - d.held;
    const parts: Html[] = [];
    let base = 0;
    for (const [n, cls] of [
      [ok, 'ok'],
      [d.held, 'held'],
      [d.failed, 'bad'],
    ] as const) {
      if (!n) continue;
      parts.push(html`<rect class="bar-${cls}" x="${x.toFixed(1)}" y="${y(base + n).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + n)).toFixed(1)}" fill="${cls === 'ok' ? '#7aa6d9' : cls === 'held' ? '#f0a202' : '#d1495b'}"></rect>`);
      base += n;
    }
    const label = i % 5 === days.length % 5 || i === days.length - 1 ? html`<text x="${(x + barW / 2).toFixed(1)}" y="${H - 6}" text-anchor="middle" font-size="11" fill="#4a5568">${dayLabel(d.day)}</text>` : '';
    return html`<g><title>${dayLabel(d.day)}: ${plural(d.total, 'запуск', 'запуска', 'запусков')}, с ошибками ${d.failed}, задержано ${d.held}</title><rect x="${(PAD_LEFT + i * step).toFixed(1)}" y="8" width="${step.toFixed(1)}" height="${plotH}" fill="transparent"></rect>${parts}</g>${label}`;
  });
  const totals = days.reduce((a, d) => ({ total: a.total + d.total, failed: a.failed + d.failed, held: a.held + d.held }), { total: 0, failed: 0, held: 0 });
  return html`<figure class="chart" aria-labelledby="chart-title"><figcaption id="chart-title" class="group-head"><b>Запуски за 30 дней</b>
<span class="legend"><span><span class="sw sw-ok"></span>успешные</span><span><span class="sw sw-held"></span>задержанные</span><span><span class="sw sw-bad"></span>с ошибками</span></span>
<span class="muted">всего ${totals.total}, с ошибками ${totals.failed}, задержано ${totals.held}</span></figcaption>
<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="Столбчатая диаграмма: запуски по дням, с ошибками и задержанные">
<line x1="${PAD_LEFT}" y1="${y(0)}" x2="${W - 6}" y2="${y(0)}" stroke="#b8bfcc"></line>
<text x="${PAD_LEFT - 6}" y="${y(max) + 4}" text-anchor="end" font-size="11" fill="#4a5568">${max}</text><text x="${PAD_LEFT - 6}" y="${y(0) + 4}" text-anchor="end" font-size="11" fill="#4a5568">0</text>
${bars}</svg>
<details><summary>Числа по дням</summary><table><thead><tr><th>День</th><th class="num">Запусков</th><th class="num">С ошибками</th><th class="num">Задержано</th></tr></thead><tbody>${days
    .filter((d) => d.total)
    .map((d) => html`<tr><td>${dayLabel(d.day)}</td><td class="num">${d.total}</td><td class="num">${d.failed}</td><td class="num">${d.held}</td></tr>`)}</tbody></table></details></figure>`;
}
