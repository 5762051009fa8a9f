import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { allCodes } from '../../../src/model';

/**
 * Every code in the catalogue must be triggered by some test: this looks for the code, quoted,
 * in a test file other than this one (the tests themselves assert the code on a real input).
 */
function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return testFiles(full);
    return /\.test\.ts$/.test(name) && full !== __filename ? [full] : [];
  });
}

describe('catalogue coverage', () => {
  it('every code is exercised by at least one test', () => {
    const corpus = testFiles(path.join(__dirname, '..', '..')).map((f) => readFileSync(f, 'utf8')).join('\n');
    const untested = allCodes().filter((code) => !corpus.includes(`'${code}'`) && !corpus.includes(`"${code}"`) && !corpus.includes(`\`${code}\``));
    expect(untested).toEqual([]);
  });
});
