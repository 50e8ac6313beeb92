import "server-only";
import { sql } from "drizzle-orm";
import { coarseNow } from "@/lib/clock";
import { getDb } from "@/lib/db/client";

/**
 * Key usage counted in memory and written in batches: every FLUSH_EVERY_MS
 * (and at shutdown) one multi-row upsert into api_key_usage_daily and one
 * UPDATE of api_keys.last_used_*, however many requests came in. Never a
 * database write per request. A crash loses at most the last interval.
 */
export const FLUSH_EVERY_MS = 5_000;

type Counts = { keyId: string; day: string; accepted: number; refused: number };
type LastUsed = { at: number; ip: string | null };

class UsageRecorder {
  private counts = new Map<string, Counts>();
  private lastUsed = new Map<string, LastUsed>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private day = "";
  private dayEndsAt = 0;

  /** UTC day of `now`, recomputed only when the day changes (this runs on every request). */
  private dayOf(now: number): string {
    if (now >= this.dayEndsAt || now < this.dayEndsAt - 86_400_000) {
      const d = new Date(now);
      this.day = d.toISOString().slice(0, 10);
      this.dayEndsAt = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
    }
    return this.day;
  }

  /** Accepted requests also move the key's "last used" time and address. */
  record(keyId: string, outcome: "accepted" | "refused", ip: string | null, now = coarseNow()): void {
    const day = this.dayOf(now);
    const id = `${keyId}|${day}`;
    let c = this.counts.get(id);
    if (!c) {
      c = { keyId, day, accepted: 0, refused: 0 };
      this.counts.set(id, c);
    }
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
    return this.counts.size + this.lastUsed.size;
  }

  /** Writes what has been counted so far; concurrent calls share one write. */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (!this.counts.size && !this.lastUsed.size) return;
    const counts = [...this.counts.values()];
    const lastUsed = [...this.lastUsed.entries()];
    this.counts = new Map();
    this.lastUsed = new Map();
    try {
      const db = await getDb();
      if (counts.length) {
        const rows = sql.join(
          counts.map((c) => sql`(${c.keyId}::uuid, ${c.day}::date, ${c.accepted}::int, ${c.refused}::int)`),
          sql`, `,
        );
        // Joined to api_keys so that a key deleted since (its owner deleted) is skipped, not a foreign-key error.
        await db.execute(sql`
          insert into api_key_usage_daily (key_id, day, accepted, refused)
          select v.key_id, v.day, v.accepted, v.refused
          from (values ${rows}) as v(key_id, day, accepted, refused)
          join api_keys k on k.id = v.key_id
          on conflict (key_id, day) do update set
            accepted = api_key_usage_daily.accepted + excluded.accepted,
            refused = api_key_usage_daily.refused + excluded.refused`);
      }
      if (lastUsed.length) {
        const rows = sql.join(
          lastUsed.map(([keyId, u]) => sql`(${keyId}::uuid, ${new Date(u.at).toISOString()}::timestamptz, ${u.ip}::text)`),
          sql`, `,
        );
        // Several instances flush independently: never move "last used" backwards.
        await db.execute(sql`
          update api_keys set last_used_at = v.at, last_used_ip = v.ip
          from (values ${rows}) as v(id, at, ip)
          where api_keys.id = v.id and (api_keys.last_used_at is null or api_keys.last_used_at < v.at)`);
        // Using a key is activity: API accounts never sign in, so this is their only "Last active".
        await db.execute(sql`
          update users set last_active_at = o.at
          from (select k.owner_id, max(v.at) as at from (values ${rows}) as v(id, at, ip)
                join api_keys k on k.id = v.id group by k.owner_id) as o
          where users.id = o.owner_id and (users.last_active_at is null or users.last_active_at < o.at)`);
      }
    } catch (error) {
      // Put the counts back for the next attempt rather than lose them to a passing database hiccup.
      for (const c of counts) {
        const id = `${c.keyId}|${c.day}`;
        const now = this.counts.get(id);
        if (now) {
          now.accepted += c.accepted;
          now.refused += c.refused;
        } else this.counts.set(id, c);
      }
      for (const [keyId, u] of lastUsed) {
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
