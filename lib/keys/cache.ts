import "server-only";
import { getDatabase } from "@/lib/db/client";

/**
 * Verification results are kept in process for CACHE_TTL_MS. Anything that
 * can make a cached answer wrong (revoke, rotate, disable, delete, role or
 * membership changes) calls one of the invalidate functions: the entry goes
 * at once here and, on Postgres, in every other instance via LISTEN/NOTIFY.
 */
export const CACHE_TTL_MS = 30_000;
export const CACHE_MAX_ENTRIES = 50_000;
const CHANNEL = "latchkey_key_cache";

export type Invalidation = { scope: "key"; id: string } | { scope: "owner"; id: string } | { scope: "all" };

type Entry<T> = { value: T; at: number; keyId?: string; ownerId?: string };

class VerificationCache<T> {
  private entries = new Map<string, Entry<T>>();

  get(hash: string, now = Date.now()): T | undefined {
    const entry = this.entries.get(hash);
    if (!entry) return undefined;
    if (now - entry.at > CACHE_TTL_MS) {
      this.entries.delete(hash);
      return undefined;
    }
    return entry.value;
  }

  set(hash: string, value: T, ids: { keyId?: string; ownerId?: string }): void {
    if (this.entries.size >= CACHE_MAX_ENTRIES) {
      // Oldest first: Map keeps insertion order.
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(hash, { value, at: Date.now(), ...ids });
  }

  apply(event: Invalidation): void {
    if (event.scope === "all") {
      this.entries.clear();
      return;
    }
    for (const [hash, entry] of this.entries) {
      if ((event.scope === "key" ? entry.keyId : entry.ownerId) === event.id) this.entries.delete(hash);
    }
  }

  get size() {
    return this.entries.size;
  }
}

// Next's bundle and server.ts each load this module: one cache per process, on globalThis.
const g = globalThis as unknown as { __latchkeyKeyCache?: VerificationCache<unknown>; __latchkeyListening?: Promise<void> };

export function keyCache<T>(): VerificationCache<T> {
  g.__latchkeyKeyCache ??= new VerificationCache<unknown>();
  return g.__latchkeyKeyCache as VerificationCache<T>;
}

/** Call after the change has committed. */
export async function invalidate(event: Invalidation): Promise<void> {
  keyCache().apply(event);
  const { sql } = await getDatabase();
  if (sql) {
    await sql.notify(CHANNEL, JSON.stringify(event)).catch((error: unknown) => {
      // Other instances still drop the entry within CACHE_TTL_MS.
      console.error("key cache: NOTIFY failed:", error instanceof Error ? error.message : error);
    });
  }
}

/** On Postgres, listen for other instances' invalidations (once per process). */
export function listenForInvalidations(): Promise<void> {
  g.__latchkeyListening ??= (async () => {
    const { sql } = await getDatabase();
    if (!sql) return;
    await sql.listen(
      CHANNEL,
      (payload) => {
        try {
          keyCache().apply(JSON.parse(payload) as Invalidation);
        } catch {
          keyCache().apply({ scope: "all" });
        }
      },
      // Reconnected after a lost connection: anything may have been missed meanwhile.
      () => keyCache().apply({ scope: "all" }),
    );
  })();
  return g.__latchkeyListening;
}
