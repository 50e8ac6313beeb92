import "server-only";
import { and, count, eq, sql } from "drizzle-orm";
import type { Caller } from "@/lib/caller";
import { getDb } from "@/lib/db/client";
import { apiKeys, memberships, users } from "@/lib/db/schema";
import { expiringSoonSql, liveKeySql } from "@/lib/keys/lifecycle";
import { mayCreateKeys, mayViewOrgStats } from "@/lib/policy";
import { type DailyRequests, getApiRequestsPerDay } from "./api-requests";

/**
 * What the Global Dashboard shows. Global Admins see the organization's
 * figures; everyone else sees only their own keys, never how many people,
 * accounts or keys the organization has.
 */
export type Dashboard = (
  | { scope: "organization"; users: number; apiAccounts: number; activeKeys: number; expiringSoon: number }
  | { scope: "mine"; activeKeys: number; expiringSoon: number; projects: number }
) & {
  /** API requests per day over 30 days, for the same scope: every key, or the viewer's own. */
  requests: DailyRequests[];
  /** Set while the viewer has never had a key: the dashboard says how to start. */
  gettingStarted: { canGenerate: boolean } | null;
};

/** Live keys of active owners (all of them, or one owner's) and how many of those expire soon (lib/keys/lifecycle). */
async function liveKeyCounts(ownerId?: string): Promise<{ active: number; expiringSoon: number }> {
  const db = await getDb();
  const [row] = await db
    .select({
      active: count(),
      expiringSoon: sql<number>`count(*) filter (where ${expiringSoonSql()})`.mapWith(Number),
    })
    .from(apiKeys)
    .innerJoin(users, and(eq(users.id, apiKeys.ownerId), eq(users.status, "active")))
    .where(ownerId ? and(eq(apiKeys.ownerId, ownerId), liveKeySql()) : liveKeySql());
  return { active: row?.active ?? 0, expiringSoon: row?.expiringSoon ?? 0 };
}

export async function getDashboard(viewer: Caller): Promise<Dashboard> {
  const db = await getDb();
  const everHadKey = db.select({ n: count() }).from(apiKeys).where(eq(apiKeys.ownerId, viewer.id));
  const gettingStarted = (owned: number) => (owned === 0 ? { canGenerate: mayCreateKeys(viewer) } : null);

  if (mayViewOrgStats(viewer)) {
    const [people, accounts, keys, [owned], requests] = await Promise.all([
      db.select({ n: count() }).from(users).where(eq(users.kind, "human")),
      db.select({ n: count() }).from(users).where(eq(users.kind, "api_account")),
      liveKeyCounts(),
      everHadKey,
      getApiRequestsPerDay(),
    ]);
    return {
      scope: "organization",
      users: people[0]?.n ?? 0,
      apiAccounts: accounts[0]?.n ?? 0,
      activeKeys: keys.active,
      expiringSoon: keys.expiringSoon,
      requests,
      gettingStarted: gettingStarted(owned?.n ?? 0),
    };
  }
  const [keys, [held], [owned], requests] = await Promise.all([
    liveKeyCounts(viewer.id),
    db.select({ n: count() }).from(memberships).where(eq(memberships.userId, viewer.id)),
    everHadKey,
    getApiRequestsPerDay({ ownerId: viewer.id }),
  ]);
  return {
    scope: "mine",
    activeKeys: keys.active,
    expiringSoon: keys.expiringSoon,
    projects: held?.n ?? 0,
    requests,
    gettingStarted: gettingStarted(owned?.n ?? 0),
  };
}
