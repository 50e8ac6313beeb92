import { and, asc, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/users/hashing";
import { getDb } from "@/lib/db/client";
import { auditEvents, sessions, users } from "@/lib/db/schema";
import { ValidationError } from "@/lib/errors";
import { withFreshDatabase } from "@/lib/test/db";
import { makeUser } from "@/lib/test/fixtures";
import { changePassword, changePasswordSchema, WRONG_CURRENT_PASSWORD } from "./password-change";
import { signInWithPassword } from "./sign-in";

withFreshDatabase();

const CURRENT = "a-long-password-123"; // the fixtures' password

async function row(id: string) {
  const db = await getDb();
  const [u] = await db.select().from(users).where(eq(users.id, id));
  return u!;
}

describe("changePassword", () => {
  it("refuses a wrong current password, changes nothing, and notes the attempt", async () => {
    const user = await makeUser();
    const before = await row(user.id);
    const attempt = changePassword(user, { currentPassword: "not-the-password", newPassword: "a-brand-new-password" });
    await expect(attempt).rejects.toThrow(ValidationError);
    await expect(attempt).rejects.toMatchObject({ fieldErrors: { currentPassword: [WRONG_CURRENT_PASSWORD] } });
    const after = await row(user.id);
    expect(after.passwordHash).toBe(before.passwordHash);
    expect(after.updatedAt).toEqual(before.updatedAt);
    const db = await getDb();
    const events = await db.select().from(auditEvents).where(eq(auditEvents.targetId, user.id));
    expect(events.map((e) => e.action)).toContain("user.password_change_failed");
  });

  it("after ten wrong current passwords in 15 minutes, refuses even the right one and says when to retry", async () => {
    const user = await makeUser();
    const wrong = () => changePassword(user, { currentPassword: "not-the-password", newPassword: "a-brand-new-password" });
    for (let i = 0; i < 10; i++) await expect(wrong()).rejects.toMatchObject({ fieldErrors: { currentPassword: [WRONG_CURRENT_PASSWORD] } });
    const right = changePassword(user, { currentPassword: CURRENT, newPassword: "a-brand-new-password" });
    await expect(right).rejects.toMatchObject({ fieldErrors: { currentPassword: [expect.stringMatching(/^Too many wrong current passwords\. Try again in 15 minutes \(at \d\d:\d\d UTC\)\.$/)] } });
    expect(await verifyPassword((await row(user.id)).passwordHash, CURRENT)).toBe(true);
    // Another person is not affected.
    const other = await makeUser();
    await expect(changePassword(other, { currentPassword: CURRENT, newPassword: "a-brand-new-password" })).resolves.toBeUndefined();
  });

  it("60 simultaneous attempts check at most ten current passwords; the right one later in the burst is locked out", async () => {
    for (let i = 0; i < (process.env.DATABASE_URL ? 6 : 3); i++) {
      const user = await makeUser();
      const attempts = Array.from({ length: 60 }, (_, n) =>
        changePassword(user, { currentPassword: n === 15 ? CURRENT : `wrong-${n}-password`, newPassword: "a-brand-new-password" }).then(
          () => "changed",
          (e: ValidationError) => e.fieldErrors?.currentPassword?.[0] ?? String(e),
        ),
      );
      const results = await Promise.all(attempts);
      const db = await getDb();
      const recorded = await db
        .select({ id: auditEvents.id, action: auditEvents.action })
        .from(auditEvents)
        .where(and(eq(auditEvents.targetId, user.id), inArray(auditEvents.action, ["user.password_change_failed", "user.password_changed"])))
        .orderBy(asc(auditEvents.id));
      const failures = recorded.filter((e) => e.action === "user.password_change_failed");
      const changed = recorded.filter((e) => e.action === "user.password_changed");
      // Ten wrong ones checked at most; while the right one is checked it counts as a failure.
      expect(failures.length).toBeLessThanOrEqual(10);
      expect(failures.length).toBeGreaterThanOrEqual(10 - changed.length);
      expect(results.filter((r) => r === WRONG_CURRENT_PASSWORD)).toHaveLength(failures.length);
      expect(results.filter((r) => r.startsWith("Too many wrong current passwords."))).toHaveLength(60 - recorded.length);
      expect(results.filter((r) => r === "changed")).toHaveLength(changed.length);
      expect(await verifyPassword((await row(user.id)).passwordHash, changed.length ? "a-brand-new-password" : CURRENT)).toBe(true);
    }
  }, 180_000);

  it("sets the new password, ends other sessions, clears must_change_password, and audits without the password", async () => {
    const user = await makeUser();
    const db = await getDb();
    await db.update(users).set({ mustChangePassword: true }).where(eq(users.id, user.id));
    expect((await signInWithPassword(user.email!, CURRENT, { ip: "10.0.0.2", userAgent: null })).ok).toBe(true);
    await changePassword(user, { currentPassword: CURRENT, newPassword: "a-brand-new-password" });
    expect(await db.select().from(sessions).where(eq(sessions.userId, user.id))).toEqual([]);
    const after = await row(user.id);
    expect(await verifyPassword(after.passwordHash, "a-brand-new-password")).toBe(true);
    expect(await verifyPassword(after.passwordHash, CURRENT)).toBe(false);
    expect(after.mustChangePassword).toBe(false);
    const events = await db.select().from(auditEvents).where(eq(auditEvents.targetId, user.id));
    const changed = events.find((e) => e.action === "user.password_changed");
    expect(changed).toMatchObject({ actorId: user.id, ip: "127.0.0.1", userAgent: "vitest" });
    expect(JSON.stringify(events)).not.toContain("a-brand-new-password");
    expect(JSON.stringify(events)).not.toContain(CURRENT);
  });
});

describe("changePasswordSchema", () => {
  const parse = (v: Record<string, string>) => changePasswordSchema.safeParse(v);
  it("wants 12 characters, a matching confirmation, and a different password", () => {
    expect(parse({ currentPassword: "old-password-1", newPassword: "short", confirmPassword: "short" }).error?.issues[0]?.message).toBe("Use at least 12 characters.");
    expect(parse({ currentPassword: "old-password-1", newPassword: "new-password-12", confirmPassword: "new-password-13" }).error?.issues[0]).toMatchObject({
      path: ["confirmPassword"],
      message: "The two new passwords do not match.",
    });
    expect(parse({ currentPassword: "same-password-1", newPassword: "same-password-1", confirmPassword: "same-password-1" }).error?.issues[0]?.path).toEqual(["newPassword"]);
    expect(parse({ currentPassword: "old-password-1", newPassword: "new-password-12", confirmPassword: "new-password-12" }).success).toBe(true);
  });
});
