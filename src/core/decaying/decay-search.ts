import type { RequestContext } from '../context.js';
import { notFound } from '../errors.js';
import type { AttributeItem, ExportSource } from '../export/export-items.js';
import type { AttributeDetail, EventDetail, MispEvent, TagLink } from '../model/event.js';
import type { Stores } from '../ports/stores.js';
import { sightingAccess } from '../sightings/sighting-policy.js';
import type { DecayRequest } from './decay-request.js';
import { type DecayTag, decayScore } from './decay-score.js';
import type { AttributeDecayScore, DecayingModel } from './decaying-model.js';

/**
 * Decay scores on restSearch results (spec §3.14; MispAttribute::fetchAttributes with `includeDecayScore`,
 * DecayingModel::attachScoresToAttribute). A decorator over the exporter's result pages: each attribute gets one
 * `decay_score` entry per applicable model, and with `excludeDecayed` an attribute is dropped when every entry says
 * decayed. The rows themselves (selection, paging, X-Result-Count) are untouched, as in MISP, which filters after
 * fetching a page.
 *
 * Applicable models: those named by `decayingModel` (any type, enabled or not) or else the enabled models associated
 * with the attribute's type: a default model's own `attribute_types`, plus any model's type mappings. In both cases
 * only models the reader may see (own organisation's, shared with all, or any for site admins).
 *
 * The score restarts at the last type-0 sighting the reader may see (Sighting::getLastSightingForAttribute), else at
 * `last_seen`, else at the attribute's timestamp (decay-score.ts).
 */

/** Formulas Cairn computes (DecayingModelsFormulas/Polynomial.php); '' means the default, Polynomial. */
const FORMULAS = new Set(['', 'polynomial']);
const SIGHTING_PAGE = 5000;

interface Row {
  readonly attribute: AttributeDetail;
  readonly event: MispEvent;
  readonly eventTags: readonly TagLink[];
}

const visible = (ctx: RequestContext, m: DecayingModel): boolean =>
  ctx.actor.isSiteAdmin || m.orgId === ctx.actor.org.id || m.allOrgs;

const computable = (m: DecayingModel): boolean => FORMULAS.has(m.formula.toLowerCase());

/** DecayingModel::overrideModelParameters. */
function override(m: DecayingModel, req: DecayRequest): DecayingModel {
  return Object.keys(req.overrides).length ? { ...m, parameters: { ...m.parameters, ...req.overrides } } : m;
}

/** Which models score an attribute of a given type. */
async function modelSelector(ctx: RequestContext, stores: Stores, req: DecayRequest): Promise<(type: string) => readonly DecayingModel[]> {
  if (req.modelIds) {
    const found = await Promise.all([...new Set(req.modelIds)].map((id) => stores.decayingModels.find(id)));
    const models = found.filter((m): m is DecayingModel => m !== undefined && visible(ctx, m));
    const unusable = models.find((m) => !computable(m));
    if (unusable) throw notFound(`The class for \`${unusable.formula}\` was not found or not loaded correctly`);
    const scored = models.map((m) => override(m, req));
    return () => scored;
  }
  const enabled = (await stores.decayingModels.list({ enabled: true, ...(ctx.actor.isSiteAdmin ? {} : { visibleToOrg: ctx.actor.org.id }) }))
    .filter(computable);
  const mappings = await stores.decayingModels.mappings(enabled.map((m) => m.id));
  const byType = new Map<string, DecayingModel[]>();
  for (const m of enabled) {
    const types = new Set([...(m.isDefault ? m.attributeTypes : []), ...(mappings.get(m.id) ?? []).map((x) => x.attributeType)]);
    const scored = override(m, req);
    for (const t of types) byType.set(t, [...(byType.get(t) ?? []), scored]);
  }
  return (type) => byType.get(type) ?? [];
}

/** The last type-0 sighting the reader may see, per attribute id (Unix seconds). */
async function lastSightings(ctx: RequestContext, stores: Stores, rows: readonly Row[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  if (rows.length === 0) return out;
  const events = new Map(rows.map((r) => [r.attribute.id, r.event]));
  const access = sightingAccess(ctx, stores);
  const attributeIds = [...events.keys()];
  for (let after = 0; ;) {
    const page = await stores.sightings.search({ attributeIds, types: [0] }, after, SIGHTING_PAGE);
    for (const s of page) {
      const event = events.get(s.attributeId);
      if (!event || !(await access.allows(event, s))) continue;
      if (s.dateSighting > (out.get(s.attributeId) ?? -Infinity)) out.set(s.attributeId, s.dateSighting);
    }
    if (page.length < SIGHTING_PAGE) return out;
    after = page[page.length - 1]!.id;
  }
}

const decayTags = (links: readonly TagLink[]): DecayTag[] => links.map((l) => ({ name: l.tag.name, numericalValue: l.tag.numericalValue }));

export interface DecayScorer {
  /**
   * The rows' attributes with `decayScores` set where a model applies, in order; `undefined` in place of an attribute
   * that `excludeDecayed` drops.
   */
  score(rows: readonly Row[]): Promise<(AttributeDetail | undefined)[]>;
}

/** Loads the models once per request; scoring then costs one sighting query per page. */
export async function createDecayScorer(ctx: RequestContext, stores: Stores, req: DecayRequest): Promise<DecayScorer> {
  const modelsOf = await modelSelector(ctx, stores, req);
  return {
    async score(rows) {
      const scored = rows.filter((r) => modelsOf(r.attribute.type).length > 0);
      const sightings = await lastSightings(ctx, stores, scored);
      return rows.map(({ attribute, eventTags }) => {
        const models = modelsOf(attribute.type);
        if (models.length === 0) return attribute;
        const last = sightings.get(attribute.id);
        const input = { timestamp: attribute.timestamp, lastSeen: attribute.lastSeen, eventTags: decayTags(eventTags), attributeTags: decayTags(attribute.tags) };
        const decayScores: AttributeDecayScore[] = models.map((model) => {
          const s = decayScore(model, input, last === undefined ? [] : [{ dateSighting: last, type: 0 }], ctx.now);
          return { model, score: s.score, baseScore: s.baseScore, decayed: s.decayed, fullModel: req.includeFullModel };
        });
        if (req.excludeDecayed && decayScores.every((d) => d.decayed)) return undefined;
        return { ...attribute, decayScores };
      });
    },
  };
}

async function* attributePages(pages: AsyncIterable<readonly AttributeItem[]>, scorer: DecayScorer): AsyncGenerator<readonly AttributeItem[]> {
  for await (const page of pages) {
    const attributes = await scorer.score(page);
    const out: AttributeItem[] = [];
    page.forEach((item, k) => {
      const attribute = attributes[k];
      if (attribute) out.push(attribute === item.attribute ? item : { ...item, attribute });
    });
    yield out;
  }
}

/** Event scope (Event::fetchEvent `includeDecayScore`): every attribute of the events, their objects' included. */
async function scoreEvents(page: readonly EventDetail[], scorer: DecayScorer): Promise<EventDetail[]> {
  const rows = page.flatMap((d) => [...d.attributes, ...d.objects.flatMap((o) => o.attributes)]
    .map((attribute) => ({ attribute, event: d.event, eventTags: d.tags })));
  const scored = new Map<number, AttributeDetail>();
  (await scorer.score(rows)).forEach((a, k) => {
    if (a) scored.set(rows[k]!.attribute.id, a);
  });
  const keep = (list: readonly AttributeDetail[]) => list.filter((a) => scored.has(a.id)).map((a) => scored.get(a.id)!);
  return page.map((d) => ({ ...d, attributes: keep(d.attributes), objects: d.objects.map((o) => ({ ...o, attributes: keep(o.attributes) })) }));
}

async function* eventPages(pages: AsyncIterable<readonly EventDetail[]>, scorer: DecayScorer): AsyncGenerator<readonly EventDetail[]> {
  for await (const page of pages) yield scoreEvents(page, scorer);
}

/** events/view `includeDecayScore`: the event with decay scores on its attributes (enabled models by type). */
export async function withEventDecayScores(ctx: RequestContext, stores: Stores, detail: EventDetail): Promise<EventDetail> {
  const scorer = await createDecayScorer(ctx, stores, { overrides: {}, excludeDecayed: false, includeFullModel: false });
  return (await scoreEvents([detail], scorer))[0]!;
}

/**
 * Wraps a restSearch result source so its attributes carry decay scores. Must be awaited before the response starts
 * (it reads the models, and an unusable `decayingModel` is a 404 then, not a broken stream). Objects pass through.
 */
export async function withDecayScores(ctx: RequestContext, stores: Stores, source: ExportSource, req: DecayRequest): Promise<ExportSource> {
  if (source.scope === 'objects') return source;
  const scorer = await createDecayScorer(ctx, stores, req);
  return source.scope === 'attributes'
    ? { scope: 'attributes', pages: attributePages(source.pages, scorer) }
    : { scope: 'events', pages: eventPages(source.pages, scorer) };
}
