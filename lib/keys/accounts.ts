import "server-only";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { actorOf, writeAudit } from "@/lib/audit";
import type { Caller } from "@/lib/caller";
import { getDb, type Tx } from "@/lib/db/client";
import { apiKeys, users } from "@/lib/db/schema";
import { NotFoundError } from "@/lib/errors";
import { assertGlobalAdmin, assertMayAdministerKeys } from "@/lib/policy";
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
export async function createAccountKey(tx: Tx, invalidate: Invalidate, accountId: string, createdById: string | null): Promise<{ id: string; secret: string }> {
  return insertKey(tx, invalidate, { ownerId: accountId, kind: "sa", name: "Default", expiresInDays: null, restriction: null, createdById, createdByKeyId: null });
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

/** Revokes the account's key at once and makes a new one. */
export async function regenerateAccountKey(caller: Caller, accountId: string): Promise<string> {
  assertMayAdministerKeys(caller);
  const result = await changeKeys(async (tx, invalidate) => {
    const [account] = await tx.select({ id: users.id, username: users.username }).from(users).where(and(eq(users.id, accountId), eq(users.kind, "api_account"))).for("update").limit(1);
    if (!account) throw new NotFoundError("Account not found.");
    const old = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()`, revokedById: caller.id, revokedReason: "regenerated" })
      .where(and(eq(apiKeys.ownerId, accountId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    const key = await createAccountKey(tx, invalidate, accountId, caller.id);
    await writeAudit(tx, actorOf(caller), { action: "key.regenerated", targetType: "api_key", targetId: key.id, targetLabel: `${account.username} / Default`, details: { revokedKeyIds: old.map((o) => o.id) } });
    await invalidate({ scope: "owner", id: accountId });
    return key;
  });
  return result.secret;
}
