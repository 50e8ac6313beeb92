import "server-only";
import { and, desc, eq, gt, sql, type SQL } from "drizzle-orm";
import { writeAudit } from "@/lib/audit";
import { getDb } from "@/lib/db/client";
import { auditEvents, users } from "@/lib/db/schema";
import { verifyPassword } from "./password";

export const SIGN_IN_WINDOW_MS = 15 * 60 * 1000;
export const SIGN_IN_MAX_FAILURES = 10;
const SLOW_AFTER = 3;

export type SignInResult =
  | { ok: true; user: { id: string; email: string; name: string; sessionVersion: number } }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "locked"; retryAt: Date };

export const INVALID_CREDENTIALS = "Invalid email or password";

export function lockedMessage(retryAt: Date, now = new Date(), what = "failed sign-in attempts"): string {
  const minutes = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 60_000));
  return `Too many ${what}. Try again in ${minutes} minute${minutes === 1 ? "" : "s"} (at ${retryAt.toISOString().slice(11, 16)} UTC).`;
}

/**
 * Failures are read from the audit log, so every instance sees the same count
 * and a restart forgets nothing. An account's count starts again after a
 * successful sign-in; an address's does not.
 */
async function recentFailures(email: string, ip: string, since: Date): Promise<{ count: number; retryAt?: Date }> {
  const db = await getDb();
  const [account] = await db.select({ lastLoginAt: users.lastLoginAt }).from(users).where(eq(users.email, email)).limit(1);
  const accountSince = account?.lastLoginAt && account.lastLoginAt > since ? account.lastLoginAt : since;
  const failed = eq(auditEvents.action, "auth.sign_in_failed");
  const [byAccount, byIp] = await Promise.all([
    latestFailures(and(failed, eq(auditEvents.targetLabel, email), gt(auditEvents.at, accountSince))!),
    latestFailures(and(failed, eq(auditEvents.ip, ip), gt(auditEvents.at, since))!),
  ]);
  const worst = byAccount.length >= byIp.length ? byAccount : byIp;
  return { count: worst.length, retryAt: lockEndsAt(worst) };
}

/** The times of the latest SIGN_IN_MAX_FAILURES audit events matching `where`, newest first. */
export async function latestFailures(where: SQL): Promise<Date[]> {
  const db = await getDb();
  const rows = await db.select({ at: auditEvents.at }).from(auditEvents).where(where).orderBy(desc(auditEvents.at)).limit(SIGN_IN_MAX_FAILURES);
  return rows.map((r) => r.at);
}

/** Locked once SIGN_IN_MAX_FAILURES failures fall in the window: until the oldest of them leaves it. */
export function lockEndsAt(failures: Date[]): Date | undefined {
  return failures.length >= SIGN_IN_MAX_FAILURES ? new Date(failures[SIGN_IN_MAX_FAILURES - 1]!.getTime() + SIGN_IN_WINDOW_MS) : undefined;
}

export async function signInWithPassword(
  rawEmail: string,
  password: string,
  meta: { ip: string; userAgent: string | null },
): Promise<SignInResult> {
  const email = rawEmail.trim().toLowerCase().slice(0, 320);
  const now = new Date();
  const { count, retryAt } = await recentFailures(email, meta.ip, new Date(now.getTime() - SIGN_IN_WINDOW_MS));
  if (retryAt) return { ok: false, reason: "locked", retryAt };
  if (count >= SLOW_AFTER) {
    await new Promise((r) => setTimeout(r, Math.min(2000, 250 * 2 ** (count - SLOW_AFTER))));
  }

  const db = await getDb();
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, passwordHash: users.passwordHash, status: users.status, kind: users.kind, sessionVersion: users.sessionVersion })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  const passwordOk = await verifyPassword(user?.kind === "human" ? user.passwordHash : null, password);
  if (!user || !passwordOk || user.status !== "active") {
    await writeAudit(db, { id: user?.id ?? null, label: email, ...meta }, {
      action: "auth.sign_in_failed",
      targetType: "user",
      targetId: user?.id,
      targetLabel: email,
      details: { reason: !user ? "unknown_email" : !passwordOk ? "wrong_password" : "disabled" },
    });
    return { ok: false, reason: "invalid" };
  }
  await db.transaction(async (tx) => {
    await tx.update(users).set({ lastLoginAt: now, lastActiveAt: now }).where(eq(users.id, user.id));
    await writeAudit(tx, { id: user.id, label: email, ...meta }, { action: "auth.signed_in", targetType: "user", targetId: user.id, targetLabel: email });
  });
  return { ok: true, user: { id: user.id, email, name: user.name, sessionVersion: user.sessionVersion } };
}

/** Throttled: a person clicking around writes at most once a minute. */
const lastTouched = new Map<string, number>();
export async function touchLastActive(userId: string): Promise<void> {
  const now = Date.now();
  if ((lastTouched.get(userId) ?? 0) > now - 60_000) return;
  lastTouched.set(userId, now);
  if (lastTouched.size > 10_000) lastTouched.clear();
  const db = await getDb();
  await db.update(users).set({ lastActiveAt: sql`now()` }).where(eq(users.id, userId));
}
