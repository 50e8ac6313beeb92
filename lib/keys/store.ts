import "server-only";
import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import { getDb, type Tx } from "@/lib/db/client";
import { apiKeys, memberships, projects, roles, type KeyKind, type KeyRestriction } from "@/lib/db/schema";
import { ValidationError } from "@/lib/errors";
import { displayParts, generateKey, hashKey } from "./format";
import { effectiveExpiry, keyStatus, type KeyStatus } from "./lifecycle";
import { isWithin } from "@/lib/policy/permissions";
import type { Invalidate } from "./invalidation";
import { seal } from "./secret-box";

/** What the key tables show, personal or API-account: never the hash, never the secret. */
export type KeySummary = {
  id: string;
  ownerId: string;
  name: string;
  kind: KeyKind;
  start: string;
  lastFour: string;
  createdAt: Date;
  /** When the key stops working by itself: the end of its grace period while it is being replaced. */
  expiresAt: Date | null;
  expiresInDays: number | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  revokedAt: Date | null;
  revokedReason: string | null;
  /** Revoked by a Global Admin from Global Administration, not by its owner. */
  revokedByAdmin: boolean;
  graceExpiresAt: Date | null;
  /** The key's own expiry, which a rotation's grace period never outlives (expiresAt above may be the grace's end). */
  ownExpiresAt: Date | null;
  status: KeyStatus;
  restriction: { projectId: string; projectName: string; roleId: string; roleName: string }[] | null;
};

/** The reason an admin's revocation records (Global Administration > API Keys, "Revoke all keys"). */
export const REVOKED_BY_ADMIN = "revoked by an administrator";

export type CreatedKey = { key: KeySummary; secret: string };

const summaryColumns = {
  id: apiKeys.id, ownerId: apiKeys.ownerId, name: apiKeys.name, kind: apiKeys.kind, start: apiKeys.start, lastFour: apiKeys.lastFour,
  createdAt: apiKeys.createdAt, expiresAt: apiKeys.expiresAt, expiresInDays: apiKeys.expiresInDays,
  lastUsedAt: apiKeys.lastUsedAt, lastUsedIp: apiKeys.lastUsedIp, revokedAt: apiKeys.revokedAt, revokedReason: apiKeys.revokedReason,
  graceExpiresAt: apiKeys.graceExpiresAt, replacedById: apiKeys.replacedById, restriction: apiKeys.restriction,
};

/** Keys matching `where`, newest first, with the names of the projects and roles they are limited to. */
export async function selectSummaries(where: SQL | undefined): Promise<KeySummary[]> {
  const db = await getDb();
  const rows = await db.select(summaryColumns).from(apiKeys).where(where).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  const projectIds = [...new Set(rows.flatMap((r) => r.restriction?.map((x) => x.projectId) ?? []))];
  const roleIds = [...new Set(rows.flatMap((r) => r.restriction?.map((x) => x.roleId) ?? []))];
  const [p, ro] = await Promise.all([
    projectIds.length ? db.select({ id: projects.id, name: projects.name }).from(projects).where(inArray(projects.id, projectIds)) : [],
    roleIds.length ? db.select({ id: roles.id, name: roles.name }).from(roles).where(inArray(roles.id, roleIds)) : [],
  ]);
  const projectName = new Map(p.map((x) => [x.id, x.name]));
  const roleName = new Map(ro.map((x) => [x.id, x.name]));
  const now = Date.now();
  return rows.map(({ replacedById, restriction, ...r }) => ({
    ...r,
    ownExpiresAt: r.expiresAt,
    revokedByAdmin: r.revokedReason === REVOKED_BY_ADMIN,
    expiresAt: effectiveExpiry({ ...r, replacedById }),
    status: keyStatus({ ...r, replacedById }, now),
    restriction:
      restriction?.map((x) => ({
        projectId: x.projectId,
        projectName: projectName.get(x.projectId) ?? "(deleted project)",
        roleId: x.roleId,
        roleName: roleName.get(x.roleId) ?? "(deleted role)",
      })) ?? null,
  }));
}

export async function getSummary(keyId: string): Promise<KeySummary | undefined> {
  return (await selectSummaries(eq(apiKeys.id, keyId)))[0];
}

/** One project of a restriction as asked: a role by id or by name, or neither for the owner's own role there. */
export type RestrictionRequest = { projectId: string; roleId?: string; role?: string }[];

/** Whose projects a message speaks of: the caller's own, or the API account's whose key a Global Admin edits. */
export type RestrictionOwner = "you" | "the account";

/**
 * A restriction may only name projects the owner is in, each with a role no
 * greater than the owner's own there. Returns it as stored: a role left out is
 * the owner's own role there, a role given by name is its id.
 */
export async function resolveRestriction(tx: Tx, ownerId: string, restriction: RestrictionRequest, owner: RestrictionOwner = "you"): Promise<KeyRestriction> {
  const held = await tx
    .select({ projectId: memberships.projectId, projectName: projects.name, roleId: roles.id, roleName: roles.name, permissions: roles.permissions })
    .from(memberships)
    .innerJoin(projects, eq(projects.id, memberships.projectId))
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(eq(memberships.userId, ownerId));
  const ids = restriction.flatMap((r) => (r.roleId ? [r.roleId] : []));
  const names = restriction.flatMap((r) => (!r.roleId && r.role ? [r.role.toLowerCase()] : []));
  const wanted =
    ids.length || names.length
      ? await tx
          .select({ id: roles.id, name: roles.name, permissions: roles.permissions })
          .from(roles)
          .where(or(ids.length ? inArray(roles.id, ids) : undefined, names.length ? inArray(sql`lower(${roles.name})`, names) : undefined))
      : [];
  const problems: string[] = [];
  const resolved: KeyRestriction = [];
  const theirs = owner === "you" ? "your own role" : "the account’s own role";
  for (const r of restriction) {
    const mine = held.find((h) => h.projectId === r.projectId);
    const role = r.roleId ? wanted.find((w) => w.id === r.roleId) : r.role ? wanted.find((w) => w.name.toLowerCase() === r.role!.toLowerCase()) : mine && { id: mine.roleId, name: mine.roleName, permissions: mine.permissions };
    if (!mine) problems.push(owner === "you" ? "You can only limit a key to projects you are a member of." : "You can only limit the key to projects the account is a member of.");
    else if (!role) problems.push(r.role ? `There is no role named “${r.role}” to choose for ${mine.projectName}.` : `Choose a role for ${mine.projectName}.`);
    else if (!isWithin(role.permissions, mine.permissions)) problems.push(`${role.name} in ${mine.projectName} is more than ${theirs} there (${mine.roleName}).`);
    else resolved.push({ projectId: r.projectId, roleId: role.id });
  }
  if (problems.length) throw new ValidationError({ restriction: [...new Set(problems)] });
  return resolved;
}

export const nameTaken = (name: string, owner: RestrictionOwner = "you") =>
  new ValidationError({ name: [owner === "you" ? `You already have a key named “${name}”. Choose another name.` : `The account already has a key named “${name}”. Choose another name.`] });

/** Names are unique among an owner's live keys (the partial unique index holds it under concurrency too). */
export async function assertNameFree(tx: Tx, ownerId: string, name: string, owner: RestrictionOwner = "you"): Promise<void> {
  const [taken] = await tx
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(eq(apiKeys.ownerId, ownerId), eq(apiKeys.name, name), isNull(apiKeys.revokedAt), isNull(apiKeys.replacedById)))
    .limit(1);
  if (taken) throw nameTaken(name, owner);
}

export type InsertKey = {
  id?: string;
  ownerId: string;
  kind: KeyKind;
  name: string;
  expiresInDays: number | null;
  /** Caps the expiry (a key made by a key never outlives it). */
  notAfter?: Date | null;
  restriction: KeyRestriction | null;
  createdById: string | null;
  /** The key that made this one, through the API: this key dies with it. */
  createdByKeyId: string | null;
};

/**
 * Every new key is made here, inside changeKeys: its hash is declared
 * "created", so that no instance still remembers it as unknown once the
 * creation has answered.
 */
export async function insertKey(tx: Tx, invalidate: Invalidate, input: InsertKey): Promise<{ id: string; secret: string }> {
  const id = input.id ?? randomUUID();
  const secret = generateKey(input.kind);
  const hash = hashKey(secret);
  const { start, lastFour } = displayParts(secret);
  const expiry = input.expiresInDays === null ? null : sql`now() + make_interval(days => ${input.expiresInDays})`;
  await tx.insert(apiKeys).values({
    id,
    ownerId: input.ownerId,
    kind: input.kind,
    name: input.name,
    hash,
    start,
    lastFour,
    restriction: input.restriction,
    expiresInDays: input.expiresInDays,
    expiresAt: input.notAfter ? (expiry ? sql`least(${expiry}, ${input.notAfter.toISOString()}::timestamptz)` : input.notAfter) : expiry,
    createdById: input.createdById,
    createdByKeyId: input.createdByKeyId,
    encryptedSecret: input.kind === "sa" ? seal(secret, id) : null,
  });
  await invalidate({ scope: "created", hashes: [hash] });
  return { id, secret };
}
