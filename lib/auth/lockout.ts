import "server-only";
import { createHash } from "node:crypto";
import { desc, eq, type SQL, sql } from "drizzle-orm";
import { writeAudit, type Actor, type AuditEntry } from "@/lib/audit";
import { getDb, type Db, type Tx } from "@/lib/db/client";
import { auditEvents } from "@/lib/db/schema";

/**
 * Password guessing is limited by counting failures in the audit log, so that
 * every instance sees the same count and a restart forgets nothing. The limit
 * holds under concurrency because an attempt is reserved (written as a failure)
 * under an advisory lock before its password is checked: the eleventh of sixty
 * simultaneous attempts already sees ten failures.
 */
export const ATTEMPT_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES = 10;

/** The advisory locks' first key (the two-key form never meets the single-key locks used elsewhere). */
const LOCK_NAMESPACE = 74_205_320;

/** One thing whose failures are limited (an account, an address): the name its attempts take turns on, and which events count. */
export type Counter = { lock: string; failures: SQL };

export type Reserved = { ok: true; eventId: number; failuresBefore: number };
export type Locked = { ok: false; retryAt: Date };

/** Events in the window, for `Counter.failures`. */
export function inWindow(): SQL {
  return sql`${auditEvents.at} > now() - ${ATTEMPT_WINDOW_MS / 1000} * interval '1 second'`;
}

function lockKey(name: string): number {
  return createHash("sha256").update(name).digest().readInt32BE(0);
}

/** The times of the latest MAX_FAILURES events matching `where`, newest first. */
async function latestFailures(db: Db | Tx, where: SQL): Promise<Date[]> {
  const rows = await db.select({ at: auditEvents.at }).from(auditEvents).where(where).orderBy(desc(auditEvents.at)).limit(MAX_FAILURES);
  return rows.map((r) => r.at);
}

/** Locked once MAX_FAILURES failures fall in the window: until the oldest of them leaves it. */
function lockEndsAt(failures: Date[]): Date | undefined {
  return failures.length >= MAX_FAILURES ? new Date(failures[MAX_FAILURES - 1]!.getTime() + ATTEMPT_WINDOW_MS) : undefined;
}

/**
 * Takes every counter's lock (in one global order, so that two attempts never
 * wait on each other), and either answers when the attempt may be made again
 * or writes `failure` and returns its id. The caller then checks the password
 * and calls `settleAttempt`; an attempt never settled (the process stopped)
 * stays a failure.
 */
export async function reserveAttempt(counters: Counter[], actor: Actor, failure: AuditEntry): Promise<Reserved | Locked> {
  const db = await getDb();
  const keys = [...new Set(counters.map((c) => lockKey(c.lock)))].sort((a, b) => a - b);
  return db.transaction(async (tx) => {
    for (const key of keys) await tx.execute(sql`select pg_advisory_xact_lock(${LOCK_NAMESPACE}::int, ${key}::int)`);
    let worst = 0;
    let retryAt: Date | undefined;
    for (const counter of counters) {
      const failures = await latestFailures(tx, counter.failures);
      worst = Math.max(worst, failures.length);
      const ends = lockEndsAt(failures);
      if (ends && (!retryAt || ends > retryAt)) retryAt = ends;
    }
    if (retryAt) return { ok: false, retryAt };
    return { ok: true, eventId: await writeAudit(tx, actor, failure), failuresBefore: worst };
  });
}

/**
 * What the reserved attempt turned out to be: the failure's details, or (pass
 * the transaction of the change it records) the success event it becomes.
 */
export async function settleAttempt(db: Db | Tx, eventId: number, outcome: { action?: string; details: Record<string, unknown> | null }): Promise<void> {
  await db
    .update(auditEvents)
    .set({ ...(outcome.action ? { action: outcome.action } : {}), details: outcome.details })
    .where(eq(auditEvents.id, eventId));
}

export function lockedMessage(retryAt: Date, now = new Date(), what = "failed sign-in attempts"): string {
  const minutes = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 60_000));
  return `Too many ${what}. Try again in ${minutes} minute${minutes === 1 ? "" : "s"} (at ${retryAt.toISOString().slice(11, 16)} UTC).`;
}
