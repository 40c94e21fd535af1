import { badRequest } from '../core/errors.js';

/**
 * PostgreSQL's data exceptions (SQLSTATE class 22) that a request's own values cause: a number past a column's
 * range (`integer` ids, MISP's `int(11)`), text PostgreSQL cannot hold (a NUL character, which SQLite stores), a
 * value too long for a `varchar`, a malformed literal. The services check the inputs they know of; this is the net
 * under the rest, so that such a value gets MISP's 400 instead of a 500, and the transaction it was part of rolls back
 * whole as any other refusal does.
 */
const INPUT_ERRORS = new Set([
  '22001', // string_data_right_truncation
  '22003', // numeric_value_out_of_range
  '22007', // invalid_datetime_format
  '22008', // datetime_field_overflow
  '22021', // character_not_in_repertoire (NUL in text)
  '22P02', // invalid_text_representation
  '22P05', // untranslatable_character
]);

/** The 400 a driver error stands for when the request's values caused it; otherwise the error itself. */
export function asInputError(err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !INPUT_ERRORS.has(code)) return err;
  return badRequest(`Invalid input: ${(err as Error).message}`);
}
