import path from 'node:path';
import { ENTITY_LABELS, type EntityCollection, type Finding } from '../model';
import { datedReadSummary, describeDatedRead } from '../reconcile';
import { planLink } from '../queue/run-pipeline/plan-link';
import type { TableFormat } from '../export';
import type { CommandIo } from './command-runner';
import { openLinkSession, requirePlatformToken } from './link-session';
import { planJson, plannedStatus, reportFolderName, writePlanReport } from './plan-report';
import { planCountsTable } from './run-report';

export interface PlanCommandOptions {
  link: string;
  json?: boolean;
  /** Report folder. @defaultValue `$EJSYNC_HOME/reports/plan-<link>-<time>` */
  out?: string;
  /** @defaultValue `xlsx` */
  format?: TableFormat;
  /** Skip the report files. */
  report?: boolean;
}

const DECISION_TEXT = {
  planned: 'Проверка пройдена: при синхронизации изменения будут отправлены на платформу.',
  held: 'Запуск будет задержан до решения человека (ejsync approve / discard), причины ниже.',
  cancelled: 'Запуск будет отклонён политикой связи, причины ниже.',
} as const;

function findingSummary(findings: readonly Finding[]): string[] {
  const byCode = new Map<string, { n: number; f: Finding }>();
  for (const f of findings) {
    const e = byCode.get(f.code) ?? { n: 0, f };
    e.n++;
    byCode.set(f.code, e);
  }
  return [...byCode.values()]
    .sort((a, b) => Number(b.f.severity === 'error') - Number(a.f.severity === 'error') || b.n - a.n)
    .map(({ n, f }) => `  [${f.code}] ×${n} (${f.severity === 'error' ? 'ошибка' : 'предупреждение'}): ${f.message}\n    Что делать: ${f.hint}`);
}

/**
 * `ejsync plan --link FILE`: what a sync would do, without sending anything. Exit 0 when the run
 * would go through, 1 when it would be held or refused or the export has errors, 2 when the
 * export or the platform cannot be read.
 */
export async function runPlanCommand(opts: PlanCommandOptions, io: CommandIo): Promise<number> {
  const session = await openLinkSession(opts.link);
  const { link } = session;
  try {
    await requirePlatformToken(session.store, link);
    const now = new Date();
    const out = (opts.json ? io.stderr : io.stdout);
    const uploaded = await session.store.exports.newest(link.id);
    const from = uploaded ? `загруженную ${uploaded.receivedAt.toISOString().replace('T', ' ').slice(0, 19)} UTC, SHA-256 ${uploaded.sha256.slice(0, 16)}…` : link.source.path;
    out.write(`Связь: ${link.name} (${link.id})\nЧитаю выгрузку МИС (${from}) и состояние платформы…\n`);
    const planned = await planLink(session.planning, link);
    if (planned.kind === 'source_unreadable') {
      io.stderr.write(`Выгрузку МИС не удалось прочитать:\n${findingSummary(planned.sourceFindings).join('\n')}\n`);
      if (opts.json) io.stdout.write(`${JSON.stringify({ runs: [], findings: planned.sourceFindings })}\n`);
      return 2;
    }
    const reportDir = opts.report === false ? null : path.resolve(opts.out ?? path.join(session.env.home, 'reports', reportFolderName(link.id, now)));
    const files = reportDir ? await writePlanReport(reportDir, link, planned, opts.format ?? 'xlsx', now) : [];
    const status = plannedStatus(planned);
    const kept = planned.guarded.plan;
    if (opts.json) {
      io.stdout.write(`${JSON.stringify({ runs: [planJson(link, planned, reportDir, now)] }, null, 2)}\n`);
    } else {
      const unmatched = Object.entries(kept.unmatchedTarget).filter(([, n]) => n > 0);
      io.stdout.write(
        [
          `Платформа: Дневник.ру, ${planned.environment === 'emulator' ? 'эмулятор (песочница)' : 'рабочая платформа'} ${planned.baseUrl}, школа ${link.target.schoolId}`,
          `Источник: ${planned.source.pupils.length} обучающихся, ${planned.source.classes.length} классов`,
          '',
          'План синхронизации (на платформу ничего не отправлено):',
          planCountsTable(kept.counts),
          '',
          `Изменений к отправке: ${kept.changes.length}; ручных действий в интерфейсе платформы: ${kept.manualActions.length}; отложено политикой: ${planned.guarded.withheld.length}.`,
          describeDatedRead(datedReadSummary(planned.datedRead)),
          ...(unmatched.length ? [`Есть только на платформе (не удаляются, только в отчёте): ${unmatched.map(([e, n]) => `${ENTITY_LABELS[e as EntityCollection] ?? e} — ${n}`).join(', ')}.`] : []),
          // Changes held back in a closed period wait for a decision: the check is not passed for them.
          status === 'planned' && planned.guarded.withheld.length
            ? `Проверка пройдена не полностью: отложено до решения — ${planned.guarded.withheld.length} (закрытый отчётный период или окно «только добавления»); отложенное не будет отправлено, остальное будет отправлено при синхронизации.`
            : DECISION_TEXT[status],
          ...(planned.findings.length ? ['', `Замечания (${planned.findings.length}):`, ...findingSummary(planned.findings)] : []),
          ...(files.length ? ['', 'Полный отчёт:', ...files.map((f) => `  ${f}`)] : []),
          '',
          status === 'planned' ? `Применить: ejsync sync --link ${opts.link}` : '',
        ].join('\n') + '\n',
      );
    }
    const sourceErrors = planned.sourceFindings.some((f) => f.severity === 'error');
    return status === 'planned' && !sourceErrors ? 0 : 1;
  } finally {
    await session.close();
  }
}
