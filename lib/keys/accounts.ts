import "server-only";
import { randomUUID } from "node:crypto";
import { and, desc, eq, isNull, ne, sql } from "drizzle-orm";
import { actorOf, writeAudit } from "@/lib/audit";
import type { Caller } from "@/lib/caller";
import { getDb, type Tx } from "@/lib/db/client";
import { apiKeys, type KeyRestriction, users } from "@/lib/db/schema";
import { NotFoundError } from "@/lib/errors";
import { assertGlobalAdmin, assertMayAdministerKeys } from "@/lib/policy";
import { assertExpiryWithinPolicy, assertGraceWithinPolicy, defaultExpiryOf } from "@/lib/policy/key-policy";
import { readKeyPolicy } from "./key-policy";
import { changeKeys, type Invalidate } from "./invalidation";
import { open } from "./secret-box";
import { insertKey } from "./store";

/**
 * API-account keys: one live key per account, kept encrypted so that a Global
 * Admin can "Show API Key". They belong to the organization, not to the admin
 * who made them: they do not die with the admin's key.
 */

/**
 * Makes the account's key inside a transaction whose function has already
 * asked the policy (account creation, regeneration; seeds). The secret is for
 * a caller that hands it over at once (the REST API's create answer); the
 * console shows it only through "Show API Key".
 */
export async function createAccountKey(
  tx: Tx,
  invalidate: Invalidate,
  accountId: string,
  createdById: string | null,
  opts: { id?: string; expiresInDays?: number | null; name?: string; restriction?: KeyRestriction | null } = {},
): Promise<{ id: string; secret: string; expiresInDays: number | null }> {
  const policy = await readKeyPolicy(tx);
  // Left out: the policy's longest lifetime for API-account keys, or none when it sets none.
  const expiresInDays = opts.expiresInDays === undefined ? defaultExpiryOf(policy, "sa") : opts.expiresInDays;
  assertExpiryWithinPolicy(policy, "sa", expiresInDays);
  const key = await insertKey(tx, invalidate, { id: opts.id, ownerId: accountId, kind: "sa", name: opts.name ?? "Default", expiresInDays, restriction: opts.restriction ?? null, createdById, createdByKeyId: null });
  return { ...key, expiresInDays };
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
export async function revealAccountKey(caller: Caller, accountId: string): Promise<string> {
  assertGlobalAdmin(caller);
  assertMayAdministerKeys(caller);
  const db = await getDb();
  return db.transaction(async (tx) => {
    const key = await liveAccountKey(tx, accountId);
    if (!key?.encryptedSecret) throw new NotFoundError("This account has no key to show. Regenerate one.");
    const secret = open(key.encryptedSecret, key.id);
    await writeAudit(tx, actorOf(caller), { action: "key.revealed", targetType: "api_key", targetId: key.id, targetLabel: `${key.username} / ${key.name}` });
    return secret;
  });
}

/**
 * Makes the account a new key and retires the old one: at once, or (like a
 * rotation) when the chosen grace period ends, never later than its own
 * expiry. The new key keeps the old one's name and project restriction, and
 * lives as long as it unless another lifetime is asked; both within the key policy.
 */
export async function regenerateAccountKey(
  caller: Caller,
  accountId: string,
  opts: { graceSeconds?: number; expiresInDays?: number | null } = {},
): Promise<{ secret: string; oldKeyStopsAt: Date | null }> {
  assertMayAdministerKeys(caller);
  const graceSeconds = opts.graceSeconds ?? 0;
  const result = await changeKeys(async (tx, invalidate) => {
    const [account] = await tx.select({ id: users.id, username: users.username }).from(users).where(and(eq(users.id, accountId), eq(users.kind, "api_account"))).for("update").limit(1);
    if (!account) throw new NotFoundError("Account not found.");
    const policy = await readKeyPolicy(tx);
    assertGraceWithinPolicy(policy, graceSeconds);
    const [current] = await tx
      .select({ id: apiKeys.id, expiresInDays: apiKeys.expiresInDays, name: apiKeys.name, restriction: apiKeys.restriction })
      .from(apiKeys)
      .where(and(eq(apiKeys.ownerId, accountId), isNull(apiKeys.revokedAt), isNull(apiKeys.replacedById)))
      .orderBy(desc(apiKeys.createdAt))
      .limit(1);
    const newId = randomUUID();
    let stopsAt: Date | null = null;
    let kept: string[] = [];
    if (graceSeconds > 0 && current) {
      const [graced] = await tx
        .update(apiKeys)
        .set({ replacedById: newId, graceExpiresAt: sql`least(now() + make_interval(secs => ${graceSeconds}), ${apiKeys.expiresAt})` })
        .where(eq(apiKeys.id, current.id))
        .returning({ id: apiKeys.id, graceExpiresAt: apiKeys.graceExpiresAt });
      stopsAt = graced!.graceExpiresAt;
      kept = [graced!.id];
    }
    // Every other key of the account stops now (with no grace, the current one too).
    const old = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()`, revokedById: caller.id, revokedReason: "regenerated" })
      .where(and(eq(apiKeys.ownerId, accountId), isNull(apiKeys.revokedAt), ...(kept.length ? [ne(apiKeys.id, kept[0]!)] : [])))
      .returning({ id: apiKeys.id });
    const key = await createAccountKey(tx, invalidate, accountId, caller.id, {
      id: newId,
      expiresInDays: opts.expiresInDays === undefined ? (current ? current.expiresInDays : undefined) : opts.expiresInDays,
      // Like a rotation, the new key keeps the name and the project restriction an admin gave the old one.
      name: current?.name,
      restriction: current?.restriction,
    });
    await writeAudit(tx, actorOf(caller), {
      action: "key.regenerated",
      targetType: "api_key",
      targetId: key.id,
      targetLabel: `${account.username} / ${current?.name ?? "Default"}`,
      details: { revokedKeyIds: old.map((o) => o.id), graceSeconds, oldKeyStopsAt: stopsAt?.toISOString() ?? null, expiresInDays: key.expiresInDays },
    });
    await invalidate({ scope: "owner", id: accountId });
    return { secret: key.secret, oldKeyStopsAt: stopsAt };
  });
  return result;
}
