import "server-only";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { actorOf, writeAudit } from "@/lib/audit";
import type { Caller } from "@/lib/caller";
import type { Tx } from "@/lib/db/client";
import { apiKeys, users } from "@/lib/db/schema";
import { NotFoundError } from "@/lib/errors";
import { assertMayAdministerKeys } from "@/lib/policy";
import { maskKey } from "./format";
import { changeKeys } from "./invalidation";
import { revokeWithDescendants } from "./personal";
import { REVOKED_BY_ADMIN } from "./store";

/**
 * A Global Admin revoking keys that are not (necessarily) theirs: one key,
 * several at once, or every key of a person or API account (when someone
 * leaves). Each revoked key is one `key.revoked_by_admin` audit event naming
 * the admin, the key and its owner; the owner's list then says "Revoked by an
 * administrator". Keys made with a revoked key die with it (lib/keys/personal.ts).
 * Nothing here ever reads or shows a secret.
 */

export type AdminRevocation = {
  /** Keys this call revoked (those asked for; keys made with them are in `alsoRevoked`). */
  revoked: number;
  /** Keys asked for that were already revoked: nothing changed for them. */
  alreadyRevoked: number;
  /** Keys made with a revoked key (through the API), revoked with it. */
  alsoRevoked: number;
};

type Locked = { id: string; name: string; start: string; lastFour: string; revokedAt: Date | null; ownerId: string; ownerName: string; ownerUsername: string; ownerKind: "human" | "api_account" };

const lockedColumns = {
  id: apiKeys.id, name: apiKeys.name, start: apiKeys.start, lastFour: apiKeys.lastFour, revokedAt: apiKeys.revokedAt,
  ownerId: users.id, ownerName: users.name, ownerUsername: users.username, ownerKind: users.kind,
};

async function revokeLocked(tx: Tx, caller: Caller, keys: Locked[], scope: "key" | "selection" | "owner"): Promise<{ result: AdminRevocation; ids: string[] }> {
  const live = keys.filter((k) => !k.revokedAt);
  const ids = live.map((k) => k.id);
  if (ids.length) {
    await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()`, revokedById: caller.id, revokedReason: REVOKED_BY_ADMIN })
      .where(and(inArray(apiKeys.id, ids), isNull(apiKeys.revokedAt)));
  }
  for (const k of live) {
    await writeAudit(tx, actorOf(caller), {
      action: "key.revoked_by_admin",
      targetType: "api_key",
      targetId: k.id,
      targetLabel: `${k.ownerUsername} / ${k.name}`,
      // The owner by name too: the sentence still names them after the account is deleted.
      details: { name: k.name, key: maskKey(k.start, k.lastFour), owner: { id: k.ownerId, name: k.ownerName, username: k.ownerUsername, kind: k.ownerKind }, scope, ...(scope === "key" ? {} : { of: keys.length }) },
    });
  }
  const also: string[] = [];
  if (ids.length) {
    const made = await tx.select({ id: apiKeys.id }).from(apiKeys).where(and(inArray(apiKeys.createdByKeyId, ids), isNull(apiKeys.revokedAt)));
    for (const m of made) {
      if (also.includes(m.id)) continue;
      also.push(...(await revokeWithDescendants(tx, caller, m.id, "made with a revoked key")));
    }
  }
  return { result: { revoked: live.length, alreadyRevoked: keys.length - live.length, alsoRevoked: also.length }, ids: [...ids, ...also] };
}

function lockKeys(tx: Tx, where: ReturnType<typeof eq>) {
  // Locked in id order: two admins revoking overlapping selections take turns instead of deadlocking.
  return tx.select(lockedColumns).from(apiKeys).innerJoin(users, eq(users.id, apiKeys.ownerId)).where(where).orderBy(asc(apiKeys.id)).for("update", { of: apiKeys });
}

/** Revokes any one key of the organization; revoking a revoked key changes nothing. */
export async function adminRevokeKey(caller: Caller, keyId: string): Promise<AdminRevocation & { name: string; owner: string }> {
  assertMayAdministerKeys(caller);
  return changeKeys(async (tx, invalidate) => {
    const [key] = await lockKeys(tx, eq(apiKeys.id, keyId));
    if (!key) throw new NotFoundError("Key not found.");
    const { result, ids } = await revokeLocked(tx, caller, [key], "key");
    if (ids.length) await invalidate({ scope: "key", ids });
    return { ...result, name: key.name, owner: key.ownerName };
  });
}

/** Revokes the selected keys together, all or nothing: an id that does not exist refuses the whole request. */
export async function adminRevokeKeys(caller: Caller, keyIds: string[]): Promise<AdminRevocation> {
  assertMayAdministerKeys(caller);
  const wanted = [...new Set(keyIds)];
  return changeKeys(async (tx, invalidate) => {
    const keys = wanted.length ? await lockKeys(tx, inArray(apiKeys.id, wanted)) : [];
    if (keys.length !== wanted.length) {
      throw new NotFoundError(wanted.length - keys.length === 1 ? "A selected key no longer exists. Reload the page." : "Some selected keys no longer exist. Reload the page.");
    }
    const { result, ids } = await revokeLocked(tx, caller, keys, "selection");
    if (ids.length) await invalidate({ scope: "key", ids });
    return result;
  });
}

/** "Revoke all keys": every key of the person or API account that is not revoked yet. */
export async function adminRevokeAllKeysOf(caller: Caller, userId: string): Promise<AdminRevocation & { owner: string }> {
  assertMayAdministerKeys(caller);
  return changeKeys(async (tx, invalidate) => {
    // The owner's row is locked first: a key made meanwhile waits, then is seen by the next revocation.
    const [owner] = await tx.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, userId)).for("update").limit(1);
    if (!owner) throw new NotFoundError("User not found.");
    const keys = await lockKeys(tx, and(eq(apiKeys.ownerId, userId), isNull(apiKeys.revokedAt))!);
    const { result, ids } = await revokeLocked(tx, caller, keys, "owner");
    if (ids.length) await invalidate({ scope: "key", ids });
    return { ...result, owner: owner.name };
  });
}
