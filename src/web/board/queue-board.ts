import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import { isOperator } from '../auth/roles';
import type { DashboardBackend } from '../dashboard-backend';
import { messagePage } from '../pages/layout';

/** Where the read-only queue board lives. */
export const BOARD_PATH = '/queues';

/**
 * CSP of the board's pages only: its bundled UI sets inline styles; scripts stay `'self'`.
 * Everything of ejsync's own keeps the strict policy.
 */
const BOARD_CSP = "default-src 'self';script-src 'self';style-src 'self' 'unsafe-inline';img-src 'self' data:;font-src 'self' data:;connect-src 'self';frame-ancestors 'none';form-action 'self'";

/**
 * bull-board over the planning and delivery queues, read-only (no retry, clean, pause or add
 * from the board; its state-changing calls also lack the CSRF token and are refused), behind
 * the same sign-in and for regional operators only.
 */
export async function registerQueueBoard(app: FastifyInstance, backend: DashboardBackend): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: backend.boardQueues().map((q) => new BullMQAdapter(q, { readOnlyMode: true, allowRetries: false })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'ejsync — очереди', locale: { lng: 'ru-RU' }, hideDocsLink: true, miscLinks: [{ text: 'Вернуться в ejsync', url: '/' }] } },
  });
  await app.register(
    async (scope) => {
      scope.addHook('onRequest', async (req, reply) => {
        if (req.principal && isOperator(req.principal)) return;
        return reply.code(403).type('text/html; charset=utf-8').send(messagePage('Очереди доступны только региональному оператору', 'Состояние запусков вашей школы — на странице обзора.', req.principal));
      });
      scope.addHook('onSend', async (_req, reply, payload) => {
        reply.header('content-security-policy', BOARD_CSP);
        return payload;
      });
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: BOARD_PATH },
  );
}
