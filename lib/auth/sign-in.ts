import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { auditEvents, users } from "@/lib/db/schema";
import { ATTEMPT_WINDOW_MS, type Counter, inWindow, lockedMessage, MAX_FAILURES, reserveAttempt, settleAttempt } from "./lockout";
import { verifyPassword } from "@/lib/users/hashing";
import { createSession } from "@/lib/users/sessions";

export { lockedMessage };
export const SIGN_IN_WINDOW_MS = ATTEMPT_WINDOW_MS;
export const SIGN_IN_MAX_FAILURES = MAX_FAILURES;
const SLOW_AFTER = 3;

export type SignInResult =
  | { ok: true; user: { id: string; email: string; name: string; sessionId: string } }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "locked"; retryAt: Date };

export const INVALID_CREDENTIALS = "Invalid email or password";

const FAILED = "auth.sign_in_failed";
const SIGNED_IN = "auth.signed_in";

/**
 * An account's failures count from its latest sign-in or password reset
 * (events later in the log have larger ids); an address's never start again
 * within the window.
 */
function accountFailures(email: string): Counter {
  const since = sql`coalesce((
    select max(r.id) from ${auditEvents} r
    where r.action in (${SIGNED_IN}, 'user.password_reset') and r.target_label = ${email}
      and r.at > now() - ${ATTEMPT_WINDOW_MS / 1000} * interval '1 second'), 0)`;
  return {
    lock: `sign-in:account:${email}`,
    failures: and(eq(auditEvents.action, FAILED), eq(auditEvents.targetLabel, email), inWindow(), sql`${auditEvents.id} > ${since}`)!,
  };
}

function addressFailures(ip: string): Counter {
  return { lock: `sign-in:address:${ip}`, failures: and(eq(auditEvents.action, FAILED), eq(auditEvents.ip, ip), inWindow())! };
}

/**
 * Checks an email and password, at most SIGN_IN_MAX_FAILURES wrong ones per
 * account and per address in the window however many arrive at once, and on
 * success opens a session (its id goes into the session cookie).
 */
export async function signInWithPassword(
  rawEmail: string,
  password: string,
  meta: { ip: string; userAgent: string | null },
): Promise<SignInResult> {
  const email = rawEmail.trim().toLowerCase().slice(0, 320);
  const db = await getDb();
  const [user] = await db
    .select({ id: users.id, name: users.name, passwordHash: users.passwordHash, status: users.status, kind: users.kind })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  const actor = { id: user?.id ?? null, label: email, ...meta };
  const attempt = await reserveAttempt([accountFailures(email), addressFailures(meta.ip)], actor, {
    action: FAILED,
    targetType: "user",
    targetId: user?.id,
    targetLabel: email,
    // Until the check below settles it; an attempt cut short stays a failure.
    details: { reason: "pending" },
  });
  if (!attempt.ok) return { ok: false, reason: "locked", retryAt: attempt.retryAt };
  if (attempt.failuresBefore >= SLOW_AFTER) {
    await new Promise((r) => setTimeout(r, Math.min(2000, 250 * 2 ** (attempt.failuresBefore - SLOW_AFTER))));
  }

  const passwordOk = await verifyPassword(user?.kind === "human" ? user.passwordHash : null, password);
  if (!user || !passwordOk || user.status !== "active") {
    await settleAttempt(db, attempt.eventId, { details: { reason: !user ? "unknown_email" : !passwordOk ? "wrong_password" : "disabled" } });
    return { ok: false, reason: "invalid" };
  }
  const sessionId = await db.transaction(async (tx) => {
    await tx.update(users).set({ lastLoginAt: sql`now()`, lastActiveAt: sql`now()` }).where(eq(users.id, user.id));
    await settleAttempt(tx, attempt.eventId, { action: SIGNED_IN, details: null });
    return createSession(tx, user.id, meta);
  });
  return { ok: true, user: { id: user.id, email, name: user.name, sessionId } };
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
