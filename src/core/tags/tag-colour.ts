import { createHash } from 'node:crypto';

/**
 * Colour for a tag created without one: `#` + the first six hex digits of md5(name), exactly MISP's
 * `Tag::tagColor` (current MISP; older releases picked a random colour in `Tag::random_color`). Being derived
 * from the name, the same tag gets the same colour on every instance and every run — tags auto-created during
 * sync, feed imports or tests look identical everywhere, which random colours cannot give.
 */
export function defaultTagColour(name: string): string {
  return `#${createHash('md5').update(name, 'utf8').digest('hex').slice(0, 6)}`;
}

/** MISP's colour rule (`Tag::validateColour`). */
export function isValidTagColour(colour: string): boolean {
  return /^#[0-9a-f]{6}$/i.test(colour);
}
