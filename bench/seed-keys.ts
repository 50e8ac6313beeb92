/**
 * Many real keys, fast, for the benchmarks: the plaintexts are made here with
 * lib/keys/format (so the bench's client can present them) and only their
 * hashes go to the database, in one `insert … select from unnest(…)` per
 * chunk. No lib/ function inserts keys in bulk, on purpose: a real key is made
 * through lib/keys (audit event, invalidation); this is a fixture.
 */
import { displayParts, generateKey, hashKey } from "@/lib/keys/format";

/** One statement with positional parameters, answering its rows (see `execOf`). */
export type Exec = (text: string, params: unknown[]) => Promise<Record<string, unknown>[]>;

/** PGlite's `query` or postgres.js's `unsafe`, as an Exec. */
export function execOf(db: { sql?: { unsafe: (text: string, params: never[]) => PromiseLike<unknown> }; pglite?: { query: (text: string, params: unknown[]) => Promise<{ rows: unknown[] }> } }): Exec {
  if (db.sql) return async (text, params) => (await db.sql!.unsafe(text, params as never[])) as Record<string, unknown>[];
  return async (text, params) => (await db.pglite!.query(text, params)).rows as Record<string, unknown>[];
}

const ids = (rows: Record<string, unknown>[]) => rows.map((r) => r.id as string);

export type SeededKeys = { secrets: string[]; ownerIds: string[] };

const CHUNK = 20_000;

/**
 * `n` personal keys: all of `ownerId`'s when it is given, else each of a new
 * owner of its own (an API account with two project memberships, the worst
 * case for the cache: nothing to share between entries).
 */
export async function seedKeys(exec: Exec, n: number, ownerId?: string): Promise<SeededKeys> {
  const secrets: string[] = [];
  const ownerIds: string[] = [];
  let projects: string[] = [];
  let roles: string[] = [];
  if (!ownerId) {
    projects = await ensureProjects(exec);
    roles = await roleIds(exec);
  }
  for (let from = 0; from < n; from += CHUNK) {
    const count = Math.min(CHUNK, n - from);
    const batch = Array.from({ length: count }, () => generateKey(ownerId ? "pat" : "sa"));
    const owners = ownerId ? batch.map(() => ownerId) : await insertOwners(exec, count, projects, roles);
    await exec(
      `insert into api_keys (owner_id, kind, name, hash, start, last_four, expires_in_days, expires_at)
       select t.owner_id, $5, 'bench ' || left(t.hash, 16), t.hash, t.start, t.last_four, 90, now() + interval '90 days'
         from unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) as t(owner_id, hash, start, last_four)`,
      [owners, batch.map(hashKey), batch.map((k) => displayParts(k).start), batch.map((k) => displayParts(k).lastFour), ownerId ? "pat" : "sa"],
    );
    secrets.push(...batch);
    ownerIds.push(...owners);
  }
  return { secrets, ownerIds };
}

async function ensureProjects(exec: Exec): Promise<string[]> {
  return ids(
    await exec(
      `insert into projects (name, slug) values ('Bench Billing', 'bench-billing'), ('Bench Docs', 'bench-docs')
       on conflict (slug) do update set name = excluded.name returning id`,
      [],
    ),
  );
}

async function roleIds(exec: Exec): Promise<string[]> {
  return ids(await exec(`select id from roles where name in ('Editor', 'Viewer') order by name`, []));
}

async function insertOwners(exec: Exec, count: number, projects: string[], roles: string[]): Promise<string[]> {
  return ids(
    await exec(
    `with made as (
       insert into users (kind, username, name, api_access)
       select 'api_account', 'bench-' || x, 'Bench account ' || x, true
         from (select substr(md5(random()::text || clock_timestamp()::text || g), 1, 20) as x from generate_series(1, $1::int) g) s
       returning id)
     , m as (
       insert into memberships (user_id, project_id, role_id)
       select made.id, p.project_id, p.role_id from made cross join unnest($2::uuid[], $3::uuid[]) as p(project_id, role_id)
       returning user_id)
     select id from made`,
      [count, projects, roles],
    ),
  );
}
