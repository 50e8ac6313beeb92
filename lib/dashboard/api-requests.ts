import "server-only";
import { and, eq, gte, sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { apiKeys, apiKeyUsageDaily } from "@/lib/db/schema";

export type DailyRequests = { day: string; accepted: number; refused: number };

const DAY_MS = 86_400_000;

/**
 * API requests per UTC day for the last `days` days, oldest first, every day
 * present (zero when quiet). All keys, or one owner's keys. Counts reach the
 * database in batches, so today's may be a few seconds behind.
 */
export async function getApiRequestsPerDay(opts: { ownerId?: string; days?: number; now?: Date } = {}): Promise<DailyRequests[]> {
  const days = opts.days ?? 30;
  const today = Date.UTC(...utcParts(opts.now ?? new Date()));
  const first = new Date(today - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  const db = await getDb();
  const day = sql<string>`to_char(${apiKeyUsageDaily.day}, 'YYYY-MM-DD')`;
  const base = db
    .select({
      day,
      accepted: sql<number>`coalesce(sum(${apiKeyUsageDaily.accepted}), 0)`.mapWith(Number),
      refused: sql<number>`coalesce(sum(${apiKeyUsageDaily.refused}), 0)`.mapWith(Number),
    })
    .from(apiKeyUsageDaily);
  const rows = await (opts.ownerId
    ? base
        .innerJoin(apiKeys, eq(apiKeys.id, apiKeyUsageDaily.keyId))
        .where(and(eq(apiKeys.ownerId, opts.ownerId), gte(apiKeyUsageDaily.day, first)))
    : base.where(gte(apiKeyUsageDaily.day, first))
  ).groupBy(apiKeyUsageDaily.day);
  const byDay = new Map(rows.map((r) => [r.day, r]));
  return Array.from({ length: days }, (_, i) => {
    const d = new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10);
    const r = byDay.get(d);
    return { day: d, accepted: r?.accepted ?? 0, refused: r?.refused ?? 0 };
  });
}

function utcParts(d: Date): [number, number, number] {
  return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
}
