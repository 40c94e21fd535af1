/**
 * MISP's ColourPaletteTool::generatePaletteFromString: the colours taxonomy tags get when the pack gives none.
 * One hue per namespace (sum of its character codes), brightness stepping from dark to light across the
 * entries, so tags of one taxonomy look alike and are identical on every MISP-compatible instance.
 */

function hsvToHex(h: number, s: number, v: number): string {
  const scaled = h * 6;
  const i = Math.floor(scaled);
  const f = scaled - i;
  const m = v * (1 - s);
  const n = v * (1 - s * f);
  const k = v * (1 - s * (1 - f));
  const table: Record<number, [number, number, number]> = {
    0: [v, k, m], 1: [n, v, m], 2: [m, v, k], 3: [m, n, v], 4: [k, m, v], 5: [v, m, n], 6: [v, m, n],
  };
  const rgb = table[i] ?? [0, 0, 0];
  // PHP round() rounds half away from zero; channels are never negative, so Math.round agrees
  return `#${rgb.map((c) => Math.round(c * 255).toString(16).padStart(2, '0')).join('')}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function hueOf(text: string): number {
  if (UUID.test(text)) {
    const part = parseInt(text.split('-')[4]!, 16);
    return Math.round((part / 0xffffffffffff) * 100) / 100;
  }
  let sum = 0;
  // mb_convert_encoding($s, 'ASCII') turns every non-ASCII character into '?'
  for (const ch of text) sum += ch.charCodeAt(0) < 128 ? ch.charCodeAt(0) : 63;
  return (sum % 100) / 100;
}

export function paletteFromString(text: string, items: number): string[] {
  const hue = hueOf(text);
  const steps = 80 / items;
  const out: string[] = [];
  for (let i = 0; i < items; i++) out.push(hsvToHex(hue, 1, (20 + steps * (i + 1)) / 100));
  return out;
}
