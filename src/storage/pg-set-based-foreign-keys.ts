import { type RawBuilder, sql } from 'kysely';

/**
 * PostgreSQL foreign keys checked once per statement instead of once per row (docs/adr/0011).
 *
 * PostgreSQL checks a foreign key with a trigger per inserted row, which runs `select 1 from parent where id = $1
 * for key share` through SPI: ~13 µs a row, 45 % of a 10,000-attribute insert and three times that for a tag link,
 * which has three keys (1M ingest, 2-core bench machine). Here each key is enforced by triggers instead:
 * - after an insert, one statement-level trigger (transition table `new_rows`) locks the statement's distinct keys in
 *   the parent `for key share`, as PostgreSQL's own check does, and fails the statement with `foreign_key_violation`
 *   (23503) when a parent is missing. The lock keeps a concurrent delete of the parent from committing before this
 *   transaction does; that delete then cascades to the rows written here.
 * - an update that changes the key (none of Cairn's does) is checked row by row, and only then (`update of`, `when`):
 *   a statement-level check would copy every updated row into a transition table.
 * - after a delete from the parent, one statement-level trigger deletes its children (`on delete cascade`, which is
 *   what every one of these keys was). The children's own triggers fire in turn: a deleted event's attributes take
 *   their tag links with them.
 * Parent ids are never updated (they are identities), so an update of a parent's id is not checked.
 */

/** A child column that references `parent.id` and is deleted with it. */
export interface CascadingKey {
  readonly table: string;
  readonly column: string;
  readonly parent: string;
}

/** The name PostgreSQL gave the key's constraint (migration 0001), which the triggers replace. */
const constraintName = (k: CascadingKey): string => `${k.table}_${k.column}_fkey`;

const id = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const lit = (text: string): string => `'${text.replace(/'/g, "''")}'`;

const violation = (k: CascadingKey): string =>
  lit(`insert or update on table "${k.table}" violates foreign key constraint "${constraintName(k)}"`);
const missing = (k: CascadingKey): string => lit(`A key in ${k.table}.${k.column} is not present in table "${k.parent}".`);

/** The insert trigger's function: the statement's distinct keys, locked in the parent; any missing fails it. */
function insertCheck(k: CascadingKey): string {
  return `create or replace function ${id(`${constraintName(k)}_inserted`)}() returns trigger language plpgsql as $body$
declare
  wanted integer[] := array(select distinct ${id(k.column)} from new_rows);
  present integer;
begin
  if cardinality(wanted) = 0 then return null; end if;
  select count(*) into present from (select 1 from ${id(k.parent)} p where p.id = any(wanted) for key share of p) locked;
  if present < cardinality(wanted) then
    raise foreign_key_violation using message = ${violation(k)}, detail = ${missing(k)};
  end if;
  return null;
end
$body$`;
}

/** Statements that replace each key's constraint with statement-level triggers (idempotent). */
export function pgSetBasedForeignKeys(keys: readonly CascadingKey[]): RawBuilder<unknown>[] {
  const out: string[] = [];
  for (const k of keys) {
    const c = constraintName(k);
    const col = id(k.column);
    out.push(`alter table ${id(k.table)} drop constraint if exists ${id(c)}`);
    out.push(insertCheck(k));
    out.push(`drop trigger if exists ${id(`${c}_inserted`)} on ${id(k.table)}`);
    out.push(`create trigger ${id(`${c}_inserted`)} after insert on ${id(k.table)} referencing new table as new_rows
      for each statement execute function ${id(`${c}_inserted`)}()`);
    // an update that changes the key (none of Cairn's does): checked row by row, and only then (`of`, `when`)
    out.push(`create or replace function ${id(`${c}_updated`)}() returns trigger language plpgsql as $body$
begin
  perform 1 from ${id(k.parent)} p where p.id = new.${col} for key share of p;
  if not found then
    raise foreign_key_violation using message = ${violation(k)}, detail = ${missing(k)};
  end if;
  return null;
end
$body$`);
    out.push(`drop trigger if exists ${id(`${c}_updated`)} on ${id(k.table)}`);
    out.push(`create trigger ${id(`${c}_updated`)} after update of ${col} on ${id(k.table)}
      for each row when (old.${col} is distinct from new.${col}) execute function ${id(`${c}_updated`)}()`);
  }
  for (const parent of new Set(keys.map((k) => k.parent))) {
    const name = `${parent}_cascade_deleted`;
    const deletes = keys.filter((k) => k.parent === parent)
      .map((k) => `  delete from ${id(k.table)} where ${id(k.column)} = any(gone);`).join('\n');
    out.push(`create or replace function ${id(name)}() returns trigger language plpgsql as $body$
declare
  gone integer[] := array(select id from old_rows);
begin
${deletes}
  return null;
end
$body$`);
    out.push(`drop trigger if exists ${id(name)} on ${id(parent)}`);
    out.push(`create trigger ${id(name)} after delete on ${id(parent)} referencing old table as old_rows
      for each statement execute function ${id(name)}()`);
  }
  return out.map((s) => sql.raw(s));
}
