/**
 * Text compared without regard to case, the same way on every database (spec §5.1: MISP matches values and names
 * on MySQL's case-insensitive `_ci` collations, for every alphabet, not only ASCII).
 *
 * `foldCase` lowers each character on its own (Unicode's simple case mapping), which is what PostgreSQL's `lower()`
 * does under a UTF-8 locale. JavaScript's `toLowerCase` differs from it in two places, mapped first: 'İ' (U+0130)
 * becomes 'i', not 'i' followed by a combining dot, and 'Σ' always becomes 'σ', never the word-final 'ς'.
 * SQLite's own `lower()`, `LIKE` and `NOCASE` fold ASCII only; its connections get this function instead
 * (`Dialect.lower`, open-database.ts).
 */
const ASCII = /^[\x00-\x7f]*$/;

/** Whether `text` is ASCII only: its case folds the same under every rule. */
export const isAscii = (text: string): boolean => ASCII.test(text);

export function foldCase(text: string): string {
  if (isAscii(text)) return text.toLowerCase();
  return text.replace(/\u0130/g, 'i').replace(/\u03a3/g, '\u03c3').toLowerCase();
}
