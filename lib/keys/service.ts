import "server-only";
import { randomUUID } from "node:crypto";
import { and, desc, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { writeAudit, type Actor } from "@/lib/audit";
import { getDb, type Tx } from "@/lib/db/client";
import { apiKeys, memberships, projects, roles, users, type KeyKind, type KeyRestriction } from "@/lib/db/schema";
import { ConflictError, ForbiddenError, isUniqueViolation, NotFoundError, ValidationError } from "@/lib/errors";
import { invalidate } from "./cache";
import { displayParts, generateKey, hashKey } from "./format";
import { isWithin } from "./permissions";
import { type CreateKeyInput, DEFAULT_EXPIRATION_DAYS } from "./schemas";
import { open, seal } from "./secret-box";

export type KeyStatus = "active" | "expiring" | "expired" | "revoked" | "rotating";

/** What a key table shows: never the hash, never the secret. */
export type KeySummary = {
  id: string;
  name: string;
  kind: KeyKind;
  start: string;
  lastFour: string;
  createdAt: Date;
  expiresAt: Date | null;
  expiresInDays: number | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  revokedAt: Date | null;
  graceExpiresAt: Date | null;
  status: KeyStatus;
  restriction: { projectId: string; projectName: string; roleId: string; roleName: string }[] | null;
};

export type CreatedKey = { key: KeySummary; secret: string };

/** The caller, as far as key rules are concerned. */
export type KeyOwner = { id: string; apiAccess: boolean; isOrgAdmin: boolean; status: "active" | "disabled" };

const EXPIRING_SOON_MS = 7 * 24 * 3600 * 1000;

export function keyStatus(k: { revokedAt: Date | null; expiresAt: Date | null; graceExpiresAt: Date | null; replacedById: string | null }, now = new Date()): KeyStatus {
  if (k.revokedAt) return "revoked";
  if (k.replacedById) return k.graceExpiresAt && k.graceExpiresAt > now ? "rotating" : "revoked";
  if (k.expiresAt && k.expiresAt <= now) return "expired";
  if (k.expiresAt && k.expiresAt.getTime() - now.getTime() <= EXPIRING_SOON_MS) return "expiring";
  return "active";
}

const summaryColumns = {
  id: apiKeys.id, name: apiKeys.name, kind: apiKeys.kind, start: apiKeys.start, lastFour: apiKeys.lastFour,
  createdAt: apiKeys.createdAt, expiresAt: apiKeys.expiresAt, expiresInDays: apiKeys.expiresInDays,
  lastUsedAt: apiKeys.lastUsedAt, lastUsedIp: apiKeys.lastUsedIp, revokedAt: apiKeys.revokedAt,
  graceExpiresAt: apiKeys.graceExpiresAt, replacedById: apiKeys.replacedById, restriction: apiKeys.restriction,
};
/** Keys matching `where`, newest first, with the names of the projects and roles they are limited to. */
async function selectSummaries(where: SQL | undefined): Promise<KeySummary[]> {
  const db = await getDb();
  const rows = await db.select(summaryColumns).from(apiKeys).where(where).orderBy(desc(apiKeys.createdAt));
  const projectIds = [...new Set(rows.flatMap((r) => r.restriction?.map((x) => x.projectId) ?? []))];
  const roleIds = [...new Set(rows.flatMap((r) => r.restriction?.map((x) => x.roleId) ?? []))];
  const [p, ro] = await Promise.all([
    projectIds.length ? db.select({ id: projects.id, name: projects.name }).from(projects).where(inArray(projects.id, projectIds)) : [],
    roleIds.length ? db.select({ id: roles.id, name: roles.name }).from(roles).where(inArray(roles.id, roleIds)) : [],
  ]);
  const projectName = new Map(p.map((x) => [x.id, x.name]));
  const roleName = new Map(ro.map((x) => [x.id, x.name]));
  const now = new Date();
  return rows.map(({ replacedById, restriction, ...r }) => ({
    ...r,
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

export async function listKeysForOwner(ownerId: string, opts: { includeRevoked?: boolean } = {}): Promise<KeySummary[]> {
  const all = await selectSummaries(eq(apiKeys.ownerId, ownerId));
  return opts.includeRevoked ? all : all.filter((k) => k.status !== "revoked");
}

/** One of the owner's keys, or NotFoundError — also for a key that is someone else's. */
export async function getOwnKey(ownerId: string, keyId: string): Promise<KeySummary> {
  const [key] = await selectSummaries(and(eq(apiKeys.id, keyId), eq(apiKeys.ownerId, ownerId)));
  if (!key) throw new NotFoundError("Key not found.");
  return key;
}

/** Global Admins hold API access whether or not it was granted to them separately. */
export function hasApiAccess(owner: Pick<KeyOwner, "apiAccess" | "isOrgAdmin">): boolean {
  return owner.apiAccess || owner.isOrgAdmin;
}

export function assertMayHoldKeys(owner: KeyOwner): void {
  if (owner.status !== "active") throw new ForbiddenError("This account is disabled.");
  if (!hasApiAccess(owner)) {
    throw new ForbiddenError("You do not have API access. Ask a Global Admin to grant it.");
  }
}

/** A restriction may only name projects the owner is in, each with a role no greater than the owner's own there. */
async function checkRestriction(tx: Tx, ownerId: string, restriction: KeyRestriction): Promise<void> {
  const held = await tx
    .select({ projectId: memberships.projectId, projectName: projects.name, roleName: roles.name, permissions: roles.permissions })
    .from(memberships)
    .innerJoin(projects, eq(projects.id, memberships.projectId))
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(eq(memberships.userId, ownerId));
  const wanted = await tx
    .select({ id: roles.id, name: roles.name, permissions: roles.permissions })
    .from(roles)
    .where(inArray(roles.id, restriction.map((r) => r.roleId)));
  const problems: string[] = [];
  for (const r of restriction) {
    const mine = held.find((h) => h.projectId === r.projectId);
    const role = wanted.find((w) => w.id === r.roleId);
    if (!mine) problems.push("You can only limit a key to projects you are a member of.");
    else if (!role) problems.push(`Choose a role for ${mine.projectName}.`);
    else if (!isWithin(role.permissions, mine.permissions)) {
      problems.push(`${role.name} in ${mine.projectName} is more than your own role there (${mine.roleName}).`);
    }
  }
  if (problems.length) throw new ValidationError({ restriction: [...new Set(problems)] });
}

async function assertNameFree(tx: Tx, ownerId: string, name: string): Promise<void> {
  const [taken] = await tx
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(eq(apiKeys.ownerId, ownerId), eq(apiKeys.name, name), isNull(apiKeys.revokedAt), isNull(apiKeys.replacedById)))
    .limit(1);
  if (taken) throw nameTaken(name);
}

const nameTaken = (name: string) => new ValidationError({ name: [`You already have a key named “${name}”. Choose another name.`] });

type InsertKey = { id?: string; ownerId: string; kind: KeyKind; name: string; expiresInDays: number | null; restriction: KeyRestriction | null; createdById: string | null };

async function insertKey(tx: Tx, input: InsertKey): Promise<{ id: string; secret: string }> {
  const id = input.id ?? randomUUID();
  const secret = generateKey(input.kind);
  const { start, lastFour } = displayParts(secret);
  await tx.insert(apiKeys).values({
    id,
    ownerId: input.ownerId,
    kind: input.kind,
    name: input.name,
    hash: hashKey(secret),
    start,
    lastFour,
    restriction: input.restriction,
    expiresInDays: input.expiresInDays,
    expiresAt: input.expiresInDays === null ? null : sql`now() + make_interval(days => ${input.expiresInDays})`,
    createdById: input.createdById,
    encryptedSecret: input.kind === "sa" ? seal(secret, id) : null,
  });
  return { id, secret };
}

export async function createPersonalKey(owner: KeyOwner, input: CreateKeyInput, actor: Actor): Promise<CreatedKey> {
  assertMayHoldKeys(owner);
  const db = await getDb();
  try {
    const created = await db.transaction(async (tx) => {
      await assertNameFree(tx, owner.id, input.name);
      if (input.restriction) await checkRestriction(tx, owner.id, input.restriction);
      const key = await insertKey(tx, { ownerId: owner.id, kind: "pat", name: input.name, expiresInDays: input.expiresInDays, restriction: input.restriction, createdById: actor.id });
      await writeAudit(tx, actor, {
        action: "key.created",
        targetType: "api_key",
        targetId: key.id,
        targetLabel: input.name,
        details: { expiresInDays: input.expiresInDays, restricted: input.restriction !== null },
      });
      return key;
    });
    return { key: await getOwnKey(owner.id, created.id), secret: created.secret };
  } catch (error) {
    if (isUniqueViolation(error, "api_keys_owner_name_live_key")) throw nameTaken(input.name);
    throw error;
  }
}

export const DEFAULT_KEY_NAME = "Default";

/**
 * The profile's one-click key: "Default", 90 days, all my projects. A live key
 * may already hold that name (an expired one, say), so the next free
 * "Default 2", "Default 3"… is taken instead of failing.
 */
export async function createDefaultKey(owner: KeyOwner, actor: Actor): Promise<CreatedKey> {
  for (let n = 1; ; n++) {
    const name = n === 1 ? DEFAULT_KEY_NAME : `${DEFAULT_KEY_NAME} ${n}`;
    try {
      return await createPersonalKey(owner, { name, expiresInDays: DEFAULT_EXPIRATION_DAYS, restriction: null }, actor);
    } catch (error) {
      if (!(error instanceof ValidationError && error.fieldErrors?.name) || n >= 50) throw error;
    }
  }
}

export type KeyOverview = { active: number; nextToExpire: { name: string; expiresAt: Date } | null };

/** For the profile: how many of my keys work and are not being replaced, and which of them ends first. */
export async function getKeyOverview(ownerId: string): Promise<KeyOverview> {
  const live = (await listKeysForOwner(ownerId)).filter((k) => k.status === "active" || k.status === "expiring");
  const next = live
    .filter((k): k is KeySummary & { expiresAt: Date } => k.expiresAt !== null)
    .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())[0];
  return { active: live.length, nextToExpire: next ? { name: next.name, expiresAt: next.expiresAt } : null };
}

/**
 * Replaces a key with a new one of the same name, restriction and expiration
 * policy, in one transaction: of two concurrent rotations exactly one wins.
 */
export async function rotateKey(ownerId: string, keyId: string, graceSeconds: number, actor: Actor): Promise<CreatedKey> {
  const db = await getDb();
  const created = await db.transaction(async (tx) => {
    const [old] = await tx
      .select({ id: apiKeys.id, name: apiKeys.name, kind: apiKeys.kind, revokedAt: apiKeys.revokedAt, replacedById: apiKeys.replacedById, expiresAt: apiKeys.expiresAt, expiresInDays: apiKeys.expiresInDays, restriction: apiKeys.restriction })
      .from(apiKeys)
      .where(and(eq(apiKeys.id, keyId), eq(apiKeys.ownerId, ownerId)))
      .for("update")
      .limit(1);
    if (!old) throw new NotFoundError("Key not found.");
    if (old.revokedAt || old.replacedById) throw new ConflictError("This key has already been rotated or revoked. Reload the page to see its replacement.");
    if (old.expiresAt && old.expiresAt <= new Date()) throw new ConflictError("This key has expired. Generate a new key instead.");
    const newId = randomUUID();
    await tx
      .update(apiKeys)
      .set(
        graceSeconds > 0
          ? { replacedById: newId, graceExpiresAt: sql`now() + make_interval(secs => ${graceSeconds})` }
          : { replacedById: newId, revokedAt: sql`now()`, revokedById: actor.id, revokedReason: "rotated" },
      )
      .where(eq(apiKeys.id, old.id));
    const key = await insertKey(tx, { id: newId, ownerId, kind: old.kind, name: old.name, expiresInDays: old.expiresInDays, restriction: old.restriction, createdById: actor.id });
    await writeAudit(tx, actor, {
      action: "key.rotated",
      targetType: "api_key",
      targetId: old.id,
      targetLabel: old.name,
      details: { newKeyId: newId, graceSeconds },
    });
    return key;
  });
  await invalidate({ scope: "key", id: keyId });
  return { key: await getOwnKey(ownerId, created.id), secret: created.secret };
}

/** Revokes one of the owner's keys; someone else's key id is answered as not found. */
export async function revokeKey(ownerId: string, keyId: string, actor: Actor, reason = "revoked by owner"): Promise<void> {
  const db = await getDb();
  await db.transaction(async (tx) => {
    const [key] = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()`, revokedById: actor.id, revokedReason: reason })
      .where(and(eq(apiKeys.id, keyId), eq(apiKeys.ownerId, ownerId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, name: apiKeys.name });
    if (!key) {
      const [exists] = await tx.select({ id: apiKeys.id }).from(apiKeys).where(and(eq(apiKeys.id, keyId), eq(apiKeys.ownerId, ownerId))).limit(1);
      if (!exists) throw new NotFoundError("Key not found.");
      return; // already revoked: nothing to do
    }
    await writeAudit(tx, actor, { action: "key.revoked", targetType: "api_key", targetId: key.id, targetLabel: key.name, details: { reason } });
  });
  await invalidate({ scope: "key", id: keyId });
}

// ---- API accounts: one live key each, kept encrypted for "Show API Key" -------------------------

/**
 * Makes the account's key inside the caller's transaction (account creation). The secret is for a
 * caller that hands it over at once (the REST API's create answer); the console shows it only
 * through "Show API Key".
 */
export async function createAccountKey(tx: Tx, accountId: string, actor: Actor): Promise<{ id: string; secret: string }> {
  return insertKey(tx, { ownerId: accountId, kind: "sa", name: "Default", expiresInDays: null, restriction: null, createdById: actor.id });
}

async function liveAccountKey(tx: Tx, accountId: string) {
  const [row] = await tx
    .select({ id: apiKeys.id, name: apiKeys.name, encryptedSecret: apiKeys.encryptedSecret, username: users.username, kind: users.kind })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.ownerId))
    .where(and(eq(apiKeys.ownerId, accountId), eq(apiKeys.kind, "sa"), isNull(apiKeys.revokedAt), isNull(apiKeys.replacedById)))
    .orderBy(desc(apiKeys.createdAt))
    .limit(1);
  return row;
}

/** Decrypts an API account's key for a Global Admin, and says so in the audit log. */
export async function revealAccountKey(admin: { id: string; isOrgAdmin: boolean }, accountId: string, actor: Actor): Promise<string> {
  if (!admin.isOrgAdmin) throw new NotFoundError("Account not found.");
  const db = await getDb();
  return db.transaction(async (tx) => {
    const key = await liveAccountKey(tx, accountId);
    if (!key?.encryptedSecret) throw new NotFoundError("This account has no key to show. Regenerate one.");
    const secret = open(key.encryptedSecret, key.id);
    await writeAudit(tx, actor, { action: "key.revealed", targetType: "api_key", targetId: key.id, targetLabel: `${key.username} / ${key.name}` });
    return secret;
  });
}

/** Revokes the account's key at once and makes a new one. */
export async function regenerateAccountKey(admin: { id: string; isOrgAdmin: boolean }, accountId: string, actor: Actor): Promise<string> {
  if (!admin.isOrgAdmin) throw new NotFoundError("Account not found.");
  const db = await getDb();
  const result = await db.transaction(async (tx) => {
    const [account] = await tx.select({ id: users.id, username: users.username }).from(users).where(and(eq(users.id, accountId), eq(users.kind, "api_account"))).for("update").limit(1);
    if (!account) throw new NotFoundError("Account not found.");
    const old = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()`, revokedById: actor.id, revokedReason: "regenerated" })
      .where(and(eq(apiKeys.ownerId, accountId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    const key = await insertKey(tx, { ownerId: accountId, kind: "sa", name: "Default", expiresInDays: null, restriction: null, createdById: actor.id });
    await writeAudit(tx, actor, { action: "key.regenerated", targetType: "api_key", targetId: key.id, targetLabel: `${account.username} / Default`, details: { revokedKeyIds: old.map((o) => o.id) } });
    return key;
  });
  await invalidate({ scope: "owner", id: accountId });
  return result.secret;
}
