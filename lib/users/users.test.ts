import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { signInWithPassword, SIGN_IN_MAX_FAILURES } from "@/lib/auth/sign-in";
import { getDb } from "@/lib/db/client";
import { auditEvents, users } from "@/lib/db/schema";
import { withFreshDatabase } from "@/lib/test/db";
import { createFirstAdmin, ensureAdminFromEnv, isSetupPending, SetupClosedError } from ".";

withFreshDatabase();
const meta = { ip: "10.0.0.1", userAgent: "vitest" };

describe("first admin and sign-in", () => {
  it("creates exactly one first admin, even when two visitors race", async () => {
    expect(await isSetupPending()).toBe(true);
    const results = await Promise.allSettled([
      createFirstAdmin({ name: "A", email: "a@example.com", password: "password-aaaaaa" }, meta),
      createFirstAdmin({ name: "B", email: "b@example.com", password: "password-bbbbbb" }, meta),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(SetupClosedError);
    expect(await isSetupPending()).toBe(false);
    const db = await getDb();
    expect(await db.select({ id: users.id }).from(users).where(eq(users.isOrgAdmin, true))).toHaveLength(1);
  });

  it("ADMIN_EMAIL is idempotent and never overwrites a changed password", async () => {
    expect(await ensureAdminFromEnv("env@example.com", "env-password-123")).toContain("Created Global Admin");
    expect(await ensureAdminFromEnv("env@example.com", "env-password-123")).toContain("is present");
    expect(await ensureAdminFromEnv("env@example.com", "other-password-123")).toContain("left as it is");
    expect(await signInWithPassword("env@example.com", "env-password-123", meta)).toMatchObject({ ok: true });
    expect(await signInWithPassword("env@example.com", "other-password-123", meta)).toMatchObject({ ok: false, reason: "invalid" });
  });

  it("signs in with argon2id-hashed passwords, case-insensitively by email", async () => {
    const db = await getDb();
    const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.email, "env@example.com"));
    expect(row!.hash).toMatch(/^\$argon2id\$/);
    expect(await signInWithPassword("  ENV@example.com ", "env-password-123", meta)).toMatchObject({ ok: true });
  });

  it("refuses disabled people with the same message as a wrong password", async () => {
    const db = await getDb();
    await db.update(users).set({ status: "disabled" }).where(eq(users.email, "env@example.com"));
    expect(await signInWithPassword("env@example.com", "env-password-123", meta)).toEqual({ ok: false, reason: "invalid" });
    await db.update(users).set({ status: "active" }).where(eq(users.email, "env@example.com"));
  });

  it("locks an account after repeated failures, and says until when", async () => {
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) {
      await signInWithPassword("a@example.com", `wrong-${i}`, { ip: `10.1.0.${i}`, userAgent: null });
    }
    const locked = await signInWithPassword("a@example.com", "password-aaaaaa", { ip: "10.2.0.1", userAgent: null });
    expect(locked).toMatchObject({ ok: false, reason: "locked" });
    if (!locked.ok && locked.reason === "locked") {
      const minutes = (locked.retryAt.getTime() - Date.now()) / 60_000;
      expect(minutes).toBeGreaterThan(14);
      expect(minutes).toBeLessThanOrEqual(15);
    }
    const db = await getDb();
    const failed = await db.select().from(auditEvents).where(eq(auditEvents.action, "auth.sign_in_failed"));
    expect(JSON.stringify(failed)).not.toContain("wrong-");
  }, 60_000);

  it("locks an address that tries many accounts", async () => {
    const ip = "10.9.9.9";
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) await signInWithPassword(`nobody${i}@example.com`, "x", { ip, userAgent: null });
    expect(await signInWithPassword("b-or-a@example.com", "x", { ip, userAgent: null })).toMatchObject({ reason: "locked" });
    expect(await signInWithPassword("env@example.com", "env-password-123", { ip: "10.9.9.10", userAgent: null })).toMatchObject({ ok: true });
  }, 60_000);
});
