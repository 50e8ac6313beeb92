import "server-only";
import type { Caller } from "@/lib/caller";
import { coarseNow } from "@/lib/clock";
import { databaseKind, getDatabase } from "@/lib/db/client";
import type { KeyKind, KeyRestriction, UserKind, UserStatus } from "@/lib/db/schema";
import { mayHoldKeys } from "@/lib/policy";
import { hashKey, parseKey } from "./format";
import { cacheTrusted, keyCache } from "./invalidation";
import { effectiveExpiry, isBeingReplaced, keyRefusal } from "./lifecycle";
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

/** Everything needed to judge a key, as read from the database; cached by hash. */
type Resolved = {
  key: { id: string; name: string; kind: KeyKind; start: string; lastFour: string; expiresAt: Date | null; revokedAt: Date | null; replacedById: string | null; graceExpiresAt: Date | null; restriction: KeyRestriction | null };
  owner: OwnerInfo & { status: UserStatus };
  memberships: { projectId: string; slug: string; name: string; roleName: string; permissions: string[] }[];
  restrictionRoles: Record<string, { name: string; permissions: string[] }>;
};

// Times as epoch milliseconds: the two drivers (as drizzle configures them) disagree on timestamp parsing.
const ms = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;

/**
 * The key, its owner, the owner's memberships and the restriction's roles in
 * one round trip: a cache miss is one prepared statement, never built per request.
 */
const RESOLVE_SQL = `
select k.id, k.name, k.kind, k.start, k.last_four, ${ms("k.expires_at")} as expires_at, k.owner_id,
       ${ms("k.revoked_at")} as revoked_at, k.replaced_by_id, ${ms("k.grace_expires_at")} as grace_expires_at, k.restriction,
       u.username, u.name as owner_name, u.email, u.kind as owner_kind, u.status, u.is_org_admin, u.api_access,
       (select coalesce(json_agg(json_build_object('projectId', p.id, 'slug', p.slug, 'name', p.name, 'roleName', r.name,
                                                   'permissions', r.permissions) order by p.name, p.id), '[]'::json)
          from memberships m join projects p on p.id = m.project_id join roles r on r.id = m.role_id
         where m.user_id = k.owner_id) as memberships,
       (select coalesce(json_object_agg(r.id, json_build_object('name', r.name, 'permissions', r.permissions)), '{}'::json)
          from roles r
         where r.id in (select (x ->> 'roleId')::uuid from jsonb_array_elements(coalesce(k.restriction, '[]'::jsonb)) x)) as restriction_roles
  from api_keys k join users u on u.id = k.owner_id
 where k.hash = $1`;

type ResolveRow = {
  id: string; name: string; kind: KeyKind; start: string; last_four: string; expires_at: number | null; owner_id: string;
  revoked_at: number | null; replaced_by_id: string | null; grace_expires_at: number | null; restriction: KeyRestriction | null;
  username: string; owner_name: string; email: string | null; owner_kind: UserKind; status: UserStatus; is_org_admin: boolean;
  api_access: boolean; memberships: Resolved["memberships"]; restriction_roles: Resolved["restrictionRoles"];
};

const date = (v: number | null) => (v === null ? null : new Date(v));

async function resolve(hash: string): Promise<Resolved | null> {
  const handle = await getDatabase();
  const rows = handle.sql
    ? ((await handle.sql.unsafe(RESOLVE_SQL, [hash], { prepare: true })) as unknown as ResolveRow[])
    : (await handle.pglite!.query<ResolveRow>(RESOLVE_SQL, [hash])).rows;
  const row = rows[0];
  if (!row) return null;
  return {
    key: {
      id: row.id, name: row.name, kind: row.kind, start: row.start, lastFour: row.last_four, expiresAt: date(row.expires_at),
      revokedAt: date(row.revoked_at), replacedById: row.replaced_by_id, graceExpiresAt: date(row.grace_expires_at), restriction: row.restriction,
    },
    owner: {
      id: row.owner_id, username: row.username, name: row.owner_name, email: row.email, kind: row.owner_kind, isOrgAdmin: row.is_org_admin,
      apiAccess: row.api_access, status: row.status,
    },
    memberships: row.memberships,
    restrictionRoles: row.restriction_roles,
  };
}

/**
 * What a cached record gives every request alike, computed once per cache
 * entry (the REST API's hot path reuses it): the key and owner as answered,
 * the projects the key reaches (the owner's, narrowed by the restriction),
 * and the valid answer itself. Read-only.
 */
type Derived = { key: KeyInfo; owner: OwnerInfo; projects: ProjectAccess[]; valid: ValidResult };
const derivedOf = new WeakMap<Resolved, Derived>();

function derive(r: Resolved): Derived {
  let d = derivedOf.get(r);
  if (d) return d;
  const key: KeyInfo = {
    id: r.key.id, name: r.key.name, kind: r.key.kind, start: r.key.start, lastFour: r.key.lastFour,
    expiresAt: effectiveExpiry(r.key), restricted: r.key.restriction !== null, beingReplaced: isBeingReplaced(r.key),
  };
  const { id, username, name, email, kind, isOrgAdmin, apiAccess } = r.owner;
  const owner: OwnerInfo = { id, username, name, email, kind, isOrgAdmin, apiAccess };
  const projects = effectiveProjects(r);
  d = { key, owner, projects, valid: { valid: true, code: "valid", key, owner, projects } };
  derivedOf.set(r, d);
  return d;
}

/** The owner's projects, narrowed by the key's restriction: never more than the owner holds now. */
function effectiveProjects(r: Resolved): ProjectAccess[] {
  const restriction = r.key.restriction;
  const out: ProjectAccess[] = [];
  for (const m of r.memberships) {
    const base = { id: m.projectId, slug: m.slug, name: m.name };
    if (!restriction) {
      out.push({ ...base, role: m.roleName, permissions: [...m.permissions].sort() });
      continue;
    }
    const limit = restriction.find((x) => x.projectId === m.projectId);
    const limitRole = limit && r.restrictionRoles[limit.roleId];
    if (!limitRole) continue;
    out.push({ ...base, role: limitRole.name, permissions: intersect(m.permissions, limitRole.permissions) });
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
  const d = derive(r);
  const { key, owner } = d;
  const refusal = keyRefusal(r.key, now);
  if (refusal) return { valid: false, ...refusal, key, owner };
  if (r.owner.status !== "active") return { valid: false, code: "owner_disabled", detail: "The key's owner is disabled.", key, owner };
  if (!mayHoldKeys(r.owner)) return { valid: false, code: "forbidden", detail: "The key's owner no longer has API access.", key, owner };
  if (!want.project && !want.permission && !want.within) return d.valid;
  let scope = d.projects;
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
  return want.within ? { ...d.valid, projects: scope } : d.valid;
}

/**
 * Both the owner's role and the key's limit must grant it. (Not the same as
 * the intersected list /me shows: `*:read` and `documents:*` both grant
 * `documents:read`, though neither pattern covers the other.)
 */
function grants(r: Resolved, projectId: string, permission: string): boolean {
  const held = r.memberships.find((m) => m.projectId === projectId)!.permissions;
  const limit = r.key.restriction?.find((x) => x.projectId === projectId);
  return allows(held, permission) && (!limit || allows(r.restrictionRoles[limit.roleId]?.permissions ?? [], permission));
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
    if (resolved) cache.set(hash, resolved, { keyId: resolved.key.id, ownerId: resolved.owner.id }, ticket, now);
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
