import "server-only";
import { randomUUID } from "node:crypto";
import { sql as raw } from "drizzle-orm";
import type postgres from "postgres";
import { coarseNow } from "@/lib/clock";
import { getConfig } from "@/lib/config";
import { getDatabase, getDb, onDatabaseClose, type Tx } from "@/lib/db/client";
import { processState } from "@/lib/process-state";
import { type Invalidation, VerificationCache } from "./cache";

/**
 * Keeping every instance's verification cache exact.
 *
 * A change that makes a cached answer wrong (revoke, rotate, disable, delete,
 * role or membership changes) runs through `changeKeys()`: its
 * invalidations are sent with `pg_notify` inside the change's transaction, so
 * they reach the other instances exactly when, and only if, it commits. The
 * instance that made the change drops its own entries after the commit and
 * then waits until every other live instance has acknowledged dropping
 * theirs. So once a revocation has answered, no instance holds the old state.
 *
 * An instance that stops hearing Postgres (its LISTEN connection lost, the
 * database frozen) cannot acknowledge and cannot learn of changes: every
 * instance sends itself a heartbeat each second through Postgres and stops
 * answering from its cache once it has not heard itself for LIVENESS_MS.
 * The changing instance waits for a missing acknowledgement a little longer
 * than that, so even then nobody answers with the old state after it returns.
 * On PGlite there is one process, and the local drop is all there is.
 */
const CHANNEL = "latchkey_key_cache";
const HEARTBEAT_MS = 1_000;
export const LIVENESS_MS = 3_000;
const ACK_TIMEOUT_MS = LIVENESS_MS + 1_000;
// pg_notify payloads are limited to 8000 bytes: large key lists go in several messages.
const IDS_PER_MESSAGE = 150;

/** Everything but the size (KEY_CACHE_MAX_ENTRIES) is fixed: a cached key is re-read at least every 10 minutes. */
export const CACHE_LIMITS = { ttlMs: 10 * 60_000, maxUnknown: 50_000, unknownTtlMs: 60_000 };

export function keyCache<T>(): VerificationCache<T> {
  return processState("keys.cache", () => new VerificationCache<unknown>({ ...CACHE_LIMITS, maxEntries: getConfig().keyCacheMaxEntries })) as VerificationCache<T>;
}

type Message =
  | { t: "inv"; id: string; from: string; e: Invalidation }
  | { t: "ack"; id: string; from: string }
  | { t: "hb"; from: string }
  | { t: "bye"; from: string };

type Waiter = { pending: Set<string>; done: () => void };

class Cluster {
  readonly me = randomUUID();
  private heardSelfAt = -Infinity;
  private readonly peers = new Map<string, number>();
  private readonly waiting = new Map<string, Waiter>();
  private timer: NodeJS.Timeout | undefined;
  private firstHeartbeat: (() => void) | undefined;
  private listening: postgres.ListenMeta | undefined;

  constructor(readonly sql: postgres.Sql) {}

  async start(): Promise<void> {
    const heard = new Promise<void>((resolve) => (this.firstHeartbeat = resolve));
    this.listening = await this.sql.listen(
      CHANNEL,
      (payload) => this.receive(payload),
      // Every (re)connection: whatever was sent while we were not listening is lost, so is the cache.
      () => keyCache().apply({ scope: "all" }),
    );
    this.timer = setInterval(() => void this.send({ t: "hb", from: this.me }), HEARTBEAT_MS).unref();
    await this.send({ t: "hb", from: this.me });
    const late = setTimeout(() => console.error("key cache: no heartbeat heard through Postgres yet; answering from the database until one is."), 5_000);
    await Promise.race([heard, new Promise((r) => setTimeout(r, 5_000).unref())]);
    clearTimeout(late);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.send({ t: "bye", from: this.me });
    await this.listening?.unlisten().catch(() => {});
  }

  /** Whether this instance's cache may answer: it heard itself through Postgres within LIVENESS_MS. */
  trusted(now: number): boolean {
    return now - this.heardSelfAt < LIVENESS_MS;
  }

  private receive(payload: string): void {
    let m: Message;
    try {
      m = JSON.parse(payload) as Message;
    } catch {
      keyCache().apply({ scope: "all" });
      return;
    }
    const now = Date.now();
    if (m.from !== this.me) this.peers.set(m.from, now);
    switch (m.t) {
      case "hb":
        if (m.from === this.me) {
          // Deaf for a while: changes may have gone by unheard.
          if (!this.trusted(now)) keyCache().apply({ scope: "all" });
          this.heardSelfAt = now;
          this.firstHeartbeat?.();
        }
        return;
      case "inv":
        if (m.from === this.me) return; // applied locally after the commit
        keyCache().apply(m.e);
        void this.send({ t: "ack", id: m.id, from: this.me });
        return;
      case "ack":
        this.acknowledged(m.id, m.from);
        return;
      case "bye":
        this.peers.delete(m.from);
        for (const id of [...this.waiting.keys()]) this.acknowledged(id, m.from);
        return;
    }
  }

  private acknowledged(id: string, from: string): void {
    const waiter = this.waiting.get(id);
    if (!waiter) return;
    waiter.pending.delete(from);
    if (!waiter.pending.size) waiter.done();
  }

  private async send(m: Message): Promise<void> {
    await this.sql.notify(CHANNEL, JSON.stringify(m)).catch((error: unknown) => {
      console.error(`key cache: NOTIFY ${m.t} failed:`, error instanceof Error ? error.message : error);
    });
  }

  /**
   * Inside the change's transaction: queues the messages (sent by Postgres at commit) and starts
   * waiting for the live peers' acknowledgements. The returned function waits for them after the commit.
   */
  async stage(tx: Tx, events: Invalidation[]): Promise<{ settle: () => Promise<void>; cancel: () => void }> {
    const now = Date.now();
    const live = [...this.peers].filter(([, at]) => now - at < LIVENESS_MS).map(([peer]) => peer);
    const ids: string[] = [];
    const waits: Promise<boolean>[] = [];
    for (const e of events) {
      const id = randomUUID();
      ids.push(id);
      if (live.length) {
        waits.push(
          new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(false), ACK_TIMEOUT_MS);
            this.waiting.set(id, { pending: new Set(live), done: () => (clearTimeout(timer), resolve(true)) });
          }),
        );
      }
      await tx.execute(raw`select pg_notify(${CHANNEL}, ${JSON.stringify({ t: "inv", id, from: this.me, e } satisfies Message)})`);
    }
    const cancel = () => ids.forEach((id) => this.waiting.delete(id));
    return {
      cancel,
      settle: async () => {
        const answers = await Promise.all(waits);
        cancel();
        if (answers.includes(false)) {
          console.error("key cache: an instance did not acknowledge an invalidation in time; it has stopped answering from its cache.");
        }
      },
    };
  }
}

function cluster(): Cluster | undefined {
  return processState<{ current?: Cluster }>("keys.cluster", () => ({})).current;
}

/**
 * On Postgres: listen for the other instances' invalidations and start the
 * heartbeat (once per database client). Until it runs, the cache is not used.
 */
export async function listenForInvalidations(): Promise<void> {
  const { sql } = await getDatabase();
  if (!sql) return;
  const slot = processState<{ current?: Cluster; starting?: Promise<void> }>("keys.cluster", () => ({}));
  if (slot.current?.sql === sql) return slot.starting;
  const c = new Cluster(sql);
  slot.current = c;
  slot.starting = c.start();
  onDatabaseClose(async () => {
    if (slot.current === c) slot.current = undefined;
    await c.stop();
  });
  return slot.starting;
}

/** Whether the cache may answer now (always on PGlite; on Postgres while this instance hears itself). */
export function cacheTrusted(kind: "pglite" | "postgres"): boolean {
  if (kind === "pglite") return true;
  return cluster()?.trusted(coarseNow()) ?? false;
}

function split(e: Invalidation): Invalidation[] {
  if (e.scope !== "key" || e.ids.length <= IDS_PER_MESSAGE) return [e];
  const out: Invalidation[] = [];
  for (let i = 0; i < e.ids.length; i += IDS_PER_MESSAGE) out.push({ scope: "key", ids: e.ids.slice(i, i + IDS_PER_MESSAGE) });
  return out;
}

/** Declares, inside changeKeys, what a change makes stale (sent with its commit). */
export type Invalidate = (e: Invalidation) => Promise<void>;

/**
 * Runs a change to keys, owners, roles or projects in one transaction.
 * `invalidate` declares what the change makes stale; when this returns, the
 * change has committed and no instance's cache holds the old answers.
 */
export async function changeKeys<R>(work: (tx: Tx, invalidate: Invalidate) => Promise<R>): Promise<R> {
  const db = await getDb();
  const c = cluster();
  const events: Invalidation[] = [];
  const staged: Awaited<ReturnType<Cluster["stage"]>>[] = [];
  let result: R;
  try {
    result = await db.transaction((tx) =>
      work(tx, async (e) => {
        const parts = split(e);
        events.push(...parts);
        if (c) staged.push(await c.stage(tx, parts));
      }),
    );
  } catch (error) {
    // Rolled back: Postgres sent nothing, there is nothing to wait for.
    for (const s of staged) s.cancel();
    throw error;
  }
  const cache = keyCache();
  for (const e of events) cache.apply(e);
  await Promise.all(staged.map((s) => s.settle()));
  return result;
}
