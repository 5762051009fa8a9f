import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Environment } from '../config/environment';
import { generateSchool } from '../connectors/demo-school';
import { createMisCsvWriter } from '../connectors/mis-csv';
import { readSource } from '../connectors/read-source';
import { hasErrors, type Snapshot, type SourceReadResult } from '../model';
import type { PipelineContext } from '../queue/run-pipeline/pipeline-context';
import { generateSecretKey } from '../store/repositories/secret-box';
import type { RunRecord } from '../store';

const FINAL = ['succeeded', 'partial', 'failed', 'held', 'cancelled', 'discarded'];

/**
 * Step 1 of every demo: the key (a demo without a configured key keeps its own beside its data,
 * readable by this user only, so a second demo in the same home reads the first's secrets), then
 * the generated school written as an МИС CSV export under `$EJSYNC_HOME/demo/export` and read back
 * as `ejsync validate` reads it.
 */
export async function prepareDemoSchool(env: Environment, options: { pupils: number; seed: string; weeks: number; say: (line: string) => void }): Promise<{ exportPath: string; read: SourceReadResult; source: Snapshot }> {
  if (!process.env.EJSYNC_SECRET_KEY) {
    const keyFile = path.join(env.home, 'demo', 'secret-key');
    await mkdir(path.dirname(keyFile), { recursive: true });
    if (!existsSync(keyFile)) await writeFile(keyFile, generateSecretKey(), { mode: 0o600 });
    process.env.EJSYNC_SECRET_KEY = (await readFile(keyFile, 'utf8')).trim();
  }
  const exportPath = path.join(env.home, 'demo', 'export');
  await rm(exportPath, { recursive: true, force: true });
  await mkdir(exportPath, { recursive: true });
  options.say(`1. Создаю вымышленную школу: ${options.pupils} обучающихся, зерно «${options.seed}» → ${exportPath}`);
  await generateSchool(await createMisCsvWriter(exportPath), { pupils: options.pupils, seed: options.seed, weeks: options.weeks });
  const read = await readSource(exportPath);
  if (!read.snapshot || hasErrors(read.findings)) throw new Error('созданная выгрузка не прошла проверку — это ошибка ejsync, сообщите разработчикам');
  const source = read.snapshot;
  options.say(`   Выгрузка прочитана и проверена: ${source.pupils.length} обучающихся, ${source.classes.length} классов, ${source.marks.length} отметок, замечаний: ${read.findings.length}.`);
  return { exportPath, read, source };
}

/** Polls the store until a demo run settles, or fails after `timeoutMs`. */
export async function waitForDemoRun(ctx: Pick<PipelineContext, 'store'>, runId: string, timeoutMs: number): Promise<RunRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await ctx.store.runs.require(runId);
    if (FINAL.includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`запуск ${runId} не завершился за ${Math.round(timeoutMs / 1000)} с (состояние: ${run.status})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
