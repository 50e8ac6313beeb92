import "server-only";
import { and, gt, inArray, sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { apiKeyUsageDaily } from "@/lib/db/schema";

export const USAGE_WINDOW_DAYS = 30;

export type RequestCounts = { accepted: number; refused: number };

/**
 * Requests each key made over the last 30 days (today included), from the
 * daily counters the API's batch recorder writes. Every id asked for is in
 * the answer, with zeros when the key made no request.
 */
export async function getRequestCounts(keyIds: string[]): Promise<Map<string, RequestCounts>> {
  const counts = new Map<string, RequestCounts>(keyIds.map((id) => [id, { accepted: 0, refused: 0 }]));
  if (keyIds.length === 0) return counts;
  const db = await getDb();
  const rows = await db
    .select({
      keyId: apiKeyUsageDaily.keyId,
      accepted: sql<number>`coalesce(sum(${apiKeyUsageDaily.accepted}), 0)`.mapWith(Number),
      refused: sql<number>`coalesce(sum(${apiKeyUsageDaily.refused}), 0)`.mapWith(Number),
    })
    .from(apiKeyUsageDaily)
    .where(
      and(
        inArray(apiKeyUsageDaily.keyId, [...new Set(keyIds)]),
        // Days are UTC dates: 30 days means today and the 29 before it.
        gt(apiKeyUsageDaily.day, sql`(now() at time zone 'utc')::date - ${USAGE_WINDOW_DAYS}::int`),
      ),
    )
    .groupBy(apiKeyUsageDaily.keyId);
  for (const row of rows) counts.set(row.keyId, { accepted: row.accepted, refused: row.refused });
  return counts;
}
