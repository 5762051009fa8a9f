import { assertIdsOnly, deliveryJobSchema, planJobSchema } from '../../../src/queue/job-payloads';
import { deliveryQueueName } from '../../../src/queue/queue-names';

describe('job payloads carry ids only', () => {
  it('accepts ids', () => {
    expect(assertIdsOnly(planJobSchema, { runId: 'run-1', linkId: 'school-42' })).toEqual({ runId: 'run-1', linkId: 'school-42' });
  });

  it.each([
    [{ runId: 'run-1', linkId: 'Иванов Иван' }, /ids only/],
    [{ runId: 'run-1', linkId: '112-233-445 95' }, /ids only/],
    [{ runId: 'run:1', linkId: 'x' }, /ids only/],
    [{ runId: 'run-1', linkId: 'x', accessToken: 'abc' }, /unexpected fields: accessToken/],
  ])('refuses %j', (payload, message) => {
    expect(() => assertIdsOnly(planJobSchema, payload)).toThrow(message);
  });

  it('delivery jobs need a phase', () => {
    expect(() => assertIdsOnly(deliveryJobSchema, { runId: 'r', changeId: 'c', linkId: 'l' })).toThrow();
    expect(deliveryQueueName('dnevnik')).toBe('deliver-dnevnik');
    expect(() => deliveryQueueName('Dnevnik:x')).toThrow();
  });
});
