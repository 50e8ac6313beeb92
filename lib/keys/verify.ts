import "server-only";
import { eq, inArray } from "drizzle-orm";
import { coarseNow } from "@/lib/clock";
import { getDb } from "@/lib/db/client";
import { apiKeys, memberships, projects, roles, users, type KeyKind, type KeyRestriction, type UserKind, type UserStatus } from "@/lib/db/schema";
import { keyCache } from "./cache";
import { hashKey, parseKey } from "./format";
import { allows, intersect } from "./permissions";

export type VerifyCode = "valid" | "malformed" | "unknown" | "expired" | "revoked" | "owner_disabled" | "forbidden";

export type KeyInfo = { id: string; name: string; kind: KeyKind; start: string; lastFour: string; expiresAt: Date | null; restricted: boolean };
export type OwnerInfo = { id: string; username: string; name: string; email: string | null; kind: UserKind; isOrgAdmin: boolean };
export type ProjectAccess = { id: string; slug: string; name: string; role: string; permissions: string[] };

export type ValidResult = { valid: true; code: "valid"; key: KeyInfo; owner: OwnerInfo; projects: ProjectAccess[] };
export type VerifyResult =
  | ValidResult
  | { valid: false; code: Exclude<VerifyCode, "valid">; detail: string; key?: KeyInfo; owner?: OwnerInfo };

/** Everything needed to judge a key, as read from the database; cached by hash. */
type Resolved = {
  key: KeyInfo & { ownerId: string; revokedAt: Date | null; replacedById: string | null; graceExpiresAt: Date | null; restriction: KeyRestriction | null };
  owner: OwnerInfo & { status: UserStatus; apiAccess: boolean };
  memberships: { projectId: string; slug: string; name: string; roleName: string; permissions: string[] }[];
  restrictionRoles: Record<string, { name: string; permissions: string[] }>;
} | null;

async function resolve(hash: string): Promise<Resolved> {
  const db = await getDb();
  const [row] = await db
    .select({
      id: apiKeys.id, name: apiKeys.name, kind: apiKeys.kind, start: apiKeys.start, lastFour: apiKeys.lastFour,
      expiresAt: apiKeys.expiresAt, ownerId: apiKeys.ownerId, revokedAt: apiKeys.revokedAt, replacedById: apiKeys.replacedById,
      graceExpiresAt: apiKeys.graceExpiresAt, restriction: apiKeys.restriction,
      ownerUsername: users.username, ownerName: users.name, ownerEmail: users.email, ownerKind: users.kind, ownerStatus: users.status,
      ownerIsOrgAdmin: users.isOrgAdmin, ownerApiAccess: users.apiAccess,
    })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.ownerId))
    .where(eq(apiKeys.hash, hash))
    .limit(1);
  if (!row) return null;
  const roleIds = [...new Set((row.restriction ?? []).map((r) => r.roleId))];
  const [held, restrictionRoles] = await Promise.all([
    db
      .select({ projectId: projects.id, slug: projects.slug, name: projects.name, roleName: roles.name, permissions: roles.permissions })
      .from(memberships)
      .innerJoin(projects, eq(projects.id, memberships.projectId))
      .innerJoin(roles, eq(roles.id, memberships.roleId))
      .where(eq(memberships.userId, row.ownerId))
      .orderBy(projects.name),
    roleIds.length
      ? db.select({ id: roles.id, name: roles.name, permissions: roles.permissions }).from(roles).where(inArray(roles.id, roleIds))
      : Promise.resolve([]),
  ]);
  return {
    key: {
      id: row.id, name: row.name, kind: row.kind, start: row.start, lastFour: row.lastFour, expiresAt: row.expiresAt,
      restricted: row.restriction !== null, ownerId: row.ownerId, revokedAt: row.revokedAt, replacedById: row.replacedById,
      graceExpiresAt: row.graceExpiresAt, restriction: row.restriction,
    },
    owner: {
      id: row.ownerId, username: row.ownerUsername, name: row.ownerName, email: row.ownerEmail, kind: row.ownerKind, isOrgAdmin: row.ownerIsOrgAdmin,
      status: row.ownerStatus, apiAccess: row.ownerApiAccess,
    },
    memberships: held,
    restrictionRoles: Object.fromEntries(restrictionRoles.map((r) => [r.id, { name: r.name, permissions: r.permissions }])),
  };
}

// A resolved entry never changes while cached, so neither do its projects nor its valid answer:
// computed once per entry, not per request (the REST API's hot path reuses them, see lib/api/routes/me.ts).
const projectsOf = new WeakMap<NonNullable<Resolved>, ProjectAccess[]>();
const validOf = new WeakMap<NonNullable<Resolved>, ValidResult>();

/** The owner's projects, narrowed by the key's restriction: never more than the owner holds now. */
function effectiveProjects(r: NonNullable<Resolved>): ProjectAccess[] {
  let known = projectsOf.get(r);
  if (!known) {
    known = computeProjects(r);
    projectsOf.set(r, known);
  }
  return known;
}

function computeProjects(r: NonNullable<Resolved>): ProjectAccess[] {
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

function judge(r: Resolved, now: number, want: { project?: string; permission?: string }): VerifyResult {
  if (!r) return { valid: false, code: "unknown", detail: "No such key." };
  const key: KeyInfo = { id: r.key.id, name: r.key.name, kind: r.key.kind, start: r.key.start, lastFour: r.key.lastFour, expiresAt: r.key.expiresAt, restricted: r.key.restricted };
  const owner: OwnerInfo = { id: r.owner.id, username: r.owner.username, name: r.owner.name, email: r.owner.email, kind: r.owner.kind, isOrgAdmin: r.owner.isOrgAdmin };
  if (r.key.revokedAt) return { valid: false, code: "revoked", detail: "This key has been revoked.", key, owner };
  if (r.key.replacedById && (!r.key.graceExpiresAt || r.key.graceExpiresAt.getTime() <= now)) {
    return { valid: false, code: "revoked", detail: "This key was rotated and replaced by a new key.", key, owner };
  }
  if (r.key.expiresAt && r.key.expiresAt.getTime() <= now) {
    return { valid: false, code: "expired", detail: `This key expired at ${r.key.expiresAt.toISOString()}.`, key, owner };
  }
  if (r.owner.status !== "active") return { valid: false, code: "owner_disabled", detail: "The key's owner is disabled.", key, owner };
  if (r.owner.kind === "human" && !r.owner.apiAccess && !r.owner.isOrgAdmin) {
    return { valid: false, code: "forbidden", detail: "The key's owner no longer has API access.", key, owner };
  }
  const all = effectiveProjects(r);
  let scope = all;
  if (want.project) {
    scope = all.filter((p) => p.id === want.project || p.slug === want.project);
    if (!scope.length) return { valid: false, code: "forbidden", detail: `This key has no access to project ${want.project}.`, key, owner };
  }
  if (want.permission) {
    const granted = (p: ProjectAccess) => {
      const held = r.memberships.find((m) => m.projectId === p.id)!.permissions;
      const limit = r.key.restriction?.find((x) => x.projectId === p.id);
      return allows(held, want.permission!) && (!limit || allows(r.restrictionRoles[limit.roleId]?.permissions ?? [], want.permission!));
    };
    if (!scope.some(granted)) {
      return { valid: false, code: "forbidden", detail: `This key lacks the permission ${want.permission}${want.project ? ` in ${want.project}` : ""}.`, key, owner };
    }
  }
  let valid = validOf.get(r);
  if (!valid) {
    valid = { valid: true, code: "valid", key, owner, projects: all };
    validOf.set(r, valid);
  }
  return valid;
}

type Want = { project?: string; permission?: string };
const MALFORMED: VerifyResult = { valid: false, code: "malformed", detail: "This is not a Latchkey API key (wrong format or checksum)." };

/**
 * The one verification used by the console, the REST API and the CLI.
 * Malformed keys and bad checksums are turned away before any database work;
 * a key is found by its SHA-256 alone. A valid answer is shared by every
 * request made with the key while it is cached: treat it as read-only.
 */
export async function verifyKey(candidate: string, want: Want = {}): Promise<VerifyResult> {
  return verifyKeyEager(candidate, want);
}

/**
 * verifyKey, answered synchronously when the key's record is cached (nearly
 * every request of a busy key) and as a Promise when it must be read first.
 * For the REST API's hot path, where an extra turn of the event loop shows.
 */
export function verifyKeyEager(candidate: string, want: Want = {}): VerifyResult | Promise<VerifyResult> {
  if (!parseKey(candidate)) return MALFORMED;
  const hash = hashKey(candidate);
  const cache = keyCache<Resolved>();
  const cached = cache.get(hash, coarseNow());
  if (cached !== undefined) return judge(cached, Date.now(), want);
  return resolve(hash).then((resolved) => {
    cache.set(hash, resolved, resolved ? { keyId: resolved.key.id, ownerId: resolved.key.ownerId } : {});
    return judge(resolved, Date.now(), want);
  });
}

/** Global-admin powers through a key: only for an unrestricted key of a Global Admin. */
export function actsAsGlobalAdmin(result: VerifyResult): boolean {
  return result.valid && result.owner.isOrgAdmin && !result.key.restricted;
}
