import { alertsForRun } from '../../../src/queue/alerts/alert-rules';
import type { RunRecord, RunStatus } from '../../../src/store';

const run = (status: RunStatus): RunRecord => ({
  id: 'run-9',
  linkId: 'link-1',
  schoolId: 'school-1',
  kind: 'sync',
  status,
  trigger: 'schedule',
  triggeredBy: null,
  environment: 'emulator',
  targetUrl: null,
  counts: {},
  summary: {},
  heldReasons: [],
  parentRunId: null,
  errorCode: status === 'failed' ? 'delivery.failed' : null,
  writes: 0,
  createdAt: new Date(),
  startedAt: null,
  finishedAt: null,
});
const options = { consecutiveFailures: 3, dashboardUrl: 'https://ejsync.example/', now: new Date('2026-09-02T02:10:00Z') };

describe('alert rules', () => {
  it.each<[RunStatus, RunStatus[], string[]]>([
    ['succeeded', ['succeeded', 'failed'], []],
    ['held', ['held'], ['run_held']],
    ['failed', ['failed', 'succeeded'], ['run_failed']],
    ['partial', ['partial', 'failed', 'succeeded'], ['run_failed']],
    ['failed', ['failed', 'partial', 'failed', 'succeeded'], ['run_failed', 'consecutive_failures']],
    ['failed', ['failed', 'failed', 'failed', 'failed'], ['run_failed']],
  ])('%s after %j → %j', (status, recent, kinds) => {
    const alerts = alertsForRun(run(status), recent, options);
    expect(alerts.map((a) => a.kind)).toEqual(kinds);
    for (const a of alerts) {
      expect(a.url).toBe('https://ejsync.example/runs/run-9');
      expect(a.text).toMatch(/[А-Яа-я]/);
      expect(a.id).toBe(`${a.kind}.run-9`);
    }
  });
});
