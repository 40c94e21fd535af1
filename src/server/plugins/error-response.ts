import { DomainError, ErrorCode } from '../../core/errors.js';

const STATUS: Record<ErrorCode, number> = {
  NOT_FOUND: 404, FORBIDDEN: 403, SAVE_FAILED: 403, BAD_REQUEST: 400, NOT_ALLOWED: 405,
  ALREADY_EXISTS: 404, TOO_LARGE: 413, UNAUTHENTICATED: 403,
};

export interface ErrorReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers: Record<string, string>;
}

/**
 * MISP's error envelopes (spec §0.4): exceptions give `{name, message, url}`; failed saves add
 * `saved: false` and `errors`; an existing event answers 404 with a Location header.
 */
export function errorReply(err: unknown, url: string, baseUrl: string): ErrorReply | undefined {
  if (!(err instanceof DomainError)) return undefined;
  const status = STATUS[err.code];
  const headers: Record<string, string> = {};
  const body: Record<string, unknown> = err.code === ErrorCode.SaveFailed
    ? { saved: false, name: err.message, message: err.message, url, errors: err.errors ?? err.message }
    : { name: err.message, message: err.message, url, ...(err.errors !== undefined ? { errors: err.errors } : {}) };
  if (err.details.id !== undefined) body.id = String(err.details.id);
  if (typeof err.details.location === 'string') headers.location = `${baseUrl}${err.details.location}`;
  return { status, body, headers };
}

export const INVALID_JSON =
  'Invalid JSON input. Make sure that the JSON input is a correctly formatted JSON string. This request has been blocked to avoid an unfiltered request.';
