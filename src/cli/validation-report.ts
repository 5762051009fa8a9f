import { ENTITY_LABELS, ENTITY_ORDER, type Finding } from '../model';
import type { ValidationResult } from './validate-source';

const FORMAT_LABELS: Record<string, string> = { 'mis-csv': 'выгрузка МИС (CSV)', 'mis-json': 'выгрузка МИС (JSON)', oneroster: 'OneRoster 1.1/1.2 (CSV)' };
/** A terminal is not a report: past this many findings of one code, point to `--report`. */
const SHOWN_PER_CODE = 20;

function where(f: Finding): string {
  const parts = [f.file, f.row !== undefined ? `строка ${f.row}` : undefined, f.field ? `поле ${f.field}` : undefined, f.sourceId ? `запись ${f.sourceId}` : undefined].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

const plural = (n: number, one: string, few: string, many: string) => {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 10 || m100 >= 20)) return few;
  return many;
};

/** The Russian text report of `ejsync validate`. */
export function validationReport(target: string, result: ValidationResult, reportFile?: string): string {
  const lines: string[] = [];
  lines.push(`Проверка выгрузки: ${target}`);
  lines.push(`Формат: ${result.format ? FORMAT_LABELS[result.format] : 'не определён'}`);
  const counted = ENTITY_ORDER.filter((e) => result.counts[e] !== undefined);
  if (counted.length) {
    lines.push('', 'Прочитано записей:');
    for (const e of counted) lines.push(`  ${ENTITY_LABELS[e].padEnd(32)} ${String(result.counts[e]).padStart(9)}`);
  }
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.length - errors;
  lines.push('');
  if (!result.findings.length) lines.push('Замечаний нет: выгрузку можно загружать.');
  else {
    lines.push(`Замечаний: ${result.findings.length} (${errors} ${plural(errors, 'ошибка', 'ошибки', 'ошибок')}, ${warnings} ${plural(warnings, 'предупреждение', 'предупреждения', 'предупреждений')}).`);
    const byCode = new Map<string, Finding[]>();
    for (const f of result.findings) byCode.set(f.code, [...(byCode.get(f.code) ?? []), f]);
    for (const [code, list] of byCode) {
      const first = list[0];
      lines.push('', `${first.severity === 'error' ? 'ОШИБКА' : 'Предупреждение'} [${code}] — ${list.length} шт.`);
      for (const f of list.slice(0, SHOWN_PER_CODE)) lines.push(`  • ${f.message}${where(f)}`);
      if (list.length > SHOWN_PER_CODE) lines.push(`  … и ещё ${list.length - SHOWN_PER_CODE}${reportFile ? '' : ' (полный список: --report отчёт.xlsx)'}`);
      lines.push(`  Что сделать: ${first.hint}`);
    }
  }
  if (reportFile) lines.push('', `Полный отчёт: ${reportFile}`);
  lines.push('', !result.readable ? 'Итог: выгрузку прочитать не удалось.' : errors ? 'Итог: есть ошибки — исправьте их в МИС и повторите выгрузку.' : 'Итог: ошибок нет.');
  return lines.join('\n') + '\n';
}
