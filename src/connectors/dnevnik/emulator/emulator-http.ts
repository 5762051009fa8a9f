import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorRequest } from './emulator-state';
import { stringifyWireJson } from '../wire-json';

/** A JSON answer with exact 64-bit ids (every `x` written from its `x_str` twin; see `publishWire` for which twins stay). */
export const json = (reply: FastifyReply, status: number, body: unknown) => reply.code(status).type('application/json; charset=utf-8').send(stringifyWireJson(body));

/** The platform's error envelope `{"type", "description"}`. */
export const fail = (reply: FastifyReply, status: number, type: string, description: string) => json(reply, status, { type, description });

/** The platform's HTML error page (`<div class="error__description">`). */
export const htmlPage = (reply: FastifyReply, status: number, text: string) =>
  reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(`<!DOCTYPE html><html><head><title>Дневник.ру</title></head><body><div class="error"><div class="error__description"><p>${text}</p></div></div></body></html>`);

/** The request log entry of each request (set by the guard hook). */
const logged = new WeakMap<FastifyRequest, EmulatorRequest>();

export const rememberRequest = (req: FastifyRequest, entry: EmulatorRequest) => logged.set(req, entry);
export const loggedRequest = (req: FastifyRequest): EmulatorRequest | undefined => logged.get(req);
