import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { apiKeys, auditEvents, sessions, users } from "@/lib/db/schema";
import { ConflictError, ForbiddenError } from "@/lib/errors";
import { createApiAccount, resetPassword, signOutEverywhere } from "@/lib/users/admin";
import { changePassword } from "@/lib/auth/password-change";
import { withFreshDatabase } from "@/lib/test/db";
import { builtInRole, makeProject, makeUser } from "@/lib/test/fixtures";
import { verifyPassword } from "@/lib/users/hashing";
import { endOtherSessions, endSession, getSessionUserBySession } from "@/lib/users/sessions";
import { SIGN_IN_MAX_FAILURES, signInWithPassword } from "./sign-in";

withFreshDatabase();

const PASSWORD = "a-long-password-123"; // the fixtures' password
type Person = Awaited<ReturnType<typeof makeUser>>;
let admin: Person;
beforeAll(async () => {
  admin = await makeUser({ isOrgAdmin: true, name: "Root Admin" });
});

let n = 0;
/** Signs in as the console does and returns the session id the cookie would carry. */
async function session(person: Person, password = PASSWORD): Promise<string> {
  const result = await signInWithPassword(person.email!, password, { ip: `10.5.0.${++n}`, userAgent: "vitest" });
  if (!result.ok) throw new Error(`sign-in refused: ${result.reason}`);
  return result.user.sessionId;
}

const live = (person: Person, sid: string) => getSessionUserBySession(person.id, sid).then((u) => !!u);

async function events(targetId: string, action: string) {
  const db = await getDb();
  return db.select().from(auditEvents).where(and(eq(auditEvents.targetId, targetId), eq(auditEvents.action, action)));
}

describe("console sessions", () => {
  it("a sign-in opens a session that ends with SESSION_MAX_AGE, and only for its own person", async () => {
    const bob = await makeUser();
    const sid = await session(bob);
    expect(await getSessionUserBySession(bob.id, sid)).toMatchObject({ id: bob.id, email: bob.email, sessionId: sid });
    expect(await getSessionUserBySession(admin.id, sid)).toBeUndefined();
    expect(await getSessionUserBySession(bob.id, "not-a-uuid")).toBeUndefined();
    const db = await getDb();
    const [row] = await db.select().from(sessions).where(eq(sessions.id, sid));
    const seconds = (row!.expiresAt.getTime() - row!.createdAt.getTime()) / 1000;
    expect(seconds).toBe(28_800);
    await db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, sid));
    expect(await live(bob, sid)).toBe(false);
  });

  it("signing out ends that session only", async () => {
    const bob = await makeUser();
    const [one, two] = [await session(bob), await session(bob)];
    await endSession(one);
    expect(await live(bob, one)).toBe(false);
    expect(await live(bob, two)).toBe(true);
  });

  it("sign out of all other sessions keeps this one, and is audited", async () => {
    const bob = await makeUser();
    const [mine, other, third] = [await session(bob), await session(bob), await session(bob)];
    expect(await endOtherSessions({ ...bob, sessionId: mine })).toBe(2);
    expect([await live(bob, mine), await live(bob, other), await live(bob, third)]).toEqual([true, false, false]);
    expect(await events(bob.id, "user.signed_out_other_sessions")).toMatchObject([{ actorId: bob.id, details: { sessionsEnded: 2 } }]);
  });

  it("changing the password ends every session", async () => {
    const bob = await makeUser();
    const sid = await session(bob);
    await changePassword(bob, { currentPassword: PASSWORD, newPassword: "a-brand-new-password" });
    expect(await live(bob, sid)).toBe(false);
  });
});

describe("Sign out everywhere (Global Admins)", () => {
  it("ends every session of the person, not anyone else's, and is audited", async () => {
    const bob = await makeUser();
    const carol = await makeUser();
    const bobs = [await session(bob), await session(bob)];
    const carols = await session(carol);
    expect(await signOutEverywhere(admin, bob.id)).toEqual({ sessionsEnded: 2 });
    for (const sid of bobs) expect(await live(bob, sid)).toBe(false);
    expect(await live(carol, carols)).toBe(true);
    expect(await events(bob.id, "user.signed_out_everywhere")).toMatchObject([{ actorId: admin.id, targetLabel: bob.email, details: { sessionsEnded: 2 } }]);
    // Bob may sign in again at once.
    expect(await live(bob, await session(bob))).toBe(true);
  });

  it("is refused to a non-admin, and changes nothing", async () => {
    const bob = await makeUser();
    const mallory = await makeUser();
    const sid = await session(bob);
    await expect(signOutEverywhere(mallory, bob.id)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await live(bob, sid)).toBe(true);
    expect(await events(bob.id, "user.signed_out_everywhere")).toHaveLength(0);
  });

  it("is refused for an API account", async () => {
    const p = await makeProject();
    const account = await createApiAccount(admin, { username: `sa-${++n}`, memberships: [{ projectId: p.id, roleId: (await builtInRole("Viewer")).id }] });
    await expect(signOutEverywhere(admin, account.id)).rejects.toBeInstanceOf(ConflictError);
  });
});

describe("password reset (Global Admins)", () => {
  it("sets a temporary password the person must change, ends their sessions, and audits without the password", async () => {
    const bob = await makeUser();
    const sid = await session(bob);
    const { temporaryPassword } = await resetPassword(admin, bob.id);
    expect(temporaryPassword).toMatch(/^[A-Za-z0-9]{6}(-[A-Za-z0-9]{6}){3}$/);
    expect(await live(bob, sid)).toBe(false);
    expect(await signInWithPassword(bob.email!, PASSWORD, { ip: "10.6.0.1", userAgent: null })).toEqual({ ok: false, reason: "invalid" });
    expect(await signInWithPassword(bob.email!, temporaryPassword, { ip: "10.6.0.1", userAgent: null })).toMatchObject({ ok: true });
    const db = await getDb();
    const [row] = await db.select().from(users).where(eq(users.id, bob.id));
    expect(row!.mustChangePassword).toBe(true);
    expect(await verifyPassword(row!.passwordHash, temporaryPassword)).toBe(true);
    const audited = await events(bob.id, "user.password_reset");
    expect(audited).toMatchObject([{ actorId: admin.id, targetLabel: bob.email, details: { sessionsEnded: 1 } }]);
    expect(JSON.stringify(await db.select().from(auditEvents))).not.toContain(temporaryPassword);
    // The temporary password changes like any other, and then it is gone.
    await changePassword(bob, { currentPassword: temporaryPassword, newPassword: "bobs-own-password-1" });
    expect(await signInWithPassword(bob.email!, temporaryPassword, { ip: "10.6.0.1", userAgent: null })).toEqual({ ok: false, reason: "invalid" });
  });

  it("lifts the account's sign-in lock-out: the person who forgot their password is not made to wait", async () => {
    const bob = await makeUser();
    await Promise.all(Array.from({ length: SIGN_IN_MAX_FAILURES }, (_, i) => signInWithPassword(bob.email!, `guess-${i}-password`, { ip: `10.7.0.${i}`, userAgent: null })));
    expect(await signInWithPassword(bob.email!, PASSWORD, { ip: "10.7.1.1", userAgent: null })).toMatchObject({ reason: "locked" });
    const { temporaryPassword } = await resetPassword(admin, bob.id);
    expect(await signInWithPassword(bob.email!, temporaryPassword, { ip: "10.7.1.1", userAgent: null })).toMatchObject({ ok: true });
  }, 60_000);

  it("is refused to a non-admin, for an API account and for oneself, changing nothing", async () => {
    const bob = await makeUser();
    const mallory = await makeUser();
    const sid = await session(bob);
    const db = await getDb();
    const before = (await db.select().from(users).where(eq(users.id, bob.id)))[0]!;
    await expect(resetPassword(mallory, bob.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(resetPassword(admin, admin.id)).rejects.toBeInstanceOf(ConflictError);
    const p = await makeProject();
    const account = await createApiAccount(admin, { username: `sa-${++n}`, memberships: [{ projectId: p.id, roleId: (await builtInRole("Viewer")).id }] });
    await expect(resetPassword(admin, account.id)).rejects.toBeInstanceOf(ConflictError);
    const after = (await db.select().from(users).where(eq(users.id, bob.id)))[0]!;
    expect(after).toEqual(before);
    expect(await live(bob, sid)).toBe(true);
    const [accountRow] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, account.id));
    expect(accountRow!.passwordHash).toBeNull();
    expect(await db.select().from(apiKeys).where(eq(apiKeys.ownerId, account.id))).toHaveLength(1);
    expect(await events(bob.id, "user.password_reset")).toHaveLength(0);
  });
});
