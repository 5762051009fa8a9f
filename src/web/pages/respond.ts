import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/roles';
import type { Html } from './html';
import { layout, messagePage, type LayoutOptions } from './layout';

const HTML = 'text/html; charset=utf-8';

/** A dashboard page in the frame (never cached: it holds the person's data). */
export function page(req: FastifyRequest, reply: FastifyReply, options: Omit<LayoutOptions, 'principal' | 'csrf'>, body: Html) {
  return reply.type(HTML).header('cache-control', 'no-store').send(layout({ ...options, principal: req.principal, csrf: req.session?.csrfToken }, body));
}

/** A refusal as a Russian page (the server records refusals in the audit trail). */
export function refused(reply: FastifyReply, p: Principal, status: 404 | 403 | 400 | 409, what: string) {
  const [title, text] =
    status === 404
      ? [`${what} не найден${what === 'Связь' ? 'а' : ''}`, 'Проверьте ссылку или откройте обзор. Объекты других школ недоступны.']
      : status === 403
        ? ['Недостаточно прав', 'Это действие доступно администратору ЭЖ этой школы или региональному оператору.']
        : status === 400
          ? ['Действие не подтверждено', 'Откройте действие со страницы запуска или связи и нажмите кнопку подтверждения.']
          : ['Действие сейчас недоступно', what];
  return reply.code(status).type(HTML).send(messagePage(title, text, p));
}
