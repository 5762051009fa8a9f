import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DASHBOARD_CSS } from './dashboard-css';
import { DASHBOARD_JS } from './dashboard-js';

const ASSETS: Record<string, { type: string; body: string }> = {
  'dashboard.css': { type: 'text/css; charset=utf-8', body: DASHBOARD_CSS },
  'dashboard.js': { type: 'text/javascript; charset=utf-8', body: DASHBOARD_JS },
};

const VERSION = createHash('sha256')
  .update(Object.values(ASSETS).map((a) => a.body).join('\n'))
  .digest('hex')
  .slice(0, 10);

/** `/assets/dashboard.css?v=…`: the version changes with the content, so browsers may cache for long. */
export function assetUrl(name: keyof typeof ASSETS | string): string {
  return `/assets/${name}?v=${VERSION}`;
}

/** Serves the dashboard's own stylesheet and script (public: they hold no data). */
export function registerAssetRoutes(app: FastifyInstance): void {
  app.get('/assets/:name', async (req, reply) => {
    const asset = ASSETS[(req.params as { name: string }).name];
    if (!asset) return reply.code(404).type('text/plain; charset=utf-8').send('Нет такого файла');
    return reply.type(asset.type).header('cache-control', 'public, max-age=31536000, immutable').send(asset.body);
  });
}
