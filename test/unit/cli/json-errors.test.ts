import type { Command } from 'commander';
import { buildProgram, main } from '../../../src/cli/main';
import { printError, setJsonErrors, underlyingCause } from '../../../src/cli/command-runner';
import { EjsyncError } from '../../../src/model';
import { PassThrough } from 'node:stream';

function leaves(command: Command): Command[] {
  return command.commands.length === 0 ? [command] : command.commands.flatMap(leaves);
}

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  return { io: { stdout, stderr }, out: () => out, err: () => err };
}

describe('--json on every command, errors included', () => {
  afterEach(() => setJsonErrors(false));

  it('every command of the tree takes --json', () => {
    const missing = leaves(buildProgram())
      .filter((c) => !c.options.some((o) => o.long === '--json'))
      .map((c) => c.name());
    expect(missing).toEqual([]);
  });

  it('an error under --json is one JSON object on stdout, exit status unchanged', async () => {
    const writes: string[] = [];
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const before = process.exitCode;
    try {
      await main(['node', 'ejsync', 'esia', 'check', '--config', '/nonexistent/ejsync-config.json', '--json']);
      const code = process.exitCode;
      expect(code).toBe(2);
      const parsed = JSON.parse(writes.join('').trim().split('\n').pop()!);
      expect(parsed.error).toEqual({ code: 'config.not_found', message: expect.stringContaining('/nonexistent/ejsync-config.json'), hint: expect.any(String) });
      expect(err).not.toHaveBeenCalledWith(expect.stringContaining('Ошибка'));
    } finally {
      out.mockRestore();
      err.mockRestore();
      process.exitCode = before;
    }
  });

  it('prints the underlying cause in one short line under the Russian message', () => {
    const c = capture();
    const driver = new Error('password authentication failed\nfor user "nobody"');
    printError(c.io, new EjsyncError('store.unavailable', { cause: new Error('wrapper', { cause: driver }) }), false);
    expect(c.err()).toMatch(/^Ошибка \[store\.unavailable\]: .+\nПричина: password authentication failed for user "nobody"\nЧто делать: /);
    expect(underlyingCause(new Error('no cause'))).toBeUndefined();
  });

  it('JSON errors carry code, message, hint and the cause', () => {
    const c = capture();
    printError(c.io, new EjsyncError('store.unavailable', { cause: new Error('ECONNREFUSED 127.0.0.1:1') }), true);
    expect(JSON.parse(c.out())).toEqual({ error: { code: 'store.unavailable', message: expect.any(String), hint: expect.any(String), cause: 'ECONNREFUSED 127.0.0.1:1' } });
    expect(c.err()).toBe('');
  });
});
