import { type Kysely, type Selectable, sql } from 'kysely';
import type { TaxonomyStore } from '../../core/ports/taxonomy-store.js';
import { foldCase } from '../../core/util/fold-case.js';
import type {
  Taxonomy, TaxonomyEntryDef, TaxonomyExclusivity, TaxonomyFull, TaxonomyPredicateDef, TaxonomyVocab,
} from '../../core/taxonomies/taxonomy-model.js';
import type { Database } from '../db-schema.js';
import type { TaxonomiesTable, TaxonomyEntriesTable, TaxonomyPredicatesTable } from '../db-schema-knowledge.js';
import type { Dialect } from '../dialect.js';
import { flag, isSet, rowChunks } from './knowledge-batches.js';

function toTaxonomy(r: Selectable<TaxonomiesTable>): Taxonomy {
  return {
    id: r.id, namespace: r.namespace, description: r.description, version: Number(r.version), enabled: isSet(r.enabled),
    exclusive: isSet(r.exclusive), required: isSet(r.required), highlighted: isSet(r.highlighted),
  };
}

const num = (v: number | null): number | null => (v === null ? null : Number(v));

function toEntry(r: Selectable<TaxonomyEntriesTable> | Selectable<TaxonomyPredicatesTable>): TaxonomyEntryDef {
  return { value: r.value, expanded: r.expanded ?? r.value, colour: r.colour, description: r.description, numericalValue: num(r.numerical_value) };
}

/** Kysely store of taxonomies (spec §1.2). Children are written in chunked multi-row inserts. */
export function createTaxonomyStore(db: Kysely<Database>, dialect: Dialect): TaxonomyStore {
  async function insertChildren(taxonomyId: number, vocab: TaxonomyVocab): Promise<void> {
    const predicateIds = new Map<string, number>();
    const predicateRows = vocab.predicates.map((p) => ({
      taxonomy_id: taxonomyId, value: p.value, expanded: p.expanded, colour: p.colour, description: p.description,
      exclusive: flag(p.exclusive), numerical_value: p.numericalValue,
    }));
    for (const part of rowChunks(predicateRows, 7, dialect.maxParams)) {
      // Predicate values are unique per vocabulary (the parser merges duplicates), so rows map back by value.
      const ids = await db.insertInto('taxonomy_predicates').values(part).returning(['id', 'value']).execute();
      for (const r of ids) predicateIds.set(r.value, r.id);
    }
    const entryRows = vocab.predicates.flatMap((p) => p.entries.map((e) => ({
      taxonomy_predicate_id: predicateIds.get(p.value) as number, value: e.value, expanded: e.expanded, colour: e.colour,
      description: e.description, numerical_value: e.numericalValue,
    })));
    for (const part of rowChunks(entryRows, 6, dialect.maxParams)) await db.insertInto('taxonomy_entries').values(part).execute();
  }

  async function deleteChildren(taxonomyId: number): Promise<void> {
    await db.deleteFrom('taxonomy_entries')
      .where('taxonomy_predicate_id', 'in', db.selectFrom('taxonomy_predicates').select('id').where('taxonomy_id', '=', taxonomyId))
      .execute();
    await db.deleteFrom('taxonomy_predicates').where('taxonomy_id', '=', taxonomyId).execute();
  }

  return {
    async list(filter = {}) {
      let q = db.selectFrom('taxonomies').selectAll().orderBy('id');
      if (filter.ids) q = filter.ids.length ? q.where('id', 'in', [...filter.ids]) : q.where(sql<boolean>`1 = 0`);
      if (filter.enabled !== undefined) q = q.where('enabled', '=', flag(filter.enabled));
      return (await q.execute()).map(toTaxonomy);
    },

    async find(ref) {
      const q = db.selectFrom('taxonomies').selectAll();
      const r = 'id' in ref
        ? await q.where('id', '=', ref.id).executeTakeFirst()
        : await q.where(dialect.lower(sql.ref('namespace')), '=', foldCase(ref.namespace.trim())).orderBy('id').executeTakeFirst();
      return r && toTaxonomy(r);
    },

    async loadFull(ids) {
      if (ids.length === 0) return [];
      const list = [...ids];
      const taxonomies = await db.selectFrom('taxonomies').selectAll().where('id', 'in', list).orderBy('id').execute();
      const predicates = await db.selectFrom('taxonomy_predicates').selectAll().where('taxonomy_id', 'in', list).orderBy('id').execute();
      const entries = await db.selectFrom('taxonomy_entries as e')
        .innerJoin('taxonomy_predicates as p', 'p.id', 'e.taxonomy_predicate_id')
        .selectAll('e').where('p.taxonomy_id', 'in', list).orderBy('e.id').execute();
      const entriesOf = new Map<number, TaxonomyEntryDef[]>();
      for (const e of entries) {
        const bucket = entriesOf.get(e.taxonomy_predicate_id);
        if (bucket) bucket.push(toEntry(e));
        else entriesOf.set(e.taxonomy_predicate_id, [toEntry(e)]);
      }
      const predicatesOf = new Map<number, TaxonomyPredicateDef[]>();
      for (const p of predicates) {
        const def: TaxonomyPredicateDef = { ...toEntry(p), exclusive: isSet(p.exclusive), entries: entriesOf.get(p.id) ?? [] };
        const bucket = predicatesOf.get(p.taxonomy_id);
        if (bucket) bucket.push(def);
        else predicatesOf.set(p.taxonomy_id, [def]);
      }
      return taxonomies.map((t): TaxonomyFull => ({ ...toTaxonomy(t), predicates: predicatesOf.get(t.id) ?? [] }));
    },

    async search(term) {
      const pattern = `%${foldCase(term.trim())}%`;
      const like = (col: string) => sql<boolean>`${dialect.lower(sql.ref(col))} like ${pattern}`;
      const rows = await db.selectFrom('taxonomies as t').select('t.id').distinct()
        .leftJoin('taxonomy_predicates as p', 'p.taxonomy_id', 't.id')
        .leftJoin('taxonomy_entries as e', 'e.taxonomy_predicate_id', 'p.id')
        .where((eb) => eb.or([like('t.namespace'), like('t.description'), like('p.value'), like('p.expanded'), like('e.value'), like('e.expanded')]))
        .orderBy('t.id').execute();
      return rows.map((r) => r.id);
    },

    async insert(vocab) {
      const { id } = await db.insertInto('taxonomies').values({
        namespace: vocab.namespace, description: vocab.description, version: vocab.version, enabled: 0,
        exclusive: flag(vocab.exclusive), required: 0, highlighted: flag(vocab.highlighted),
      }).returning('id').executeTakeFirstOrThrow();
      await insertChildren(id, vocab);
      return id;
    },

    async replace(id, vocab) {
      await db.updateTable('taxonomies').set({
        namespace: vocab.namespace, description: vocab.description, version: vocab.version,
        exclusive: flag(vocab.exclusive), highlighted: flag(vocab.highlighted),
      }).where('id', '=', id).execute();
      await deleteChildren(id);
      await insertChildren(id, vocab);
    },

    async setFlags(id, flags) {
      const set: { enabled?: number; required?: number; highlighted?: number } = {};
      if (flags.enabled !== undefined) set.enabled = flag(flags.enabled);
      if (flags.required !== undefined) set.required = flag(flags.required);
      if (flags.highlighted !== undefined) set.highlighted = flag(flags.highlighted);
      if (Object.keys(set).length) await db.updateTable('taxonomies').set(set).where('id', '=', id).execute();
    },

    async exclusivity(namespaces) {
      const lowered = [...new Set(namespaces.map(foldCase))];
      if (lowered.length === 0) return [];
      const rows = await db.selectFrom('taxonomies').select(['id', 'namespace', 'exclusive'])
        .where(dialect.lower(sql.ref('namespace')), 'in', lowered).execute();
      if (rows.length === 0) return [];
      const preds = await db.selectFrom('taxonomy_predicates').select(['taxonomy_id', 'value'])
        .where('taxonomy_id', 'in', rows.map((r) => r.id)).where('exclusive', '=', 1).execute();
      return rows.map((r): TaxonomyExclusivity => ({
        namespace: r.namespace, exclusive: isSet(r.exclusive),
        exclusivePredicates: preds.filter((p) => p.taxonomy_id === r.id).map((p) => p.value),
      }));
    },
  };
}
