import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { DomainError, ErrorCode } from '../../core/errors.js';
import { INVALID_JSON } from './error-response.js';

/** A body we could not parse; kept as a marker so the dispatcher answers MISP's 405. */
export const INVALID_BODY = Symbol('invalid-body');

/**
 * MISP reads every REST body as JSON whatever its content type, accepts gzip/br compressed bodies
 * (spec §0.2), and answers 405 to invalid JSON. Form posts (the login page) are parsed as such.
 */
export function registerBodyParsing(app: FastifyInstance): void {
  app.addHook('preParsing', async (req, _reply, payload) => {
    const enc = String(req.headers['content-encoding'] ?? '').toLowerCase();
    if (enc === 'gzip') return payload.pipe(createGunzip());
    if (enc === 'br') return payload.pipe(createBrotliDecompress());
    if (enc === 'deflate') return payload.pipe(createInflate());
    return payload;
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
    const text = String(body);
    const type = String(req.headers['content-type'] ?? '');
    if (text.trim() === '') return done(null, undefined);
    if (type.includes('application/x-www-form-urlencoded')) {
      return done(null, Object.fromEntries(new URLSearchParams(text)));
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(null, INVALID_BODY);
    }
  });
}

export function invalidJson(): DomainError {
  return new DomainError(ErrorCode.NotAllowed, INVALID_JSON);
}
