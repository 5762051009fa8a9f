import { parseScoreScaleValue, toLocalDate } from './cell-values';
import type { MappingContext } from './mapping-context';
import type { LineItemTargets } from './map-works';
import { scoreToMark } from './score-to-mark';

/** scoreScales → their `{lhs:rhs}` pairs by sourcedId; a cell that is not such a list is reported. */
export function readScoreScales(ctx: MappingContext): Map<string, { lhs: string; rhs: string }[]> {
  const scales = new Map<string, { lhs: string; rhs: string }[]>();
  for (const row of ctx.rows('scoreScales.csv')) {
    const pairs = parseScoreScaleValue(row.values.scoreScaleValue);
    if (pairs) scales.set(row.sourcedId, pairs);
    else ctx.report('oneroster.invalid_value', row, { field: 'scoreScaleValue', detail: `ожидается список пар {балл:значение}, получено «${row.values.scoreScaleValue}»` });
  }
  return scales;
}

/**
 * results → marks. A result of a work's line item is a current mark on that work; a result of a
 * period-marks line item is a mark of that kind (quarter and half-year marks need the line
 * item's session to be a period). The score becomes a five-point mark ({@link scoreToMark});
 * a result with no score (not submitted) carries no mark and is reported as not expressible.
 */
export function mapMarks(ctx: MappingContext, lineItems: LineItemTargets, scales: Map<string, { lhs: string; rhs: string }[]>): void {
  for (const row of ctx.deletedRows('results.csv')) ctx.markDeleted('marks', row.sourcedId);
  for (const r of ctx.rows('results.csv')) {
    const v = r.values;
    const target = lineItems.targets.get(v.lineItemSourcedId);
    if (!target) {
      const failed = lineItems.failed.get(v.lineItemSourcedId);
      if (failed === 'rejected' || ctx.raw('lineItems.csv', v.lineItemSourcedId)?.rejected) {
        ctx.report('oneroster.rejected_reference', r, { field: 'lineItemSourcedId', entity: 'marks', detail: v.lineItemSourcedId });
        ctx.reject('marks', r.sourcedId);
      } else if (failed === 'skipped') {
        ctx.report('oneroster.not_expressible', r, { field: 'lineItemSourcedId', entity: 'marks', detail: `работа ${v.lineItemSourcedId} не переносится, поэтому не переносится и отметка` });
        ctx.skip('marks', r.sourcedId);
      } else if (ctx.delta && !ctx.raw('lineItems.csv', v.lineItemSourcedId)) {
        ctx.report('oneroster.not_expressible', r, { field: 'lineItemSourcedId', entity: 'marks', detail: `работы ${v.lineItemSourcedId} нет в дельта-выгрузке: класс и предмет отметки неизвестны` });
        ctx.skip('marks', r.sourcedId);
      }
      // Otherwise the line item is out of this school's scope.
      continue;
    }
    const pupilId = v.studentSourcedId;
    if (!ctx.requires(['pupils'], pupilId, r, 'studentSourcedId', 'marks', 'пользователь не является учеником', 'users.csv')) {
      ctx.reject('marks', r.sourcedId);
      continue;
    }
    const maxRaw = target.item.values.resultValueMax;
    const max = maxRaw !== undefined && Number.isFinite(Number(maxRaw)) ? Number(maxRaw) : undefined;
    const outcome = scoreToMark({ score: v.score, textScore: v.textScore, scoreStatus: v.scoreStatus, scale: v.scoreScaleSourcedId ? scales.get(v.scoreScaleSourcedId) : undefined, max });
    if ('invalid' in outcome) {
      ctx.report('oneroster.invalid_value', r, { field: v.score !== undefined ? 'score' : 'textScore', entity: 'marks', detail: outcome.invalid });
      ctx.reject('marks', r.sourcedId);
      continue;
    }
    if ('none' in outcome) {
      ctx.report('oneroster.not_expressible', r, { field: 'score', entity: 'marks', detail: `результат без балла (scoreStatus: ${v.scoreStatus}) не является отметкой` });
      ctx.skip('marks', r.sourcedId);
      continue;
    }
    ctx.accept('marks', {
      origin: r,
      record: {
        sourceId: r.sourcedId,
        pupilId,
        subjectId: target.subjectId,
        groupId: target.groupId,
        kind: target.kind,
        value: outcome.value,
        date: toLocalDate(v.scoreDate, ctx.timeZone),
        workId: target.workId,
        periodId: target.kind === 'quarter' || target.kind === 'half_year' ? target.periodId : undefined,
        comment: v.comment,
      },
      fields: {
        pupilId: 'studentSourcedId',
        value: v.score !== undefined ? 'score' : 'textScore',
        date: 'scoreDate',
        workId: 'lineItemSourcedId',
        periodId: { file: 'lineItems.csv', row: target.item.row, column: 'academicSessionSourcedId' },
        comment: 'comment',
      },
    });
  }
}
