/**
 * The one catalogue of domain errors. Core code throws only `DomainError`; the HTTP layer
 * (src/server/plugins/error-handler.ts) maps each code to MISP's status and envelope (spec §0.4).
 */
export const ErrorCode = {
  /** Absent or invisible: MISP answers both the same way so nothing leaks (404). */
  NotFound: 'NOT_FOUND',
  /** The actor may not do this (403 "You do not have permission to do that."). */
  Forbidden: 'FORBIDDEN',
  /** A save failed validation: MISP's saveFailResponse, 403 with `saved: false` and `errors`. */
  SaveFailed: 'SAVE_FAILED',
  /** Malformed request (400). */
  BadRequest: 'BAD_REQUEST',
  /** MISP's MethodNotAllowedException (405), also used by MISP for invalid ids and invalid JSON. */
  NotAllowed: 'NOT_ALLOWED',
  /** The thing already exists; `details.id` names it (events/add answers 404 + Location, spec §2.11). */
  AlreadyExists: 'ALREADY_EXISTS',
  /** Request body over the configured size limit (413). */
  TooLarge: 'TOO_LARGE',
  /** Authentication failed (403 with MISP's exact text, spec §0.3). */
  Unauthenticated: 'UNAUTHENTICATED',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class DomainError extends Error {
  readonly code: ErrorCode;
  /** MISP's `errors` member: a string or a field → messages map. */
  readonly errors: unknown;
  readonly details: Readonly<Record<string, unknown>>;
  constructor(code: ErrorCode, message: string, errors?: unknown, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.errors = errors;
    this.details = details;
  }
}

export const PERMISSION_DENIED = 'You do not have permission to do that.';

export const notFound = (message: string): DomainError => new DomainError(ErrorCode.NotFound, message);
export const forbidden = (message: string = PERMISSION_DENIED): DomainError =>
  new DomainError(ErrorCode.Forbidden, message);
export const saveFailed = (message: string, errors: unknown, details: Record<string, unknown> = {}): DomainError =>
  new DomainError(ErrorCode.SaveFailed, message, errors, details);

/**
 * A unique key (a uuid, a name) that another transaction committed between this one's look-up and its insert
 * (ADR 0012): refused as MISP refuses a taken key. `isStoredFirst` tells it apart, so that a service whose body is
 * safe to run again can retry it once and give the answer the two requests get one after the other.
 */
export const storedFirst = (key: string): DomainError =>
  saveFailed('Could not save: another request stored the same record first.', { [key]: [`The ${key} provided is not unique`] }, { storedFirst: true });

export const isStoredFirst = (err: unknown): boolean => err instanceof DomainError && err.details.storedFirst === true;

export const badRequest = (message: string, errors?: unknown): DomainError =>
  new DomainError(ErrorCode.BadRequest, message, errors);
export const notAllowed = (message: string): DomainError => new DomainError(ErrorCode.NotAllowed, message);
