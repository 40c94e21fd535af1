import { type GalaxyMatrix, type MatrixCell, sortByScore } from '../galaxies/attack-matrix.js';
import type { EventDetail } from '../model/event.js';
import type { ExportContext, ExportSource } from './export-items.js';

/**
 * `attack` (spec §8.1, `AttackExport` rendered through `attack_view` / `view_galaxy_matrix`): an HTML ATT&CK matrix
 * of the events found. A cluster's score is the number of events carrying its tag on the event or on one of its
 * attributes (object attributes included, the export flattens); cells are coloured on MISP's blue-to-red gradient
 * (`ColourGradientTool`). The galaxy is `attackGalaxy` (default `mitre-attack-pattern`), loaded by the service into
 * `ExportContext.attackMatrix`. Only the counts are kept while the events stream by.
 */

type Rgb = readonly [number, number, number];

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#039;' };
const h = (v: unknown): string => String(v).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
const hex = (c: Rgb): string => `#${c.map((x) => Math.round(x).toString(16).padStart(2, '0')).join('')}`;

function hue2rgb(p: number, q: number, t: number): number {
  if (t < 0) t += 1;
  if (t > 1) t -= 1;
  if (t < 1 / 6) return p + (q - p) * 6 * t;
  if (t < 1 / 2) return q;
  if (t < 2 / 3) return p + (q - p) * (2 / 3 - t) * 6;
  return p;
}

function rgb2hsl([r8, g8, b8]: Rgb): [number, number, number] {
  const [r, g, b] = [r8 / 255, g8 / 255, b8 / 255];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  const hue = max === r ? (g - b) / d + (g < b ? 6 : 0) : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  return [hue / 6, s, l];
}

function hsl2rgb([hue, s, l]: readonly number[]): Rgb {
  if (s === 0) return [Math.round(l! * 255), Math.round(l! * 255), Math.round(l! * 255)];
  const q = l! < 0.5 ? l! * (1 + s!) : l! + s! - l! * s!;
  const p = 2 * l! - q;
  return [Math.round(hue2rgb(p, q, hue! + 1 / 3) * 255), Math.round(hue2rgb(p, q, hue!) * 255), Math.round(hue2rgb(p, q, hue! - 1 / 3) * 255)];
}

/** `ColourGradientTool::interpolateColors` in HSL from blue (#0000FF) to red (#FF0000), `steps` colours. */
export function gradient(steps: number): Rgb[] {
  const from = rgb2hsl([0, 0, 255]);
  const to = rgb2hsl([255, 0, 0]);
  const out: Rgb[] = [];
  for (let i = 0; i < steps; i++) {
    const f = steps === 1 ? 0 : i / (steps - 1);
    out.push(hsl2rgb(from.map((x, k) => x + f * (to[k]! - x))));
  }
  return out;
}

/** `TextColourHelper::getTextColour`. */
function textColour(colour: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
  return (2 * r! + b! + 3 * g!) / 6 < 127 ? 'white' : 'black';
}

/** The matrix tag names the event carries, each once (AttackExport::__aggregate over the event and its attributes). */
function clusterTags(d: EventDetail, byTag: ReadonlyMap<string, string>): Set<string> {
  const found = new Set<string>();
  const add = (name: string) => {
    const tag = byTag.get(name.toLowerCase());
    if (tag !== undefined) found.add(tag);
  };
  for (const l of d.tags) add(l.tag.name);
  for (const a of [...d.attributes, ...d.objects.flatMap((o) => o.attributes)]) for (const l of a.tags) add(l.tag.name);
  return found;
}

/** Counts clusters per event; undefined matrix (no such galaxy) renders an empty container, as MISP's view does. */
export async function* attackExport(source: ExportSource, ctx: ExportContext): AsyncGenerator<string> {
  const matrix = ctx.attackMatrix;
  const scores = new Map<string, number>();
  const byTag = new Map<string, string>();
  for (const columns of Object.values(matrix?.tabs ?? {})) {
    for (const cells of Object.values(columns)) for (const c of cells) byTag.set(c.tagName.toLowerCase(), c.tagName);
  }
  if (source.scope === 'events') {
    for await (const page of source.pages) {
      for (const d of page) for (const tag of clusterTags(d, byTag)) scores.set(tag, (scores.get(tag) ?? 0) + 1);
    }
  }
  yield renderMatrix(matrix, scores);
}

function cellHtml(cell: MatrixCell, matrix: GalaxyMatrix, scores: ReadonlyMap<string, number>, colours: ReadonlyMap<string, string>): string {
  // removeTrailling = 2 for ATT&CK: "Phishing - T1566" shows as "Phishing"
  const name = matrix.mitreAttack ? cell.value.split(' ').slice(0, -2).join(' ') : cell.value;
  const colour = colours.get(cell.tagName);
  const description = cell.description.length > 1000 ? `${cell.description.slice(0, 1000)}[...]` : cell.description;
  const title = h(cell.externalId) + (description ? `: &#10;${h(description)}` : '');
  const style = colour ? ` style="background: ${h(colour)}; color: ${textColour(colour)}"` : '';
  return `<td class="heatCell matrix-interaction "${style} data-score="${scores.get(cell.tagName) ?? 0}" data-tag_name="${h(cell.tagName)}"`
    + ` data-cluster-id="${cell.id}" title="${title}" tabindex="0" aria-label="${h(cell.externalId)}">${h(name)}</td>`;
}

/** The `attack_view` page: tab list, heat-map legend and one table per kill chain, rows filled column by column. */
export function renderMatrix(m: GalaxyMatrix | undefined, scores: ReadonlyMap<string, number>): string {
  const open = '<div>\n    <div id="attackmatrix_div" style="position: relative; border: solid 1px;" class="statistics_attack_matrix">\n';
  const close = '\n    </div>\n</div>\n';
  if (!m) return open + close;
  const matrix = sortByScore(m, scores);
  const maxScore = Math.max(0, ...scores.values());
  const steps = gradient(maxScore + 1);
  const colours = new Map([...scores].map(([tag, n]) => [tag, hex(steps[n]!)]));
  const tabNames = Object.keys(matrix.columnOrders);
  const active = matrix.mitreAttack && tabNames.includes('mitre-attack') ? 'mitre-attack' : tabNames[0];
  const scale = steps.map((c, i) => `${hex(c)}${i === 0 ? ' 3%' : ''}`).join(', ');
  const parts: string[] = [open];
  parts.push('<div class="attack-matrix-options" style="right: initial; background: transparent;">\n<ul id="attack-matrix-tabscontroller" class="nav nav-tabs" style="margin-bottom: 2px;">\n');
  for (const tab of tabNames) {
    parts.push(`<li class="tactic ${tab === active ? 'active' : ''}"><span href="#tabMatrix-${h(tab)}" data-toggle="tab" style="padding-top: 3px; padding-bottom: 3px;">${h(tab)}</span></li>\n`);
  }
  parts.push('</ul>\n</div>\n');
  parts.push(`<div class="attack-matrix-options">\n<span id="matrix-heatmap-legend-caret"><span id="matrix-heatmap-legend-caret-value">0</span><span class="fa fa-caret-down"></span></span>\n`
    + `<div><span>0</span><div id="matrix-heatmap-legend" style="background: linear-gradient(to right, white 0%, ${h(scale)});"></div>`
    + `<span id="matrix-heatmap-maxval">${maxScore}</span></div>\n</div>\n`);
  parts.push('<div id="matrix_container" class="fixed-table-container-inner" style="" data-picking-mode="false">\n<div class="tab-content">\n');
  for (const tab of tabNames) {
    const columns = matrix.columnOrders[tab] ?? [];
    const cells = matrix.tabs[tab] ?? {};
    parts.push(`<div class="tab-pane ${tab === active ? 'active' : ''}" id="tabMatrix-${h(tab)}">\n<div class="header-background"></div>\n`
      + '<div class="fixed-table-container-inner" style="overflow-y: auto; max-height: 670px;">\n<table class="table table-condensed matrix-table">\n'
      + '<thead style="background-color: #363636;">\n<tr>\n');
    for (const col of columns) {
      const label = h(col.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase()));
      parts.push(`<th>${label}<div class="th-inner" style="flex-direction: column; align-items: flex-start; padding-top: 3px; color: white;"><span>${label}</span></div></th>\n`);
    }
    parts.push('</tr>\n</thead>\n<tbody style="overflow-y: scroll;">\n');
    const rows = Math.max(0, ...columns.map((c) => cells[c]?.length ?? 0));
    for (let i = 0; i <= rows; i++) {
      parts.push(`<tr>${columns.map((c) => {
        const cell = cells[c]?.[i];
        return cell ? cellHtml(cell, matrix, scores, colours) : '<td style="border: none;"></td>';
      }).join('')}</tr>\n`);
    }
    parts.push('</tbody>\n</table>\n</div>\n</div>\n');
  }
  parts.push('</div>\n</div>');
  parts.push(close);
  return parts.join('');
}
