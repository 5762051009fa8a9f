import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { linkConfigSchema } from '../../config/link-config';
import { EjsyncError, isEjsyncError, type ErrorCode } from '../../model';
import { tempFolder } from '../../queue/intake/export-file';
import { receiveExport } from '../../queue/intake/receive-export';
import type { Store } from '../../store';

export { EXPORT_INTAKE_PATH } from './intake-path';

export interface ExportIntakeOptions {
  /** Largest export accepted, in bytes (`intake.maxBytes`). */
  maxBytes: number;
}

const STATUS: Partial<Record<ErrorCode, number>> = { 'intake.too_large': 413, 'intake.unreadable': 422, 'intake.token_invalid': 401 };

function refuse(reply: FastifyReply, code: ErrorCode, status?: number, detail?: string): FastifyReply {
  const e = new EjsyncError(code, detail ? { detail } : {});
  // The body may still be coming: the connection is not reused.
  return reply.code(status ?? STATUS[code] ?? 400).header('connection', 'close').send({ error: e.code, message: e.message, hint: e.hint });
}

/** A name given by the uploader (`X-File-Name`), reduced to a plain file name. */
function fileNameOf(header: string | string[] | undefined): string | null {
  const raw = Array.isArray(header) ? header[0] : header;
  if (!raw) return null;
  let name = raw;
  try {
    name = decodeURIComponent(raw);
  } catch {
    // kept as sent
  }
  name = path.basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f]/g, '').slice(0, 200);
  return name && name !== '.' && name !== '..' ? name : null;
}

/**
 * Counts bytes on the way; past the limit the rest is read and dropped (nothing more is written),
 * so the request ends normally and its refusal reaches the client.
 */
function limiter(maxBytes: number): Transform & { tooLarge: boolean } {
  let seen = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen > maxBytes) {
        (t as Transform & { tooLarge: boolean }).tooLarge = true;
        return done();
      }
      done(null, chunk);
    },
  }) as Transform & { tooLarge: boolean };
  t.tooLarge = false;
  return t;
}

/**
 * `POST /api/links/{id}/exports`: a school (or its МИС) hands its export to the installation.
 * The body is the export itself (a ZIP or a МИС JSON document, any content type), authenticated
 * by the link's upload key (`Authorization: Bearer …`, issued by `ejsync upload --new-token`).
 * The body is streamed to a temporary file (refused past `maxBytes`), hashed, checked like
 * `ejsync upload` does, and kept; the answer is JSON with its hash and size. Refusals are coded
 * JSON in Russian; a refused export keeps nothing.
 */
export async function registerExportIntakeRoutes(app: FastifyInstance, store: Store, options: ExportIntakeOptions): Promise<void> {
  await app.register(async (scope) => {
    // The body is read here, as a stream: no parser buffers it.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    scope.post('/api/links/:id/exports', async (req, reply) => {
      const linkId = (req.params as { id: string }).id;
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
      if (!bearer) return refuse(reply, 'intake.token_invalid', 401);
      const record = await store.links.get(linkId);
      // An unknown link and a wrong key answer alike: links are not told to strangers.
      if (!record || !(await store.exports.checkUploadToken(linkId, bearer))) return refuse(reply, 'intake.token_invalid', 403);
      const declared = Number(req.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > options.maxBytes) return refuse(reply, 'intake.too_large', 413, `${declared} байт при пределе ${options.maxBytes}`);
      const link = linkConfigSchema.parse(record.config);
      const temp = await tempFolder('ejsync-upload-');
      try {
        const file = path.join(temp.dir, 'upload');
        const limit = limiter(options.maxBytes);
        await pipeline(req.raw, limit, createWriteStream(file));
        if (limit.tooLarge) return refuse(reply, 'intake.too_large', 413, `больше ${options.maxBytes} байт`);
        try {
          const { record: kept, duplicate } = await receiveExport(store, link, file, { maxBytes: options.maxBytes, fileName: fileNameOf(req.headers['x-file-name']) ?? 'export' });
          await store.audit.append({
            actorOid: `upload-key:${link.id}`,
            actorName: 'ключ загрузки связи',
            action: 'intake.export_received',
            objectType: 'link',
            objectId: link.id,
            schoolId: link.school.sourceId,
            details: { sha256: kept.sha256, size: kept.size, duplicate },
          });
          return reply.code(duplicate ? 200 : 201).send({
            linkId: link.id,
            sha256: kept.sha256,
            size: kept.size,
            fileName: kept.fileName,
            format: kept.format,
            receivedAt: kept.receivedAt.toISOString(),
            duplicate,
            message: duplicate ? 'Такая выгрузка уже была загружена: отмечена как полученная сейчас. Следующий запуск связи будет спланирован по ней.' : 'Выгрузка принята. Следующий запуск связи будет спланирован по ней.',
          });
        } catch (error) {
          if (isEjsyncError(error) && error.code.startsWith('intake.')) return refuse(reply, error.code, undefined, error.detail);
          throw error;
        }
      } finally {
        await temp.remove();
      }
    });
  });
}
