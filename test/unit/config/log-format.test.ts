import { Writable } from 'node:stream';
import { readEnvironment } from '../../../src/config/environment';
import { chooseLogFormat, createLogger, type LogFormat } from '../../../src/config/logger';

/** A destination that says whether it is a terminal, keeping what is written. */
function sink(isTTY: boolean): Writable & { text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  }) as Writable & { text(): string; isTTY?: boolean };
  stream.isTTY = isTTY;
  stream.text = () => chunks.join('');
  return stream;
}

/** Issue 14 (4): JSON by default, pretty in a terminal; EJSYNC_LOG_FORMAT overrides either way. */
describe('log format', () => {
  it.each<[string | undefined, boolean, 'json' | 'pretty']>([
    [undefined, false, 'json'],
    [undefined, true, 'pretty'],
    ['auto', false, 'json'],
    ['auto', true, 'pretty'],
    ['json', true, 'json'],
    ['json', false, 'json'],
    ['pretty', false, 'pretty'],
    ['pretty', true, 'pretty'],
  ])('EJSYNC_LOG_FORMAT=%s, terminal %s → %s', (format, tty, expected) => {
    expect(chooseLogFormat(format, tty)).toBe(expected);
  });

  const write = (isTTY: boolean, format?: LogFormat) => {
    const out = sink(isTTY);
    const logger = createLogger({ destination: out, format, level: 'info' });
    logger.info({ runId: 'run-1', pupil: { lastName: 'Иванов', snils: '112-233-445 95' } }, 'plan job done');
    logger.flush();
    return out.text();
  };

  it('writes JSON lines to a file or pipe, readable lines to a terminal — redacted alike', () => {
    const json = write(false);
    expect(JSON.parse(json.trim())).toMatchObject({ level: 30, msg: 'plan job done', runId: 'run-1', pupil: { lastName: '[скрыто]', snils: '[скрыто]' } });

    const pretty = write(true);
    expect(() => JSON.parse(pretty.trim())).toThrow();
    expect(pretty).toMatch(/INFO/);
    expect(pretty).toContain('plan job done');
    expect(pretty.replace(/\u001b\[\d+m/g, '')).toContain('runId: "run-1"');
    expect(pretty).toContain('[скрыто]');
    expect(pretty).not.toContain('Иванов');
    expect(pretty).not.toContain('112-233-445 95');
    // Colours only for a terminal.
    expect(pretty).toContain('\u001b[');
  });

  it('json forces JSON on a terminal; pretty forces readable lines (no colours) into a pipe', () => {
    expect(JSON.parse(write(true, 'json').trim())).toMatchObject({ msg: 'plan job done' });
    const piped = write(false, 'pretty');
    expect(piped).toContain('plan job done');
    expect(piped).not.toContain('\u001b[');
  });

  it('EJSYNC_LOG_FORMAT is checked with the environment: a wrong value names the variable', () => {
    expect(() => readEnvironment({ EJSYNC_LOG_FORMAT: 'text' })).toThrow(/EJSYNC_LOG_FORMAT: формат журнала: auto, json или pretty/);
    expect(() => readEnvironment({ EJSYNC_LOG_FORMAT: 'pretty' })).not.toThrow();
  });
});
