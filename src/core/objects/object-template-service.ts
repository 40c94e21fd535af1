import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestContext } from '../context.js';
import { notFound } from '../errors.js';
import type { Organisation } from '../model/organisation.js';
import type { StoredObjectTemplate, StoredObjectTemplateElement } from '../ports/object-template-store.js';
import type { Storage, Stores } from '../ports/stores.js';
import { isUuid } from '../util/uuid.js';
import { importObjectTemplates } from './object-template-import.js';

/** objectTemplates/index, view, getRaw, activate (ObjectTemplatesController, spec §3.3). */

export interface TemplateRow {
  readonly template: StoredObjectTemplate;
  readonly org: Organisation | undefined;
}

/**
 * A fresh instance has no stored templates until objectTemplates/update runs; MISP fills the table on first use
 * (ObjectTemplate::populateIfEmpty), and so do the read endpoints here.
 */
async function populateIfEmpty(ctx: RequestContext, storage: Storage, dataPacks: string): Promise<void> {
  if ((await storage.objectTemplates.list({ active: true })).length > 0) return;
  if ((await storage.objectTemplates.latestVersions()).size > 0) return;
  await storage.transaction((tx) => importObjectTemplates(tx, dataPacks, { userId: ctx.actor.user.id, orgId: ctx.actor.org.id }));
}

async function withOrgs(stores: Stores, templates: readonly StoredObjectTemplate[]): Promise<TemplateRow[]> {
  const orgs = new Map((await stores.identity.findOrganisations([...new Set(templates.map((t) => t.orgId).filter((id) => id > 0))]))
    .map((o) => [o.id, o]));
  return templates.map((template) => ({ template, org: orgs.get(template.orgId) }));
}

/** objectTemplates/index[/all]: active templates; site admins may ask for every stored version with `all`. */
export async function indexTemplates(ctx: RequestContext, storage: Storage, dataPacks: string, q: { all?: boolean; searchall?: string }): Promise<TemplateRow[]> {
  await populateIfEmpty(ctx, storage, dataPacks);
  const all = q.all === true && ctx.actor.isSiteAdmin;
  const templates = await storage.objectTemplates.list({ ...(all ? {} : { active: true }), ...(q.searchall ? { search: q.searchall } : {}) });
  return withOrgs(storage, templates);
}

export interface TemplateView extends TemplateRow {
  readonly elements: readonly StoredObjectTemplateElement[];
}

/** objectTemplates/view/{id|uuid}: a uuid names its newest version. */
export async function viewTemplate(ctx: RequestContext, storage: Storage, dataPacks: string, raw: string | undefined): Promise<TemplateView> {
  await populateIfEmpty(ctx, storage, dataPacks);
  let template: StoredObjectTemplate | undefined;
  if (raw !== undefined && isUuid(raw)) {
    template = await storage.objectTemplates.find({ uuid: raw });
    if (!template) throw notFound('Invalid object template');
  } else if (raw !== undefined && /^\d+$/.test(raw)) {
    template = await storage.objectTemplates.find({ id: Number(raw) });
  } else {
    throw notFound('Invalid object template id.');
  }
  if (!template) throw notFound('Invalid object template');
  const [row] = await withOrgs(storage, [template]);
  return { ...row!, elements: (await storage.objectTemplates.elements([template.id])).get(template.id) ?? [] };
}

/**
 * objectTemplates/getRaw/{uuid|name}: the definition.json on disk, untouched (PyMISP feeds it to MISPObject as a
 * custom template). A name must be one of the template directories, so no path can escape the pack.
 */
export function rawTemplate(dataPacks: string, uuidOrName: string | undefined): unknown {
  const dir = join(dataPacks, 'objects', 'objects');
  let names: string[] = [];
  try {
    names = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  } catch {
    names = [];
  }
  const read = (name: string): unknown => {
    try {
      return JSON.parse(readFileSync(join(dir, name, 'definition.json'), 'utf8'));
    } catch {
      return undefined;
    }
  };
  if (uuidOrName !== undefined && isUuid(uuidOrName)) {
    for (const name of names) {
      const t = read(name) as { uuid?: unknown } | undefined;
      if (t && t.uuid === uuidOrName) return t;
    }
  } else if (uuidOrName !== undefined && names.includes(uuidOrName)) {
    const t = read(uuidOrName);
    if (t) return t;
  }
  throw notFound('Template not found');
}

/**
 * objectTemplates/activate with `{"ObjectTemplate": {"data": id}}`: toggles a template (ObjectTemplate::setActive);
 * activating one version deactivates the others of its uuid. Returns MISP's ajax-style reply.
 */
export async function toggleTemplate(stores: Stores, body: unknown): Promise<{ saved: boolean; success?: string; errors?: string }> {
  const b = body && typeof body === 'object' ? body as Record<string, unknown> : {};
  const inner = b.ObjectTemplate && typeof b.ObjectTemplate === 'object' ? b.ObjectTemplate as Record<string, unknown> : b;
  const raw = inner.data;
  const id = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : undefined;
  const template = id !== undefined ? await stores.objectTemplates.find({ id }) : undefined;
  if (id === undefined) return { saved: false, errors: 'Template not found.' };
  if (!template) return { saved: false, errors: "Template's state could not be toggeled." };
  if (template.active) await stores.objectTemplates.setActive(template.id, false);
  else await stores.objectTemplates.activateLatest([template.id]);
  return { saved: true, success: `Template ${template.active ? 'disabled' : 'activated'}.` };
}
