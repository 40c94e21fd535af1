import { importKnowledgePack, type KnowledgePackKind as RowPackKind } from '../core/knowledge-packs/import-knowledge-pack.js';
import type { PackProgress, PackUpdateResult } from '../core/knowledge-pack-update.js';
import { loadNoticelistPack } from '../core/noticelists/load-noticelists.js';
import { noticelistUpdateMessage, updateNoticelists } from '../core/noticelists/noticelist-update.js';
import type { Storage } from '../core/ports/stores.js';
import { createSettingsService } from '../core/settings/settings-service.js';
import { loadTaxonomyPack } from '../core/taxonomies/load-taxonomies.js';
import { taxonomyUpdateMessage, updateTaxonomies } from '../core/taxonomies/taxonomy-update.js';
import { loadWarninglistPack } from '../core/warninglists/load-warninglists.js';
import { updateWarninglists, warninglistUpdateMessage } from '../core/warninglists/warninglist-update.js';
import { createStorage } from '../storage/create-storage.js';
import { storageOptions } from './storage-options.js';
import { loadConfig } from './config.js';

export type KnowledgePackKind = 'taxonomies' | 'warninglists' | 'noticelists' | 'objectTemplates' | 'decaying' | 'feeds' | 'galaxies';

/** In the order `all` imports them: taxonomies first, so galaxy and feed tags find their taxonomies. */
export const KNOWLEDGE_PACK_KINDS: readonly KnowledgePackKind[] = [
  'taxonomies', 'warninglists', 'noticelists', 'objectTemplates', 'galaxies', 'decaying', 'feeds',
];

/** Spellings accepted on the command line, compared without case, `-` or `_`. */
const ALIASES: Readonly<Record<string, KnowledgePackKind | 'all'>> = {
  all: 'all', taxonomies: 'taxonomies', warninglists: 'warninglists', noticelists: 'noticelists',
  objecttemplates: 'objectTemplates', templates: 'objectTemplates', objects: 'objectTemplates',
  decaying: 'decaying', decayingmodels: 'decaying', decayingmodel: 'decaying', feeds: 'feeds', defaultfeeds: 'feeds',
  galaxies: 'galaxies', galaxy: 'galaxies',
};

/** `object-templates` → `objectTemplates`; undefined for an unknown name. */
export function knowledgePackKind(name: string): KnowledgePackKind | 'all' | undefined {
  return ALIASES[name.toLowerCase().replace(/[-_]/g, '')];
}

export interface KnowledgePackReport {
  readonly kind: KnowledgePackKind;
  /** MISP's update message ("All taxonomy libraries are up to date already." …) or a summary of the counts. */
  readonly message: string;
  /** Items (taxonomies, templates, models, feeds, galaxy clusters …) added, upgraded, failed. */
  readonly created: number;
  readonly updated: number;
  readonly failed: number;
  /** Known and left as they were, where the importer counts them. */
  readonly unchanged?: number;
  /** Files or entries that were skipped, each naming the file. */
  readonly warnings: readonly string[];
  /** taxonomies, warninglists, noticelists: MISP's `update()` result. */
  readonly result?: PackUpdateResult;
  readonly ms: number;
}

interface Target {
  readonly storage: Storage;
  readonly dataPacks: string;
}

const ROW_KINDS: Readonly<Partial<Record<KnowledgePackKind, RowPackKind>>> = {
  objectTemplates: 'objectTemplates', decaying: 'decayingModels', feeds: 'feeds', galaxies: 'galaxies',
};

/** ObjectTemplatesController::update's flash message. */
function objectTemplateMessage(created: number, updated: number): string {
  return created + updated === 0 ? 'All object templates are up to date already.' : `Successfully updated ${created + updated} object templates.`;
}

const counts = (c: number, u: number, n: number | undefined) => `${c} added, ${u} updated${n === undefined ? '' : `, ${n} unchanged`}`;

async function importList(kind: 'taxonomies' | 'warninglists' | 'noticelists', t: Target, progress: PackProgress): Promise<Omit<KnowledgePackReport, 'ms'>> {
  const result = kind === 'taxonomies' ? await updateTaxonomies(t.storage, loadTaxonomyPack(t.dataPacks), progress)
    : kind === 'warninglists' ? await updateWarninglists(t.storage, loadWarninglistPack(t.dataPacks), progress)
      : await updateNoticelists(t.storage, loadNoticelistPack(t.dataPacks), progress);
  const message = kind === 'taxonomies' ? taxonomyUpdateMessage(result) : kind === 'warninglists' ? warninglistUpdateMessage(result) : noticelistUpdateMessage(result);
  const updated = result.success.filter((x) => x.old !== undefined).length;
  return {
    kind, message, result, created: result.success.length - updated, updated, failed: result.fails.length,
    warnings: result.fails.map((f) => `${f.name}: ${f.fail}`),
  };
}

async function importRows(kind: KnowledgePackKind, t: Target, progress: PackProgress, hostOrgId: number): Promise<Omit<KnowledgePackReport, 'ms'>> {
  let last = -1;
  const r = await importKnowledgePack(ROW_KINDS[kind]!, { ...t, hostOrgId }, ({ done, total, item }) => {
    // Galaxies report every file; print about one line in ten so the output stays readable.
    const step = Math.max(1, Math.ceil(total / 10));
    if (item !== undefined && (done - last >= step || done === 0)) {
      last = done;
      progress(`${kind}: ${done}/${total} ${item}`);
    }
  });
  const summary = counts(r.created, r.updated, kind === 'objectTemplates' ? undefined : r.unchanged);
  const message = kind === 'objectTemplates' ? `${objectTemplateMessage(r.created, r.updated)} (${summary})`
    : kind === 'decaying' ? `Default decaying models updated (${summary})`
      : kind === 'feeds' ? `Default feed metadata loaded (${summary})`
        : `Galaxies updated: ${summary} clusters${Object.entries(r.details).map(([k, v]) => `, ${k} ${v}`).join('')}`;
  return {
    kind, message, created: r.created, updated: r.updated, failed: 0, warnings: r.warnings,
    ...(kind === 'objectTemplates' ? {} : { unchanged: r.unchanged }),
  };
}

/**
 * `cairn update <kind>`: imports knowledge packs of the data packs into the database exactly as MISP's update
 * endpoints do (taxonomies|warninglists|noticelists/update, objectTemplates/update, galaxies/update,
 * decayingModel/update, feeds/loadDefaultFeeds): only new or newer items are written, so a second run changes
 * nothing, and a broken file is reported in `warnings` and skipped. Without `target` it opens the database named by
 * the environment (CAIRN_DATABASE_URL, CAIRN_DATA_PACKS) and closes it afterwards.
 *
 * A running server keeps its warninglist matcher until its next warninglist change; restart it (or call
 * warninglists/update through the API, which rebuilds it) after a CLI import of warninglists.
 *
 * @example
 *   const report = await importKnowledgePacks('all', (line) => console.log(line));
 *   for (const r of report) console.log(`${r.kind}: ${r.message} (${r.ms} ms)`);
 */
export async function importKnowledgePacks(
  kind: KnowledgePackKind | 'all' | string,
  progress: PackProgress = () => {},
  target?: Target,
): Promise<KnowledgePackReport[]> {
  const known = knowledgePackKind(kind);
  if (!known) throw new Error(`unknown knowledge pack "${kind}" (${KNOWLEDGE_PACK_KINDS.join(', ')} or all)`);
  const kinds = known === 'all' ? KNOWLEDGE_PACK_KINDS : [known];
  let storage = target?.storage;
  let dataPacks = target?.dataPacks;
  let close: (() => Promise<void>) | undefined;
  if (!storage || !dataPacks) {
    const config = loadConfig();
    dataPacks ??= config.dataPacks;
    if (!storage) {
      const opened = await createStorage(config.databaseUrl, storageOptions(config));
      storage = opened;
      close = () => opened.close();
    }
  }
  try {
    const settings = createSettingsService(storage.settings);
    await settings.reload();
    const hostOrgId = settings.current().num('MISP.host_org_id') || 1;
    const reports: KnowledgePackReport[] = [];
    for (const k of kinds) {
      const started = performance.now();
      progress(`${k}: reading ${dataPacks}`);
      const t = { storage, dataPacks };
      const r = k === 'taxonomies' || k === 'warninglists' || k === 'noticelists' ? await importList(k, t, progress) : await importRows(k, t, progress, hostOrgId);
      const ms = Math.round(performance.now() - started);
      for (const w of r.warnings) progress(`${k}: skipped ${w}`);
      progress(`${k}: ${r.message} (${ms} ms)`);
      reports.push({ ...r, ms });
    }
    return reports;
  } finally {
    await close?.();
  }
}
