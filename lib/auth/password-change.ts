import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { actorOf } from "@/lib/audit";
import type { Caller } from "@/lib/caller";
import { hashPassword, verifyPassword } from "@/lib/users/hashing";
import { newPasswordSchema } from "@/lib/validation";
import { getDb } from "@/lib/db/client";
import { ATTEMPT_WINDOW_MS, inWindow, lockedMessage, reserveAttempt, settleAttempt } from "@/lib/auth/lockout";
import { endSessions } from "@/lib/users/sessions";
import { auditEvents, users } from "@/lib/db/schema";
import { NotFoundError, ValidationError } from "@/lib/errors";

export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password.").max(256),
    newPassword: newPasswordSchema,
    confirmPassword: z.string({ error: "Enter the new password again." }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "The two new passwords do not match." })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ["newPassword"], message: "Choose a password different from your current one." });
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

export const WRONG_CURRENT_PASSWORD = "Your current password is not correct.";

/**
 * Sets a new password once the current one is proven. It also ends every
 * other session (their rows are deleted) and clears must_change_password;
 * the caller signs the person in again with the new password.
 */
export async function changePassword(caller: Caller, input: Pick<ChangePasswordInput, "currentPassword" | "newPassword">): Promise<void> {
  const userId = caller.id;
  const actor = actorOf(caller);
  const db = await getDb();
  const [user] = await db
    .select({ passwordHash: users.passwordHash, kind: users.kind, status: users.status, email: users.email, username: users.username })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user || user.kind !== "human" || user.status !== "active") throw new NotFoundError("Account not found.");
  // Locked like sign-in, and reserved before the check: a stolen session cannot guess the password at argon2 speed, even in parallel.
  const label = user.email ?? user.username;
  const attempt = await reserveAttempt([changeFailures(userId)], actor, { action: FAILED, targetType: "user", targetId: userId, targetLabel: label });
  if (!attempt.ok) throw new ValidationError({ currentPassword: [lockedMessage(attempt.retryAt, new Date(), "wrong current passwords")] });
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) throw new ValidationError({ currentPassword: [WRONG_CURRENT_PASSWORD] });
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, mustChangePassword: false, updatedAt: new Date() })
      .where(eq(users.id, userId));
    await endSessions(tx, userId);
    await settleAttempt(tx, attempt.eventId, { action: "user.password_changed", details: null });
  });
}

const FAILED = "user.password_change_failed";

/** Wrong current passwords count from the latest password reset by an admin (who then expects a change), within the window. */
function changeFailures(userId: string) {
  const since = sql`coalesce((
    select max(r.id) from ${auditEvents} r
    where r.action = 'user.password_reset' and r.target_id = ${userId}
      and r.at > now() - ${ATTEMPT_WINDOW_MS / 1000} * interval '1 second'), 0)`;
  return {
    lock: `password-change:${userId}`,
    failures: and(eq(auditEvents.action, FAILED), eq(auditEvents.targetId, userId), inWindow(), sql`${auditEvents.id} > ${since}`)!,
  };
}
