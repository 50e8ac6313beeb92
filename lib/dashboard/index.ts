import "server-only";
import { and, count, eq, gt, isNull, or, sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { apiKeys, users } from "@/lib/db/schema";

export type DashboardCounts = { users: number; apiAccounts: number; activeKeys: number; expiringSoon: number };

/** Keys that answer right now: not revoked, not expired, not past a rotation's grace period. */
export const liveKeyCondition = () =>
  and(
    isNull(apiKeys.revokedAt),
    or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)),
    or(isNull(apiKeys.graceExpiresAt), gt(apiKeys.graceExpiresAt, sql`now()`)),
  );

export async function getDashboardCounts(): Promise<DashboardCounts> {
  const db = await getDb();
  const [people, accounts, keys] = await Promise.all([
    db.select({ n: count() }).from(users).where(eq(users.kind, "human")),
    db.select({ n: count() }).from(users).where(eq(users.kind, "api_account")),
    db
      .select({
        active: count(),
        expiringSoon: sql<number>`count(*) filter (where ${apiKeys.expiresAt} <= now() + interval '30 days')`.mapWith(Number),
      })
      .from(apiKeys)
      .innerJoin(users, and(eq(users.id, apiKeys.ownerId), eq(users.status, "active")))
      .where(liveKeyCondition()),
  ]);
  return { users: people[0]!.n, apiAccounts: accounts[0]!.n, activeKeys: keys[0]!.active, expiringSoon: keys[0]!.expiringSoon };
}
