import { readEnvironment, storeOptionsOf } from '../config/environment';
import { catalogueEntry } from '../model';
import { openStore } from '../store';
import type { CommandIo } from './command-runner';

const REASONS = {
  hash: 'запись изменена (контрольная сумма не сходится)',
  link: 'перед ней запись удалена или переставлена (ссылка на предыдущую не сходится)',
  unchained: 'у записи нет контрольной суммы (вставлена в обход ejsync)',
} as const;

/**
 * `ejsync audit verify [--json]`: recomputes the audit trail's hash chain. Exit 0 when every row
 * fits, 1 at the first changed, removed or reordered row (`audit.chain_broken`).
 */
export async function runAuditVerify(opts: { json?: boolean }, io: CommandIo): Promise<number> {
  const store = await openStore(storeOptionsOf(readEnvironment()));
  try {
    const report = await store.audit.verifyChain();
    if (opts.json) {
      io.stdout.write(`${JSON.stringify({ ok: !report.broken, rows: report.rows, head: report.head, broken: report.broken, ...(report.broken ? { code: 'audit.chain_broken' } : {}) })}\n`);
      return report.broken ? 1 : 0;
    }
    if (!report.broken) {
      io.stdout.write(`ЦЕЛ: журнал действий не изменён — проверено записей: ${report.rows}.\nКонтрольная сумма последней записи: ${report.head}\nЗапишите её вне ejsync (например, в журнал ИБ): так можно будет заметить и удаление последних записей.\n`);
      return 0;
    }
    const entry = catalogueEntry('audit.chain_broken');
    const b = report.broken;
    io.stdout.write(
      `НАРУШЕН: ${entry.message}.\nПервая несходящаяся запись: № ${b.id} от ${b.at.toISOString()} («${b.action}») — ${REASONS[b.reason]}.\nДо неё проверено записей: ${report.rows}.\nЧто делать: ${entry.hint}\n`,
    );
    return 1;
  } finally {
    await store.close();
  }
}
