import { badRequest, storedFirst } from '../core/errors.js';

/**
 * PostgreSQL's errors that a request causes rather than Cairn or the database, answered as MISP answers bad input
 * instead of a 500; the transaction they happen in rolls back whole, as any other refusal does.
 *
 * - Data exceptions (SQLSTATE class 22): a number past a column's range (`integer` ids, MISP's `int(11)`), text
 *   PostgreSQL cannot hold (a NUL character, which SQLite stores), a value too long for a `varchar`, a malformed
 *   literal. The services check the inputs they know of; this is the net under the rest. A 400.
 * - A unique violation (23505): the services look a uuid or a name up before they insert it, but another request
 *   can store the same one between the look-up and the insert (a sync pushing in parallel, two clients adding one
 *   element). The insert waits for that request and then fails; the answer is the refusal a taken uuid gets. A 403.
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
const UNIQUE_VIOLATION = '23505';

/** The MISP answer a driver error stands for when the request caused it; otherwise the error itself. */
export function asInputError(err: unknown): unknown {
  const e = err as { code?: unknown; detail?: unknown; message?: string } | null;
  const code = e?.code;
  if (typeof code !== 'string') return err;
  if (INPUT_ERRORS.has(code)) return badRequest(`Invalid input: ${e!.message}`);
  if (code !== UNIQUE_VIOLATION) return err;
  // "Key (uuid)=(…) already exists."
  const key = /^Key \(([^)]+)\)=/.exec(typeof e!.detail === 'string' ? e!.detail : '')?.[1] ?? 'key';
  return storedFirst(key);
}
