import "server-only";
import { parse, type PGlite, protocol } from "@electric-sql/pglite";
import type { Caller } from "@/lib/caller";
import { coarseNow } from "@/lib/clock";
import { databaseKind, getDatabase } from "@/lib/db/client";
import type { KeyKind, KeyRestriction, UserKind, UserStatus } from "@/lib/db/schema";
import { mayHoldKeys } from "@/lib/policy";
import { hashKey, parseKey } from "./format";
import { cacheTrusted, keyCache } from "./invalidation";
import { effectiveExpiry, isBeingReplaced, keyRefusal, type KeyTimes } from "./lifecycle";
import { processState } from "@/lib/process-state";
import { allows, intersect } from "@/lib/policy/permissions";

export type VerifyCode = "valid" | "malformed" | "unknown" | "expired" | "revoked" | "owner_disabled" | "forbidden";

export type KeyInfo = {
  id: string;
  name: string;
  kind: KeyKind;
  start: string;
  lastFour: string;
  /** When it stops working by itself: its grace period's end while it is being replaced, else its expiry. */
  expiresAt: Date | null;
  restricted: boolean;
  beingReplaced: boolean;
};
export type OwnerInfo = { id: string; username: string; name: string; email: string | null; kind: UserKind; isOrgAdmin: boolean; apiAccess: boolean };
export type ProjectAccess = { id: string; slug: string; name: string; role: string; permissions: string[] };

export type ValidResult = { valid: true; code: "valid"; key: KeyInfo; owner: OwnerInfo; projects: ProjectAccess[] };
export type VerifyResult =
  | ValidResult
  | { valid: false; code: Exclude<VerifyCode, "valid">; detail: string; key?: KeyInfo; owner?: OwnerInfo };

/** Where the request came from: verification's own input, so that a per-key network rule can live here. */
export type RequestContext = { ip: string; userAgent: string | null };

/**
 * What the question is about, beyond "is it valid": a project (id or slug), a
 * permission, and the projects the asker may ask about (`within`; a key
 * reaching none of them is `forbidden`, and only those are answered).
 */
export type Want = { project?: string; permission?: string; within?: ReadonlySet<string> };

/**
 * Everything needed to judge a key, as read from the database; cached by hash,
 * so every byte counts (README: memory per cached key). What the key's owner
 * and memberships look like is shared between entries with the same text
 * (`intern`): a thousand keys of one owner, or a thousand API accounts with
 * the same roles, hold one copy. The answers (`valid`) are made once, here.
 */
type Resolved = {
  key: KeyInfo;
  times: KeyTimes;
  owner: Owner;
  /** The projects the key reaches: the owner's, narrowed by the restriction. */
  projects: ProjectAccess[];
  /** For permission checks on a restricted key only (null for the rest). */
  limits: { memberships: Membership[]; restriction: KeyRestriction; roles: Record<string, { name: string; permissions: string[] }> } | null;
  valid: ValidResult;
};
type Owner = { info: OwnerInfo; status: UserStatus; mayHoldKeys: boolean };
type Membership = { projectId: string; slug: string; name: string; roleName: string; permissions: string[] };

// Times as epoch milliseconds: the two drivers (as drizzle configures them) disagree on timestamp parsing.
const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;

/**
 * The key, its owner, the owner's memberships and the restriction's roles in
 * one round trip: a cache miss is one prepared statement, never built per
 * request. The owner and the memberships come as JSON text, the form in
 * which entries share them.
 */
export const RESOLVE_SQL = `
select k.id, k.name, k.kind, k.start, k.last_four, ${ms("k.expires_at")} as expires_at,
       ${ms("k.revoked_at")} as revoked_at, k.replaced_by_id, ${ms("k.grace_expires_at")} as grace_expires_at, k.restriction,
       json_build_array(u.id, u.username, u.name, u.email, u.kind, u.status, u.is_org_admin, u.api_access)::text as owner,
       (select coalesce(json_agg(json_build_array(p.id, p.slug, p.name, r.name, r.permissions) order by p.name, p.id), '[]')::text
          from memberships m join projects p on p.id = m.project_id join roles r on r.id = m.role_id
         where m.user_id = k.owner_id) as memberships,
       case when k.restriction is not null then
         (select coalesce(json_object_agg(r.id, json_build_object('name', r.name, 'permissions', r.permissions)), '{}'::json)
            from roles r
           where r.id in (select (x ->> 'roleId')::uuid from jsonb_array_elements(k.restriction) x)) end as restriction_roles
  from api_keys k join users u on u.id = k.owner_id
 where k.hash = $1`;

type ResolveRow = {
  id: string; name: string; kind: KeyKind; start: string; last_four: string; expires_at: number | null;
  revoked_at: number | null; replaced_by_id: string | null; grace_expires_at: number | null; restriction: KeyRestriction | null;
  owner: string; memberships: string; restriction_roles: Record<string, { name: string; permissions: string[] }> | null;
};

const STATEMENT = "latchkey_resolve_key";
const preparedOn = new WeakSet<PGlite>();
const { serialize } = protocol;
const concat = (parts: Uint8Array[]) => Buffer.concat(parts);
const EXECUTE_TAIL = concat([serialize.describe({ type: "P" }), serialize.execute({}), serialize.sync()]);

/**
 * PGlite's `query()` parses and plans its text every time (about 5 ms for
 * this statement); here it is parsed once per database as a named statement,
 * and each lookup is a Bind/Execute on it. Taken under PGlite's transaction
 * lock as `query()` is, so that it never reads inside someone's open transaction.
 */
async function resolveOnPglite(pg: PGlite, hash: string): Promise<ResolveRow[]> {
  const run = pg._runExclusiveTransaction.bind(pg);
  return run(() =>
    pg._runExclusiveQuery(async () => {
      const parts = [serialize.bind({ statement: STATEMENT, values: [hash] }), EXECUTE_TAIL];
      if (!preparedOn.has(pg)) parts.unshift(serialize.parse({ name: STATEMENT, text: RESOLVE_SQL, types: [TEXT_OID] }));
      const { messages } = await pg.execProtocol(concat(parts), { syncToFs: false });
      preparedOn.add(pg);
      return parse.parseResults(messages, pg.parsers)[0]!.rows as ResolveRow[];
    }),
  );
}
const TEXT_OID = 25;

async function resolve(hash: string): Promise<Resolved | null> {
  const handle = await getDatabase();
  const rows = handle.sql
    ? ((await handle.sql.unsafe(RESOLVE_SQL, [hash], { prepare: true })) as unknown as ResolveRow[])
    : await resolveOnPglite(handle.pglite!, hash);
  return rows[0] ? fromRow(rows[0]) : null;
}

const date = (v: number | null) => (v === null ? null : new Date(v));

/**
 * Entries of one owner share its object, and entries with the same
 * memberships text share their projects. Bounded: clearing a table only stops
 * the sharing, never changes an answer (an owner is reused only while all its
 * fields are equal).
 */
type Interned = { owners: Map<string, Owner>; access: Map<string, { memberships: Membership[]; projects: ProjectAccess[] }> };
const INTERN_LIMIT = 20_000;
const interned = () => processState<Interned>("keys.interned", () => ({ owners: new Map(), access: new Map() }));

function bounded<T>(table: Map<string, T>, key: string, value: T): T {
  if (table.size >= INTERN_LIMIT) table.clear();
  table.set(key, value);
  return value;
}

const USER_KINDS: Record<UserKind, UserKind> = { human: "human", api_account: "api_account" };
const STATUSES: Record<UserStatus, UserStatus> = { active: "active", disabled: "disabled" };

function ownerOf(text: string): Owner {
  const [id, username, name, email, kind, status, isOrgAdmin, apiAccess] = JSON.parse(text) as [string, string, string, string | null, UserKind, UserStatus, boolean, boolean];
  const known = interned().owners.get(id);
  const k = known?.info;
  if (k && known.status === status && k.username === username && k.name === name && k.email === email && k.kind === kind && k.isOrgAdmin === isOrgAdmin && k.apiAccess === apiAccess) return known;
  const info: OwnerInfo = { id, username, name, email, kind: USER_KINDS[kind], isOrgAdmin, apiAccess };
  return bounded(interned().owners, id, { info, status: STATUSES[status], mayHoldKeys: mayHoldKeys({ ...info, status }) });
}

function accessOf(text: string) {
  const known = interned().access.get(text);
  if (known) return known;
  const memberships = (JSON.parse(text) as [string, string, string, string, string[]][]).map(
    ([projectId, slug, name, roleName, permissions]): Membership => ({ projectId, slug, name, roleName, permissions }),
  );
  const projects = memberships.map((m): ProjectAccess => ({ id: m.projectId, slug: m.slug, name: m.name, role: m.roleName, permissions: [...m.permissions].sort() }));
  return bounded(interned().access, text, { memberships, projects });
}

const KINDS: Record<KeyKind, KeyKind> = { pat: "pat", sa: "sa" };

function fromRow(row: ResolveRow): Resolved {
  const times: KeyTimes = { expiresAt: date(row.expires_at), revokedAt: date(row.revoked_at), replacedById: row.replaced_by_id, graceExpiresAt: date(row.grace_expires_at) };
  const key: KeyInfo = {
    id: row.id, name: row.name, kind: KINDS[row.kind], start: row.start, lastFour: row.last_four,
    expiresAt: effectiveExpiry(times), restricted: row.restriction !== null, beingReplaced: isBeingReplaced(times),
  };
  const owner = ownerOf(row.owner);
  const access = accessOf(row.memberships);
  const limits = row.restriction ? { memberships: access.memberships, restriction: row.restriction, roles: row.restriction_roles ?? {} } : null;
  const projects = limits ? restrictedProjects(limits) : access.projects;
  return { key, times, owner, projects, limits, valid: { valid: true, code: "valid", key, owner: owner.info, projects } };
}

/** The owner's projects, narrowed by the key's restriction: never more than the owner holds now. */
function restrictedProjects(l: NonNullable<Resolved["limits"]>): ProjectAccess[] {
  const out: ProjectAccess[] = [];
  for (const m of l.memberships) {
    const limit = l.restriction.find((x) => x.projectId === m.projectId);
    const limitRole = limit && l.roles[limit.roleId];
    if (!limitRole) continue;
    out.push({ id: m.projectId, slug: m.slug, name: m.name, role: limitRole.name, permissions: intersect(m.permissions, limitRole.permissions) });
  }
  return out;
}

/**
 * The one judgement of a key. Its own record (revoked, replaced, expired,
 * lib/keys/lifecycle), its owner (active, may hold keys, lib/policy), then
 * what was asked (a project, a permission). `ctx` is where a rule about the
 * request itself (an address allowlist) belongs.
 */
function judge(r: Resolved | null, now: number, _ctx: RequestContext, want: Want): VerifyResult {
  if (!r) return { valid: false, code: "unknown", detail: "No such key." };
  const { key } = r;
  const owner = r.owner.info;
  const refusal = keyRefusal(r.times, now);
  if (refusal) return { valid: false, ...refusal, key, owner };
  if (r.owner.status !== "active") return { valid: false, code: "owner_disabled", detail: "The key's owner is disabled.", key, owner };
  if (!r.owner.mayHoldKeys) return { valid: false, code: "forbidden", detail: "The key's owner no longer has API access.", key, owner };
  if (!want.project && !want.permission && !want.within) return r.valid;
  let scope = r.projects;
  if (want.within) {
    scope = scope.filter((p) => want.within!.has(p.id));
    if (!scope.length) return { valid: false, code: "forbidden", detail: "This key has no access to the projects you may verify keys for.", key, owner };
  }
  if (want.project) {
    scope = scope.filter((p) => p.id === want.project || p.slug === want.project);
    if (!scope.length) return { valid: false, code: "forbidden", detail: `This key has no access to project ${want.project}.`, key, owner };
  }
  if (want.permission && !scope.some((p) => grants(r, p.id, want.permission!))) {
    const where = want.project ? ` in ${want.project}` : want.within ? " in the projects you may verify keys for" : "";
    return { valid: false, code: "forbidden", detail: `This key lacks the permission ${want.permission}${where}.`, key, owner };
  }
  return want.within ? { ...r.valid, projects: scope } : r.valid;
}

/**
 * Both the owner's role and the key's limit must grant it. (Not the same as
 * the intersected list /me shows: `*:read` and `documents:*` both grant
 * `documents:read`, though neither pattern covers the other.)
 */
function grants(r: Resolved, projectId: string, permission: string): boolean {
  if (!r.limits) return allows(r.projects.find((p) => p.id === projectId)!.permissions, permission);
  const held = r.limits.memberships.find((m) => m.projectId === projectId)!.permissions;
  const limit = r.limits.restriction.find((x) => x.projectId === projectId);
  return allows(held, permission) && (!limit || allows(r.limits.roles[limit.roleId]?.permissions ?? [], permission));
}

const MALFORMED: VerifyResult = { valid: false, code: "malformed", detail: "This is not a Latchkey API key (wrong format or checksum)." };

/**
 * The one verification used by the REST API (and through it the CLI and other
 * services). Malformed keys and bad checksums are turned away before any
 * database work; a key is found by its SHA-256 alone. Answered synchronously
 * when the key's record is cached (nearly every request of a busy key), as a
 * Promise when it must be read first. A valid answer is shared by every
 * request made with the key while it is cached: treat it as read-only.
 */
export function verifyKeyEager(candidate: string, ctx: RequestContext, want: Want = {}): VerifyResult | Promise<VerifyResult> {
  if (!parseKey(candidate)) return MALFORMED;
  const hash = hashKey(candidate);
  const cache = keyCache<Resolved>();
  const kind = databaseKind();
  if (kind && cacheTrusted(kind)) {
    const cached = cache.get(hash, coarseNow());
    if (cached !== undefined) return judge(cached, Date.now(), ctx, want);
  }
  // Taken before the read: if anything is invalidated while it runs, its answer is used once and not kept.
  const ticket = cache.ticket();
  return resolve(hash).then((resolved) => {
    const now = coarseNow();
    if (resolved) cache.set(hash, resolved, { keyId: resolved.key.id, ownerId: resolved.owner.info.id }, ticket, now);
    else cache.setUnknown(hash, ticket, now);
    return judge(resolved, Date.now(), ctx, want);
  });
}

export async function verifyKey(candidate: string, ctx: RequestContext, want: Want = {}): Promise<VerifyResult> {
  return verifyKeyEager(candidate, ctx, want);
}

/** The Caller of a request made with a valid key. */
export function callerOf(v: ValidResult, ctx: RequestContext): Caller {
  const { owner, key } = v;
  return {
    id: owner.id, kind: owner.kind, username: owner.username, email: owner.email, name: owner.name,
    isOrgAdmin: owner.isOrgAdmin, apiAccess: owner.apiAccess, status: "active",
    key: { id: key.id, restricted: key.restricted, beingReplaced: key.beingReplaced, expiresAt: key.expiresAt },
    ip: ctx.ip, userAgent: ctx.userAgent,
  };
}
