import "server-only";
import { and, eq, gt, sql } from "drizzle-orm";
import { z } from "zod";
import { writeAudit, type Actor } from "@/lib/audit";
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "@/lib/auth/password";
import { getDb } from "@/lib/db/client";
import { latestFailures, lockedMessage, lockEndsAt, SIGN_IN_WINDOW_MS } from "@/lib/auth/sign-in";
import { auditEvents, users } from "@/lib/db/schema";
import { NotFoundError, ValidationError } from "@/lib/errors";

export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password.").max(256),
    newPassword: z
      .string({ error: `Use at least ${MIN_PASSWORD_LENGTH} characters.` })
      .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
      .max(256, "Use at most 256 characters."),
    confirmPassword: z.string({ error: "Enter the new password again." }),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "The two new passwords do not match." })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ["newPassword"], message: "Choose a password different from your current one." });
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

export const WRONG_CURRENT_PASSWORD = "Your current password is not correct.";

/**
 * Sets a new password once the current one is proven. It also ends every
 * other session (session_version moves on) and clears must_change_password;
 * the caller signs the person in again with the new password.
 */
export async function changePassword(userId: string, input: Pick<ChangePasswordInput, "currentPassword" | "newPassword">, actor: Actor): Promise<void> {
  const db = await getDb();
  const [user] = await db
    .select({ passwordHash: users.passwordHash, kind: users.kind, status: users.status, email: users.email, username: users.username })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user || user.kind !== "human" || user.status !== "active") throw new NotFoundError("Account not found.");
  const now = new Date();
  // Locked like sign-in (counted from the audit log): a stolen session cannot guess the password at argon2 speed.
  const windowStart = new Date(now.getTime() - SIGN_IN_WINDOW_MS);
  const retryAt = lockEndsAt(await latestFailures(and(eq(auditEvents.action, "user.password_change_failed"), eq(auditEvents.targetId, userId), gt(auditEvents.at, windowStart))!));
  if (retryAt) throw new ValidationError({ currentPassword: [lockedMessage(retryAt, now, "wrong current passwords")] });
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    await writeAudit(db, actor, { action: "user.password_change_failed", targetType: "user", targetId: userId, targetLabel: user.email ?? user.username });
    throw new ValidationError({ currentPassword: [WRONG_CURRENT_PASSWORD] });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, mustChangePassword: false, sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
      .where(eq(users.id, userId));
    await writeAudit(tx, actor, { action: "user.password_changed", targetType: "user", targetId: userId, targetLabel: user.email ?? user.username });
  });
}
