import "server-only";
import { randomUUID } from "node:crypto";
import { and, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import { actorOf, writeAudit } from "@/lib/audit";
import type { Caller } from "@/lib/caller";
import type { Tx } from "@/lib/db/client";
import { apiKeys, users } from "@/lib/db/schema";
import { ConflictError, isUniqueViolation, NotFoundError, ValidationError } from "@/lib/errors";
import { assertMayCreateKeys, assertMayEditKey, assertMayManageKey, keyListScope, makerOf } from "@/lib/policy";
import { assertExpiryWithinPolicy, assertGraceWithinPolicy, defaultExpiryOf } from "@/lib/policy/key-policy";
import { changeKeys } from "./invalidation";
import { readKeyPolicy } from "./key-policy";
import { isLive, keyRefusal, workingKeySql } from "./lifecycle";
import type { CreateKeyInput, UpdateKeyInput } from "./schemas";
import { assertNameFree, type CreatedKey, getSummary, insertKey, nameTaken, type KeySummary, resolveRestriction, type RestrictionOwner, selectSummaries } from "./store";

/**
 * A person's own keys (Settings > API Keys, the profile, `/api/v1/keys`, the
 * CLI). Every function takes the Caller and asks lib/policy whether it may.
 */

/** My keys, newest first; a key limited to some projects sees only itself. Revoked ones only when asked. */
export async function listKeys(caller: Caller, opts: { includeRevoked?: boolean } = {}): Promise<KeySummary[]> {
  const mine = eq(apiKeys.ownerId, caller.id);
  const all = await selectSummaries(keyListScope(caller) === "self" && caller.key ? and(mine, eq(apiKeys.id, caller.key.id)) : mine);
  return opts.includeRevoked ? all : all.filter((k) => k.status !== "revoked");
}

/** One of my keys, or NotFoundError: someone else's key does not exist for me. */
export async function getOwnKey(caller: Caller, keyId: string): Promise<KeySummary> {
  const key = await getSummary(keyId);
  if (!key || key.ownerId !== caller.id) throw new NotFoundError("Key not found.");
  return key;
}

export async function createPersonalKey(caller: Caller, input: CreateKeyInput, opts: { onlyAsFirstKey?: boolean } = {}): Promise<CreatedKey> {
  assertMayCreateKeys(caller);
  const maker = makerOf(caller);
  try {
    const created = await changeKeys(async (tx, invalidate) => {
      if (opts.onlyAsFirstKey) await assertFirstKey(tx, caller.id);
      await assertNameFree(tx, caller.id, input.name);
      const restriction = input.restriction ? await resolveRestriction(tx, caller.id, input.restriction) : null;
      const policy = await readKeyPolicy(tx);
      const expiresInDays = input.expiresInDays === undefined ? defaultExpiryOf(policy, "pat") : input.expiresInDays;
      assertExpiryWithinPolicy(policy, "pat", expiresInDays);
      const key = await insertKey(tx, invalidate, {
        ownerId: caller.id,
        kind: "pat",
        name: input.name,
        expiresInDays,
        // A key made with a key never outlives it, whatever was asked.
        notAfter: maker?.expiresAt ?? null,
        restriction,
        createdById: caller.id,
        createdByKeyId: maker?.keyId ?? null,
      });
      await writeAudit(tx, actorOf(caller), {
        action: "key.created",
        targetType: "api_key",
        targetId: key.id,
        targetLabel: input.name,
        details: { expiresInDays, restricted: restriction !== null },
      });
      return key;
    });
    return { key: await getOwnKey(caller, created.id), secret: created.secret };
  } catch (error) {
    if (isUniqueViolation(error, "api_keys_owner_name_live_key")) throw nameTaken(input.name);
    throw error;
  }
}

export const DEFAULT_KEY_NAME = "Default";
export const ALREADY_HAS_KEY = "You already have an API key: manage your keys in Settings > API Keys.";

/**
 * The one-click key is for a person without a working key. The owner's row is
 * locked first, so that any number of concurrent clicks are judged one after
 * the other: the first makes the key, the rest find it.
 */
async function assertFirstKey(tx: Tx, ownerId: string): Promise<void> {
  await tx.select({ id: users.id }).from(users).where(eq(users.id, ownerId)).for("no key update");
  const [working] = await tx.select({ id: apiKeys.id }).from(apiKeys).where(and(eq(apiKeys.ownerId, ownerId), workingKeySql())).limit(1);
  if (working) throw new ConflictError(ALREADY_HAS_KEY);
}

/**
 * The profile's one-click first key: "Default", the key policy's default lifetime, all my
 * projects; refused (ConflictError) while any key of mine works. An expired key
 * may still hold the name, so the next free "Default 2", "Default 3"… is taken.
 */
export async function createDefaultKey(caller: Caller): Promise<CreatedKey> {
  for (let n = 1; ; n++) {
    const name = n === 1 ? DEFAULT_KEY_NAME : `${DEFAULT_KEY_NAME} ${n}`;
    try {
      return await createPersonalKey(caller, { name, restriction: null }, { onlyAsFirstKey: true });
    } catch (error) {
      if (!(error instanceof ValidationError && error.fieldErrors?.name) || n >= 50) throw error;
    }
  }
}

export type KeyOverview = { active: number; nextToExpire: { name: string; expiresAt: Date } | null };

/** For the profile: how many of my keys work and are not being replaced, and which of them ends first. */
export async function getKeyOverview(caller: Caller): Promise<KeyOverview> {
  const live = (await listKeys(caller)).filter((k) => isLive(k.status));
  const next = live
    .filter((k): k is KeySummary & { expiresAt: Date } => k.expiresAt !== null)
    .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())[0];
  return { active: live.length, nextToExpire: next ? { name: next.name, expiresAt: next.expiresAt } : null };
}

const lockColumns = {
  id: apiKeys.id, ownerId: apiKeys.ownerId, name: apiKeys.name, kind: apiKeys.kind, revokedAt: apiKeys.revokedAt,
  replacedById: apiKeys.replacedById, graceExpiresAt: apiKeys.graceExpiresAt, expiresAt: apiKeys.expiresAt,
  expiresInDays: apiKeys.expiresInDays, restriction: apiKeys.restriction, createdByKeyId: apiKeys.createdByKeyId,
};

/** The key's row, locked for the rest of the transaction: concurrent changes to one key take turns. */
async function lockKey(tx: Tx, keyId: string) {
  const [row] = await tx.select(lockColumns).from(apiKeys).where(eq(apiKeys.id, keyId)).for("update").limit(1);
  return row;
}

/**
 * Replaces a key with a new one of the same name and restriction, living as
 * long as the old one did unless another lifetime is asked (within the key
 * policy, like the grace period), in one transaction: of two concurrent rotations exactly one wins.
 * The old key stops at once, or when the grace period ends (never later than
 * its own expiry). The new key takes the old one's place: keys the old key
 * made now die with the new one, and a key made by a key stays within its maker's life.
 */
export async function rotateKey(
  caller: Caller,
  keyId: string,
  graceSeconds: number,
  opts: { expiresInDays?: number | null } = {},
): Promise<CreatedKey & { oldKeyStopsAt: Date }> {
  const created = await changeKeys(async (tx, invalidate) => {
    const old = await lockKey(tx, keyId);
    assertMayManageKey(caller, old, "rotate");
    if (old!.revokedAt || old!.replacedById) throw new ConflictError("This key has already been rotated or revoked. Reload the page to see its replacement.");
    if (keyRefusal(old!, Date.now())) throw new ConflictError("This key has expired. Generate a new key instead.");
    const o = old!;
    const policy = await readKeyPolicy(tx);
    assertGraceWithinPolicy(policy, graceSeconds);
    // The new key's lifetime: as asked, else the old key's; either way within the policy.
    const expiresInDays = opts.expiresInDays === undefined ? o.expiresInDays : opts.expiresInDays;
    assertExpiryWithinPolicy(policy, o.kind, expiresInDays);
    const newId = randomUUID();
    const [stopped] = await tx
      .update(apiKeys)
      .set(
        graceSeconds > 0
          ? { replacedById: newId, graceExpiresAt: sql`least(now() + make_interval(secs => ${graceSeconds}), ${apiKeys.expiresAt})` }
          : { replacedById: newId, revokedAt: sql`now()`, revokedById: caller.id, revokedReason: "rotated" },
      )
      .where(eq(apiKeys.id, o.id))
      .returning({ graceExpiresAt: apiKeys.graceExpiresAt, revokedAt: apiKeys.revokedAt });
    const stopsAt = (stopped!.graceExpiresAt ?? stopped!.revokedAt)!;
    const maker = o.createdByKeyId ? (await tx.select({ expiresAt: apiKeys.expiresAt }).from(apiKeys).where(eq(apiKeys.id, o.createdByKeyId)).limit(1))[0] : undefined;
    const key = await insertKey(tx, invalidate, {
      id: newId,
      ownerId: o.ownerId,
      kind: o.kind,
      name: o.name,
      expiresInDays,
      notAfter: maker?.expiresAt ?? null,
      restriction: o.restriction,
      createdById: caller.id,
      createdByKeyId: o.createdByKeyId,
    });
    await tx.update(apiKeys).set({ createdByKeyId: newId }).where(and(eq(apiKeys.createdByKeyId, o.id), isNull(apiKeys.revokedAt)));
    await writeAudit(tx, actorOf(caller), {
      action: "key.rotated",
      targetType: "api_key",
      targetId: o.id,
      targetLabel: o.name,
      details: { newKeyId: newId, graceSeconds, oldKeyStopsAt: stopsAt.toISOString(), expiresInDays },
    });
    await invalidate({ scope: "key", ids: [o.id] });
    return { ...key, oldKeyStopsAt: stopsAt };
  });
  return { key: await getOwnKey(caller, created.id), secret: created.secret, oldKeyStopsAt: created.oldKeyStopsAt };
}

/**
 * Edits a key: its name (unique among the owner's live keys), its expiry
 * (days from now, within the key policy; a key made by a key still never
 * outlives its maker) and its project restriction (within what the owner
 * holds; a project given without a role gets the owner's own role there).
 * The owner edits their own keys; a Global Admin an API account's.
 * One audit event with before and after; cached verifications are dropped.
 */
export async function updateKey(caller: Caller, keyId: string, input: UpdateKeyInput): Promise<KeySummary> {
  // A Global Admin editing an API account's key is told of the account's names and projects, not their own.
  let owner: RestrictionOwner = "you";
  try {
    await changeKeys(async (tx, invalidate) => {
      const key = await lockKey(tx, keyId);
      assertMayEditKey(caller, key);
      const k = key!;
      if (k.ownerId !== caller.id) owner = "the account";
      if (k.revokedAt || keyRefusal(k, Date.now())) throw new ConflictError("This key no longer works, so it cannot be edited.");
      if (k.replacedById) throw new ConflictError("This key is being replaced: edit the key that replaces it.");
      const set: Partial<typeof apiKeys.$inferInsert> = {};
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      let expiry: SQL | null | undefined;
      if (input.name !== undefined && input.name !== k.name) {
        await assertNameFree(tx, k.ownerId, input.name, owner);
        set.name = input.name;
        changes.name = { from: k.name, to: input.name };
      }
      if (input.expiresInDays !== undefined) {
        const policy = await readKeyPolicy(tx);
        assertExpiryWithinPolicy(policy, k.kind, input.expiresInDays);
        const maker = k.createdByKeyId ? (await tx.select({ expiresAt: apiKeys.expiresAt }).from(apiKeys).where(eq(apiKeys.id, k.createdByKeyId)).limit(1))[0] : undefined;
        const days = input.expiresInDays;
        const cap = maker?.expiresAt ? sql`${maker.expiresAt.toISOString()}::timestamptz` : null;
        expiry = days === null ? cap : cap ? sql`least(now() + make_interval(days => ${days}), ${cap})` : sql`now() + make_interval(days => ${days})`;
        set.expiresInDays = days;
        changes.expiresAt = { from: k.expiresAt?.toISOString() ?? null, to: null };
      }
      const restriction = input.restriction ? await resolveRestriction(tx, k.ownerId, input.restriction, owner) : input.restriction;
      if (restriction !== undefined && JSON.stringify(restriction) !== JSON.stringify(k.restriction)) {
        set.restriction = restriction;
        changes.restriction = { from: k.restriction, to: restriction };
      }
      if (!Object.keys(changes).length) return;
      const [updated] = await tx
        .update(apiKeys)
        .set(expiry === undefined ? set : { ...set, expiresAt: expiry })
        .where(eq(apiKeys.id, k.id))
        .returning({ expiresAt: apiKeys.expiresAt });
      if (changes.expiresAt) changes.expiresAt.to = updated!.expiresAt?.toISOString() ?? null;
      await writeAudit(tx, actorOf(caller), { action: "key.edited", targetType: "api_key", targetId: k.id, targetLabel: set.name ?? k.name, details: changes });
      await invalidate({ scope: "key", ids: [k.id] });
    });
  } catch (error) {
    if (input.name && isUniqueViolation(error, "api_keys_owner_name_live_key")) throw nameTaken(input.name, owner);
    throw error;
  }
  return (await getSummary(keyId))!;
}

/** Revokes the key and every key made with it (and made with those), each with its own audit event. */
export async function revokeWithDescendants(tx: Tx, caller: Caller, keyId: string, reason: string): Promise<string[]> {
  const revoke = (ids: string[], why: string) =>
    tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()`, revokedById: caller.id, revokedReason: why })
      .where(and(inArray(apiKeys.id, ids), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, name: apiKeys.name });
  const revoked: string[] = [];
  let frontier = [keyId];
  let why = reason;
  while (frontier.length) {
    const rows = await revoke(frontier, why);
    for (const row of rows) {
      revoked.push(row.id);
      await writeAudit(tx, actorOf(caller), { action: "key.revoked", targetType: "api_key", targetId: row.id, targetLabel: row.name, details: { reason: why } });
    }
    const made = await tx.select({ id: apiKeys.id }).from(apiKeys).where(and(inArray(apiKeys.createdByKeyId, frontier), isNull(apiKeys.revokedAt)));
    frontier = made.map((m) => m.id).filter((id) => !revoked.includes(id));
    why = "made with a revoked key";
  }
  return revoked;
}

/** Revokes one of my keys (and the keys it made); revoking a revoked key changes nothing. */
export async function revokeKey(caller: Caller, keyId: string, reason = "revoked by owner"): Promise<{ name: string; alreadyRevoked: boolean }> {
  return changeKeys(async (tx, invalidate) => {
    const key = await lockKey(tx, keyId);
    assertMayManageKey(caller, key, "revoke");
    if (key!.revokedAt) return { name: key!.name, alreadyRevoked: true };
    const revoked = await revokeWithDescendants(tx, caller, key!.id, reason);
    await invalidate({ scope: "key", ids: revoked });
    return { name: key!.name, alreadyRevoked: false };
  });
}
