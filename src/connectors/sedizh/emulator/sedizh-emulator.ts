import Fastify from 'fastify';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { localDateOf } from '../../../model';
import type { PackageMapping } from '../../../mappers/sedizh';
import type { ExportQuery } from '../exchange-transport';
import { encodeXml } from '../package-encoding';
import type { Cutoff } from './cutoff';
import { EmulatorState } from './emulator-state';
import { exportPackage } from './export-package';
import { parseMultipart } from './multipart';
import { processPackage } from './process-package';

/** Trouble the emulator can make, as shares of requests or packages (0–1). */
export interface SedizhEmulatorFaults {
  /** Added to every answer, ms. @defaultValue 0 */
  latencyMs?: number;
  /** Uploads answered 503 before anything is read. @defaultValue 0 */
  serverErrorRate?: number;
  /** Packages whose first receipt is garbage (the package is applied; asking again gives the real one). @defaultValue 0 */
  malformedReceiptRate?: number;
  /** Packages whose receipt never comes for the first hand-over (applied; the same package sent again gets it). @defaultValue 0 */
  lostReceiptRate?: number;
  /** Packages whose receipt never comes at all, however often the package is sent (applied once). @defaultValue 0 */
  receiptNeverComesRate?: number;
}

/** Options of {@link startSedizhEmulator}. */
export interface SedizhEmulatorOptions {
  mapping: PackageMapping;
  /** @defaultValue 14:00, working days */
  cutoff?: Cutoff;
  /** The schools' zone. @defaultValue `Asia/Yekaterinburg` */
  timeZone?: string;
  /** @defaultValue 0 (any free port) */
  port?: number;
  /** Exchange folder to serve besides HTTP (`outbox/` read, `inbox/` written). @defaultValue none */
  dir?: string;
  /** How often the folder is looked at, ms. @defaultValue 100 */
  dirPollMs?: number;
  faults?: SedizhEmulatorFaults;
  /** The platform's clock (the cut-off). @defaultValue `() => new Date()` */
  now?: () => Date;
  /** Draws for faults. @defaultValue `Math.random` */
  random?: () => number;
}

/** A running emulator. */
export interface SedizhEmulator {
  /** `http://127.0.0.1:PORT`: the exchange address a link's `target.baseUrl` names. */
  readonly url: string;
  readonly state: EmulatorState;
  setFaults(faults: SedizhEmulatorFaults): void;
  /** Looks at the exchange folder once (tests; the emulator also does it by itself). */
  scanDirectory(): Promise<number>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const GARBAGE = '<?xml version="1.0" encoding="UTF-8"?>\n<Receipt packageId=';

/**
 * A loopback СЭДиЖ / ЭПОС exchange for tests and dress rehearsals: takes packages over HTTP
 * (`POST /packages`, multipart, field `package`) and through an exchange folder, validates them
 * against the package schema's rules and the mapping, answers receipts with per-record errors
 * (`GET /packages/{id}/receipt`; 202 while none), applies the daily cut-off, exports its state as
 * a package (`GET /export`), and makes trouble on request (latency, 503, garbage receipts,
 * receipts that never come). `GET /__emulator/writes` lists every applied change. It is not the
 * platform: its answers follow ejsync's documented default format, not the platform's real one.
 */
export async function startSedizhEmulator(options: SedizhEmulatorOptions): Promise<SedizhEmulator> {
  const state = new EmulatorState();
  let faults: SedizhEmulatorFaults = { ...options.faults };
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const cutoff = options.cutoff ?? { time: '14:00', weekdaysOnly: true };
  const timeZone = options.timeZone ?? 'Asia/Yekaterinburg';
  const { mapping } = options;
  /** Receipts that answer garbage once. */
  const garbled = new Set<string>();
  /** Receipts that never come. */
  const never = new Set<string>();
  let exports = 0;

  const receive = (bytes: Buffer, fileId: string) => {
    const result = processPackage(state, bytes, fileId, { mapping, cutoff, timeZone, now: now() });
    if (!result.replay) {
      if (random() < (faults.receiptNeverComesRate ?? 0)) never.add(result.packageId);
      else if (random() < (faults.lostReceiptRate ?? 0)) state.withheld.add(result.packageId);
      else if (random() < (faults.malformedReceiptRate ?? 0)) garbled.add(result.packageId);
    } else state.withheld.delete(result.packageId);
    return result;
  };
  const receiptOf = (packageId: string): Buffer | null => {
    const xml = state.receipts.get(packageId);
    if (xml === undefined || state.withheld.has(packageId) || never.has(packageId)) return null;
    if (garbled.delete(packageId)) return Buffer.from(GARBAGE, 'utf8');
    return encodeXml(xml, mapping.encoding);
  };
  const exportOf = (query: ExportQuery) => {
    const at = now();
    exports += 1;
    return encodeXml(exportPackage(state.school(query.schoolId), query, mapping, { now: at, today: localDateOf(at, timeZone), sequence: exports }), mapping.encoding);
  };

  const app = Fastify({ logger: false, bodyLimit: 200 * 1024 * 1024 });
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addHook('onRequest', async () => {
    if (faults.latencyMs) await sleep(faults.latencyMs);
  });
  app.post('/packages', async (req, reply) => {
    if (random() < (faults.serverErrorRate ?? 0)) return reply.code(503).type('text/html').send('<html><body>Сервис временно недоступен</body></html>');
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(String(req.headers['content-type'] ?? ''));
    const part = boundary && Buffer.isBuffer(req.body) ? parseMultipart(req.body, boundary[1] ?? boundary[2]).find((p) => p.name === 'package') : undefined;
    if (!part) return reply.code(400).type('text/plain; charset=utf-8').send('ожидается multipart/form-data с файлом package');
    const fileId = (part.filename ?? 'package').replace(/\.xml$/i, '');
    const { packageId, replay } = receive(part.data, fileId);
    return reply.code(replay ? 409 : 202).header('location', `/packages/${encodeURIComponent(packageId)}/receipt`).type('text/plain; charset=utf-8').send(packageId);
  });
  app.get<{ Params: { id: string } }>('/packages/:id/receipt', async (req, reply) => {
    if (!state.receipts.has(req.params.id)) return reply.code(404).type('text/plain; charset=utf-8').send('пакет не поступал');
    const bytes = receiptOf(req.params.id);
    if (!bytes) return reply.code(202).type('text/plain; charset=utf-8').send('обрабатывается');
    return reply.code(200).type('application/xml').send(bytes);
  });
  app.get<{ Querystring: Record<string, string | undefined> }>('/export', async (req, reply) => {
    const q = req.query;
    if (!q.school) return reply.code(400).type('text/plain; charset=utf-8').send('укажите school');
    return reply.code(200).type('application/xml').send(exportOf({ schoolId: q.school, from: q.from, to: q.to, entity: q.entity, id: q.id, extId: q.extId }));
  });
  app.get('/__emulator/writes', async () => state.writes);
  app.delete('/__emulator/writes', async () => {
    state.writes.length = 0;
    return { ok: true };
  });

  let scanning: Promise<number> | null = null;
  const scanOnce = async (): Promise<number> => {
    const dir = options.dir;
    if (!dir) return 0;
    const outbox = path.join(dir, 'outbox');
    const inbox = path.join(dir, 'inbox');
    await mkdir(path.join(outbox, 'processed'), { recursive: true });
    await mkdir(inbox, { recursive: true });
    const writeAtomically = async (name: string, bytes: Buffer) => {
      const tmp = path.join(inbox, `.${name}.tmp`);
      await writeFile(tmp, bytes);
      await rename(tmp, path.join(inbox, name));
    };
    let handled = 0;
    for (const name of (await readdir(outbox)).sort()) {
      if (name.startsWith('.') || !name.endsWith('.xml')) continue;
      const file = path.join(outbox, name);
      const bytes = await readFile(file).catch(() => null);
      if (!bytes) continue;
      handled += 1;
      if (name.endsWith('.export-request.xml')) {
        const request = name.slice(0, -'.export-request.xml'.length);
        const attr = (n: string) => new RegExp(`\\s${n}="([^"]*)"`).exec(bytes.toString('utf8'))?.[1]?.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&amp;/g, '&');
        await writeAtomically(`${request}.export.xml`, exportOf({ schoolId: attr('school') ?? '', from: attr('from'), to: attr('to'), entity: attr('entity'), id: attr('id'), extId: attr('extId') }));
        await rm(file, { force: true });
        continue;
      }
      const { packageId } = receive(bytes, name.slice(0, -4));
      await rename(file, path.join(outbox, 'processed', name)).catch(() => rm(file, { force: true }));
      const receipt = receiptOf(packageId);
      if (receipt) await writeAtomically(`${name.slice(0, -4)}.receipt.xml`, receipt);
    }
    return handled;
  };
  const scanDirectory = () => (scanning ??= scanOnce().finally(() => (scanning = null)));
  let timer: NodeJS.Timeout | null = null;
  let closed = false;
  if (options.dir) {
    const tick = async () => {
      if (closed) return;
      await scanDirectory().catch(() => undefined);
      if (!closed) timer = setTimeout(tick, options.dirPollMs ?? 100);
    };
    await scanDirectory();
    timer = setTimeout(tick, options.dirPollMs ?? 100);
  }

  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    setFaults(next) {
      faults = { ...next };
    },
    scanDirectory,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await scanning?.catch(() => undefined);
      await app.close();
    },
  };
}
