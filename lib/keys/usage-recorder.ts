import "server-only";
import { sql } from "drizzle-orm";
import { coarseNow } from "@/lib/clock";
import { databaseKind, getDb } from "@/lib/db/client";

/**
 * Key usage counted in memory and written in batches: every FLUSH_EVERY_MS
 * (and at shutdown) one upsert into api_key_usage_daily, one UPDATE of
 * api_keys.last_used_* and one of the owners' last activity per chunk of
 * CHUNK keys, however many requests came in. Each statement takes its rows as
 * a few array parameters (`unnest`), so 200,000 distinct keys in an interval
 * are sixty statements, not a parameter per value (Postgres allows 65,535).
 * A chunk is small enough to finish well inside the database's statement
 * timeout (lib/db/deadline.ts), even on a busy server. PGlite runs each
 * statement on this process's own thread, so there a chunk is PGLITE_CHUNK
 * keys and the flush yields between statements: requests answered from the
 * cache wait at most one short statement, never the whole flush.
 * Never a database write per request. A crash loses at most the last interval.
 */
export const FLUSH_EVERY_MS = 5_000;
export const CHUNK = 10_000;
export const PGLITE_CHUNK = 500;

type Counts = { accepted: number; refused: number };
type LastUsed = { at: number; ip: string | null };
/** Counts by UTC day, then by key: a request costs two Map lookups and no string building. */
type DayCounts = Map<string, Map<string, Counts>>;

/** A Postgres array literal of text, every element quoted: one parameter, whatever the strings hold. */
function textArray(items: readonly (string | null)[]): string {
  return `{${items.map((v) => (v === null ? "NULL" : `"${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)).join(",")}}`;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Lets the requests that arrived meanwhile be answered before the next statement (PGlite shares this thread). */
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

class UsageRecorder {
  private counts: DayCounts = new Map();
  private lastUsed = new Map<string, LastUsed>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private day = "";
  private dayEndsAt = 0;
  private today: Map<string, Counts> | undefined;

  /** UTC day of `now`, recomputed only when the day changes (this runs on every request). */
  private dayOf(now: number): string {
    if (now >= this.dayEndsAt || now < this.dayEndsAt - 86_400_000) {
      const d = new Date(now);
      this.day = d.toISOString().slice(0, 10);
      this.dayEndsAt = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
      this.today = undefined;
    }
    return this.day;
  }

  /** Accepted requests also move the key's "last used" time and address. */
  record(keyId: string, outcome: "accepted" | "refused", ip: string | null, now = coarseNow()): void {
    const day = this.dayOf(now);
    let byKey = this.today;
    if (!byKey) {
      byKey = this.counts.get(day);
      if (!byKey) this.counts.set(day, (byKey = new Map()));
      this.today = byKey;
    }
    let c = byKey.get(keyId);
    if (!c) byKey.set(keyId, (c = { accepted: 0, refused: 0 }));
    c[outcome]++;
    if (outcome === "accepted") {
      const last = this.lastUsed.get(keyId);
      if (last) {
        last.at = now;
        last.ip = ip;
      } else this.lastUsed.set(keyId, { at: now, ip });
    }
    this.timer ??= setInterval(() => void this.flush(), FLUSH_EVERY_MS).unref();
  }

  get pending(): number {
    let n = this.lastUsed.size;
    for (const byKey of this.counts.values()) n += byKey.size;
    return n;
  }

  /** Writes what has been counted so far; concurrent calls share one write. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (!this.counts.size && !this.lastUsed.size) return;
    const counts = this.counts;
    const lastUsed = this.lastUsed;
    this.counts = new Map();
    this.lastUsed = new Map();
    this.today = undefined;
    const rows: { keyId: string; day: string; c: Counts }[] = [];
    for (const [day, byKey] of counts) for (const [keyId, c] of byKey) rows.push({ keyId, day, c });
    const used = [...lastUsed];
    let countsWritten = 0;
    let usedWritten = 0;
    try {
      const db = await getDb();
      const embedded = databaseKind() === "pglite";
      const size = embedded ? PGLITE_CHUNK : CHUNK;
      const pause = embedded ? yieldToRequests : async () => {};
      for (const part of chunks(rows, size)) {
        await pause();
        // Joined to api_keys so that a key deleted since (its owner deleted) is skipped, not a foreign-key error.
        await db.execute(sql`
          insert into api_key_usage_daily (key_id, day, accepted, refused)
          select v.key_id, v.day, v.accepted, v.refused
          from unnest(${textArray(part.map((r) => r.keyId))}::uuid[], ${textArray(part.map((r) => r.day))}::date[],
                      ${`{${part.map((r) => r.c.accepted).join(",")}}`}::int[], ${`{${part.map((r) => r.c.refused).join(",")}}`}::int[])
               as v(key_id, day, accepted, refused)
          join api_keys k on k.id = v.key_id
          on conflict (key_id, day) do update set
            accepted = api_key_usage_daily.accepted + excluded.accepted,
            refused = api_key_usage_daily.refused + excluded.refused`);
        countsWritten += part.length;
      }
      for (const part of chunks(used, size)) {
        await pause();
        const values = sql`unnest(${textArray(part.map(([id]) => id))}::uuid[],
                                  ${textArray(part.map(([, u]) => new Date(u.at).toISOString()))}::timestamptz[],
                                  ${textArray(part.map(([, u]) => u.ip))}::text[]) as v(id, at, ip)`;
        // Several instances flush independently: never move "last used" backwards.
        await db.execute(sql`
          update api_keys set last_used_at = v.at, last_used_ip = v.ip
          from ${values}
          where api_keys.id = v.id and (api_keys.last_used_at is null or api_keys.last_used_at < v.at)`);
        await pause();
        // Using a key is activity: API accounts never sign in, so this is their only "Last active".
        await db.execute(sql`
          update users set last_active_at = o.at
          from (select k.owner_id, max(v.at) as at from ${values} join api_keys k on k.id = v.id group by k.owner_id) as o
          where users.id = o.owner_id and (users.last_active_at is null or users.last_active_at < o.at)`);
        usedWritten += part.length;
      }
    } catch (error) {
      // Put back what was not written, for the next attempt, rather than lose it to a passing database hiccup.
      for (const { keyId, day, c } of rows.slice(countsWritten)) {
        let byKey = this.counts.get(day);
        if (!byKey) this.counts.set(day, (byKey = new Map()));
        const now = byKey.get(keyId);
        if (now) {
          now.accepted += c.accepted;
          now.refused += c.refused;
        } else byKey.set(keyId, c);
      }
      this.today = undefined;
      for (const [keyId, u] of used.slice(usedWritten)) {
        const now = this.lastUsed.get(keyId);
        if (!now || now.at < u.at) this.lastUsed.set(keyId, u);
      }
      console.error("key usage: flush failed, will retry:", error instanceof Error ? error.message : error);
    }
  }

  /** At shutdown: one last flush, and no timer keeping the process alive. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}

const g = globalThis as unknown as { __latchkeyUsage?: UsageRecorder };

export function usageRecorder(): UsageRecorder {
  g.__latchkeyUsage ??= new UsageRecorder();
  return g.__latchkeyUsage;
}
