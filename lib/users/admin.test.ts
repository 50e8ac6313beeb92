import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { listAuditEvents } from "@/lib/audit/list";
import { auditQuerySchema } from "@/lib/audit/schemas";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { verifyPassword } from "@/lib/users/hashing";
import { getDb } from "@/lib/db/client";
import { apiKeys, auditEvents, memberships, projects, roles, sessions, users } from "@/lib/db/schema";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { regenerateAccountKey, revealAccountKey } from "@/lib/keys/accounts";
import { verifyKey } from "@/lib/keys/verify";
import { createProject, deleteProject, listProjectOptions, listProjects, renameProject } from "@/lib/projects";
import { createRole, deleteRole, listRoleOptions, listRoles, updateRole } from "@/lib/roles";
import { withFreshDatabase } from "@/lib/test/db";
import { addMember, builtInRole, makeProject, makeUser, TEST_CONTEXT } from "@/lib/test/fixtures";
import { createApiAccount, createPerson, deleteUser, listUsers, setUserStatus, updateUser } from "./admin";
import { createApiAccountSchema, userListQuerySchema } from "./schemas";

withFreshDatabase();

type Admin = Awaited<ReturnType<typeof makeUser>>;
let admin: Admin;
beforeAll(async () => {
  admin = await makeUser({ isOrgAdmin: true, name: "Root Admin" });
});

const query = (q: Record<string, string> = {}) => userListQuerySchema.parse(q);

async function expectValidation(promise: Promise<unknown>, field: string, message: RegExp) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).fieldErrors?.[field]?.join(" ")).toMatch(message);
}

describe("API accounts", () => {
  it("Add API Account → Show API Key: the key answers with exactly the two project roles, and disabling stops it at once", async () => {
    const alpha = await makeProject("Alpha");
    const beta = await makeProject("Beta");
    const editor = await builtInRole("Editor");
    const viewer = await builtInRole("Viewer");
    const input = createApiAccountSchema.parse({
      username: "ci-bot",
      memberships: [
        { projectId: alpha.id, roleId: editor.id },
        { projectId: beta.id, roleId: viewer.id },
      ],
    });
    const account = await createApiAccount(admin, input);

    const list = await listUsers(admin, query({ q: "ci-bot" }));
    expect(list.total).toBe(1);
    expect(list.rows[0]).toMatchObject({
      id: account.id,
      kind: "api_account",
      username: "ci-bot",
      status: "active",
      apiAccess: true,
      email: null,
      memberships: [
        { projectName: "Alpha", roleName: "Editor" },
        { projectName: "Beta", roleName: "Viewer" },
      ],
    });
    expect(list.rows[0]!.key?.start).toMatch(/^lk_sa_/);

    const secret = await revealAccountKey(admin, account.id);
    expect(secret).toMatch(/^lk_sa_/);
    expect(secret.endsWith(list.rows[0]!.key!.lastFour)).toBe(true);
    const me = await verifyKey(secret, TEST_CONTEXT);
    expect(me).toMatchObject({ valid: true, owner: { id: account.id, username: "ci-bot", kind: "api_account" } });
    expect(me.valid && me.projects.map((p) => [p.name, p.role])).toEqual([
      ["Alpha", "Editor"],
      ["Beta", "Viewer"],
    ]);

    const db = await getDb();
    const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, account.id));
    expect(row!.passwordHash).toBeNull();
    const audit = await db.select({ action: auditEvents.action, details: auditEvents.details }).from(auditEvents).where(eq(auditEvents.actorId, admin.id));
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["account.created", "key.created", "key.revealed"]));
    expect(JSON.stringify(await db.select().from(auditEvents))).not.toContain(secret);

    await setUserStatus(admin, account.id, "disabled");
    expect(await verifyKey(secret, TEST_CONTEXT)).toMatchObject({ valid: false, code: "owner_disabled" });
    expect((await listUsers(admin, query({ q: "ci-bot" }))).rows[0]!.status).toBe("disabled");
    await setUserStatus(admin, account.id, "active");
    expect(await verifyKey(secret, TEST_CONTEXT)).toMatchObject({ valid: true });

    const fresh = (await regenerateAccountKey(admin, account.id)).secret;
    expect(fresh).not.toBe(secret);
    expect(await verifyKey(secret, TEST_CONTEXT)).toMatchObject({ valid: false, code: "revoked" });
    expect(await revealAccountKey(admin, account.id)).toBe(fresh);

    await expectValidation(deleteUser(admin, account.id, "ci-bo"), "confirm", /Type the username “ci-bot”/);
    await deleteUser(admin, account.id, "ci-bot");
    expect(await verifyKey(fresh, TEST_CONTEXT)).toMatchObject({ valid: false, code: "unknown" });
    expect((await listUsers(admin, query({ q: "ci-bot" }))).total).toBe(0);
    const history = await db.select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.targetId, account.id));
    expect(history.map((h) => h.action)).toEqual(expect.arrayContaining(["account.created", "user.disabled", "user.enabled", "user.deleted"]));
  });

  it("an API account can never sign in to the console", async () => {
    const p = await makeProject();
    await createApiAccount(admin, { username: "no-login", memberships: [{ projectId: p.id, roleId: (await builtInRole("Viewer")).id }] });
    for (const login of ["no-login", "no-login@example.com", ""]) {
      expect(await signInWithPassword(login, "", { ip: "10.0.0.1", userAgent: null })).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it("checks the username: 3–64 of a-z 0-9 . _ -, unique among all users (people too)", () => {
    const bad = (username: string) => createApiAccountSchema.safeParse({ username, memberships: [] }).error?.issues.find((i) => i.path[0] === "username")?.message;
    expect(bad("ab")).toBe("Use at least 3 characters.");
    expect(bad("a".repeat(65))).toBe("Use at most 64 characters.");
    expect(bad("Upper")).toMatch(/lowercase letters/);
    expect(bad("has space")).toMatch(/lowercase letters/);
    expect(bad("ok.name_1-2")).toBeUndefined();
    expect(createApiAccountSchema.safeParse({ username: "fine", memberships: [] }).error?.issues[0]?.message).toBe("Select at least one project.");
  });

  it("refuses a username that a person or another account already has, next to the field", async () => {
    const p = await makeProject();
    const viewer = await builtInRole("Viewer");
    const person = await makeUser();
    const m = [{ projectId: p.id, roleId: viewer.id }];
    await expectValidation(createApiAccount(admin, { username: person.username, memberships: m }), "username", /already taken/);
    await createApiAccount(admin, { username: "twice", memberships: m });
    await expectValidation(createApiAccount(admin, { username: "twice", memberships: m }), "username", /already taken/);
  });

  it("refuses a project that was deleted meanwhile, and creates nothing", async () => {
    const p = await makeProject();
    const viewer = await builtInRole("Viewer");
    const db = await getDb();
    await db.delete(projects).where(eq(projects.id, p.id));
    await expectValidation(createApiAccount(admin, { username: "ghost-project", memberships: [{ projectId: p.id, roleId: viewer.id }] }), "memberships", /no longer exists/);
    expect(await db.select().from(users).where(eq(users.username, "ghost-project"))).toEqual([]);
  });
});

describe("people", () => {
  it("Add User: a server-made initial password, shown once, that must be changed at first sign-in", async () => {
    const p = await makeProject("People project");
    const editor = await builtInRole("Editor");
    const created = await createPerson(admin, { name: "Grace Hopper", email: "Grace@Example.com", isOrgAdmin: false, apiAccess: true, memberships: [{ projectId: p.id, roleId: editor.id }] });
    expect(created.initialPassword.length).toBeGreaterThanOrEqual(20);
    const db = await getDb();
    const [row] = await db.select().from(users).where(eq(users.id, created.id));
    expect(row).toMatchObject({ kind: "human", email: "grace@example.com", mustChangePassword: true, apiAccess: true, isOrgAdmin: false });
    expect(row!.passwordHash).not.toContain(created.initialPassword);
    expect(await verifyPassword(row!.passwordHash, created.initialPassword)).toBe(true);
    expect(JSON.stringify(await db.select().from(auditEvents))).not.toContain(created.initialPassword);
    const listed = await listUsers(admin, query({ q: "grace" }));
    expect(listed.rows[0]!.memberships).toEqual([expect.objectContaining({ projectName: "People project", roleName: "Editor" })]);
    await expectValidation(createPerson(admin, { name: "Again", email: "grace@example.com", isOrgAdmin: false, apiAccess: false, memberships: [] }), "email", /already exists/);
  });

  it("disabling a person ends their sessions for good: enabling them again does not bring a session back", async () => {
    const person = await makeUser();
    const signedIn = await signInWithPassword(person.email!, "a-long-password-123", { ip: "10.0.0.1", userAgent: null });
    expect(signedIn.ok).toBe(true);
    const db = await getDb();
    const live = async () => (await db.select({ n: count() }).from(sessions).where(eq(sessions.userId, person.id)))[0]!.n;
    expect(await live()).toBe(1);
    await setUserStatus(admin, person.id, "disabled");
    expect(await live()).toBe(0);
    await setUserStatus(admin, person.id, "active");
    expect(await live()).toBe(0);
    const [row] = await db.select({ status: users.status }).from(users).where(eq(users.id, person.id));
    expect(row).toEqual({ status: "active" });
  });

  it("editing roles replaces the memberships and changes what the key may do at once", async () => {
    const p1 = await makeProject();
    const p2 = await makeProject();
    const viewer = await builtInRole("Viewer");
    const adminRole = await builtInRole("Admin");
    const acct = await createApiAccount(admin, { username: "edit-me", memberships: [{ projectId: p1.id, roleId: viewer.id }] });
    const secret = await revealAccountKey(admin, acct.id);
    expect(await verifyKey(secret, TEST_CONTEXT, { project: p1.id, permission: "docs:write" })).toMatchObject({ valid: false, code: "forbidden" });
    await updateUser(admin, acct.id, { memberships: [{ projectId: p1.id, roleId: adminRole.id }, { projectId: p2.id, roleId: viewer.id }] });
    expect(await verifyKey(secret, TEST_CONTEXT, { project: p1.id, permission: "docs:write" })).toMatchObject({ valid: true });
    expect(await verifyKey(secret, TEST_CONTEXT, { project: p2.id })).toMatchObject({ valid: true });
    const db = await getDb();
    const changed = await db.select({ details: auditEvents.details }).from(auditEvents).where(eq(auditEvents.targetId, acct.id));
    expect(JSON.stringify(changed)).toContain('"role":"Admin"');
    await expectValidation(updateUser(admin, acct.id, { isOrgAdmin: true }), "isOrgAdmin", /cannot be Global Admins/);
  });
});

describe("the last active Global Admin", () => {
  it("cannot be disabled, deleted or demoted; with a second admin it can", async () => {
    const db = await getDb();
    // Leave exactly one active admin: the fresh one below (others from earlier tests are demoted).
    const solo = await makeUser({ isOrgAdmin: true, name: "Solo Admin" });
    await db.update(users).set({ isOrgAdmin: false }).where(eq(users.isOrgAdmin, true));
    await db.update(users).set({ isOrgAdmin: true }).where(eq(users.id, solo.id));
    const other = await makeUser({ isOrgAdmin: false, name: "Other Admin" });
    const caller = { ...other, isOrgAdmin: true }; // acting as an admin who is not the target

    const refused = async (p: Promise<unknown>, doing: string) => {
      const e = await p.catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ConflictError);
      expect((e as Error).message).toBe(`Solo Admin is the last active Global Admin and cannot be ${doing}. Make another person a Global Admin first.`);
    };
    await refused(setUserStatus(caller, solo.id, "disabled"), "disabled");
    await refused(deleteUser(caller, solo.id, solo.username), "deleted");
    await refused(updateUser(caller, solo.id, { isOrgAdmin: false }), "demoted");
    const [still] = await db.select({ status: users.status, isOrgAdmin: users.isOrgAdmin }).from(users).where(eq(users.id, solo.id));
    expect(still).toEqual({ status: "active", isOrgAdmin: true });

    await updateUser(solo, other.id, { isOrgAdmin: true });
    await updateUser(caller, solo.id, { isOrgAdmin: false });
    const [now] = await db.select({ isOrgAdmin: users.isOrgAdmin }).from(users).where(eq(users.id, solo.id));
    expect(now!.isOrgAdmin).toBe(false);
    // Restore a known admin for later tests.
    await db.update(users).set({ isOrgAdmin: true }).where(eq(users.id, admin.id));
  });

  it("two admins demoting each other at the same moment: exactly one succeeds", async () => {
    const db = await getDb();
    const a = await makeUser({ isOrgAdmin: true, name: "Admin A" });
    const b = await makeUser({ isOrgAdmin: true, name: "Admin B" });
    await db.update(users).set({ isOrgAdmin: false }).where(eq(users.isOrgAdmin, true));
    await db.update(users).set({ isOrgAdmin: true }).where(eq(users.id, a.id));
    await db.update(users).set({ isOrgAdmin: true }).where(eq(users.id, b.id));
    const results = await Promise.allSettled([
      updateUser(a, b.id, { isOrgAdmin: false }),
      updateUser(b, a.id, { isOrgAdmin: false }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const [left] = await db.select({ n: count() }).from(users).where(eq(users.isOrgAdmin, true));
    expect(left!.n).toBe(1);
    await db.update(users).set({ isOrgAdmin: true }).where(eq(users.id, admin.id));
  });

  it("an admin cannot disable or delete themselves", async () => {
    await expect(setUserStatus(admin, admin.id, "disabled")).rejects.toThrow("You cannot disable your own account.");
    await expect(deleteUser(admin, admin.id, admin.username)).rejects.toThrow("You cannot delete your own account.");
  });
});

describe("two admins editing the same user at once", () => {
  it("leave exactly one admin's version, never a mix", async () => {
    const projectsA = await Promise.all([makeProject(), makeProject(), makeProject()]);
    const projectsB = await Promise.all([makeProject(), makeProject()]);
    const viewer = await builtInRole("Viewer");
    const editor = await builtInRole("Editor");
    const second = await makeUser({ isOrgAdmin: true });
    const target = await makeUser();
    const versionA = projectsA.map((p) => ({ projectId: p.id, roleId: viewer.id }));
    const versionB = projectsB.map((p) => ({ projectId: p.id, roleId: editor.id }));
    for (let round = 0; round < 5; round++) {
      await Promise.all([
        updateUser(admin, target.id, { apiAccess: false, memberships: versionA }),
        updateUser(second, target.id, { apiAccess: true, memberships: versionB }),
      ]);
      const db = await getDb();
      const held = await db.select({ projectId: memberships.projectId, roleId: memberships.roleId }).from(memberships).where(eq(memberships.userId, target.id));
      const [row] = await db.select({ apiAccess: users.apiAccess }).from(users).where(eq(users.id, target.id));
      const sorted = (m: { projectId: string; roleId: string }[]) => [...m].sort((x, y) => x.projectId.localeCompare(y.projectId));
      const expected = row!.apiAccess ? versionB : versionA;
      expect(sorted(held)).toEqual(sorted(expected));
    }
  });
});

describe("every admin function refuses a non-admin and changes nothing", () => {
  it("users, accounts, keys, projects, roles and the audit log", async () => {
    const db = await getDb();
    const mallory = await makeUser({ isOrgAdmin: false, name: "Mallory" });
    const victim = await makeUser({ name: "Victim" });
    const project = await makeProject("Guarded");
    const viewer = await builtInRole("Viewer");
    const custom = await createRole(admin, { name: "Guarded role", description: "", permissions: ["docs:read"] });
    const acct = await createApiAccount(admin, { username: "guarded-bot", memberships: [{ projectId: project.id, roleId: viewer.id }] });

    const snapshot = async () => ({
      users: await db.select().from(users).orderBy(users.id),
      memberships: await db.select().from(memberships).orderBy(memberships.userId, memberships.projectId),
      projects: await db.select().from(projects).orderBy(projects.id),
      roles: await db.select().from(roles).orderBy(roles.id),
      keys: await db.select().from(apiKeys).orderBy(apiKeys.id),
      audit: await db.select({ n: count() }).from(auditEvents),
    });
    const before = await snapshot();
    const m = [{ projectId: project.id, roleId: viewer.id }];
    const calls: [string, () => Promise<unknown>][] = [
      ["listUsers", () => listUsers(mallory, query())],
      ["createApiAccount", () => createApiAccount(mallory, { username: "evil-bot", memberships: m })],
      ["createPerson", () => createPerson(mallory, { name: "Evil", email: "evil@example.com", isOrgAdmin: true, apiAccess: true, memberships: [] })],
      ["updateUser (promote self)", () => updateUser(mallory, mallory.id, { isOrgAdmin: true })],
      ["updateUser (other)", () => updateUser(mallory, victim.id, { memberships: m })],
      ["setUserStatus", () => setUserStatus(mallory, victim.id, "disabled")],
      ["deleteUser", () => deleteUser(mallory, victim.id, victim.username)],
      ["revealAccountKey", () => revealAccountKey(mallory, acct.id)],
      ["regenerateAccountKey", () => regenerateAccountKey(mallory, acct.id)],
      ["listProjects", () => listProjects(mallory)],
      ["listProjectOptions", () => listProjectOptions(mallory)],
      ["createProject", () => createProject(mallory, { name: "Evil project" })],
      ["renameProject", () => renameProject(mallory, project.id, { name: "Renamed" })],
      ["deleteProject", () => deleteProject(mallory, project.id, { removeMembers: true })],
      ["listRoles", () => listRoles(mallory)],
      ["listRoleOptions", () => listRoleOptions(mallory)],
      ["createRole", () => createRole(mallory, { name: "Evil", description: "", permissions: ["*"] })],
      ["updateRole", () => updateRole(mallory, custom.id, { name: "Guarded role", description: "", permissions: ["*"] })],
      ["deleteRole", () => deleteRole(mallory, custom.id)],
      ["listAuditEvents", () => listAuditEvents(mallory, auditQuerySchema.parse({}))],
    ];
    for (const [name, call] of calls) {
      const error = await call().then(
        () => "succeeded",
        (e: unknown) => e,
      );
      expect(error instanceof ForbiddenError || error instanceof NotFoundError, `${name} must be refused`).toBe(true);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe("the Users list", () => {
  it("searches name, username and email; filters by type, status and project; sorts and pages", async () => {
    const p = await makeProject("Listing");
    const viewer = await builtInRole("Viewer");
    const zed = await makeUser({ name: "Zed Listing-Person" });
    const amy = await makeUser({ name: "Amy Listing-Person" });
    await addMember(amy.id, p.id, viewer.id);
    const bot = await createApiAccount(admin, { username: "listing-bot", memberships: [{ projectId: p.id, roleId: viewer.id }] });
    await setUserStatus(admin, zed.id, "disabled");

    const names = async (q: Record<string, string>) => (await listUsers(admin, query(q))).rows.map((r) => r.username);
    expect(await names({ q: "LISTING-p", sort: "name.asc" })).toEqual([amy.username, zed.username]);
    expect(await names({ q: "listing-p", sort: "name.desc" })).toEqual([zed.username, amy.username]);
    const ascending = await names({ q: "listing", sort: "name.asc" });
    expect([...ascending].sort()).toEqual([amy.username, "listing-bot", zed.username].sort());
    expect(await names({ q: "listing", sort: "name.desc" })).toEqual([...ascending].reverse());
    expect(await names({ q: zed.email!.slice(0, 8) })).toContain(zed.username);
    expect(await names({ q: "listing", type: "api_account" })).toEqual(["listing-bot"]);
    expect(await names({ q: "listing", status: "disabled" })).toEqual([zed.username]);
    expect((await names({ project: p.id, sort: "name.asc" })).sort()).toEqual([amy.username, "listing-bot"].sort());
    expect(await names({ q: "100%_" })).toEqual([]);

    const all = await listUsers(admin, query({ sort: "created.asc", size: "25" }));
    const [{ n }] = (await (await getDb()).select({ n: count() }).from(users)) as [{ n: number }];
    expect(all.total).toBe(n);
    const newest = await listUsers(admin, query({ sort: "created.desc" }));
    expect(newest.rows[0]!.id).toBe(bot.id);
    const lastPage = Math.ceil(n / 25);
    const tail = await listUsers(admin, query({ sort: "created.desc", page: String(lastPage) }));
    expect(tail.rows.length).toBe(n - (lastPage - 1) * 25);
    expect(tail.rows.at(-1)!.id).toBe(all.rows[0]!.id);
  });

  it("ignores URL values it does not know instead of failing", () => {
    expect(query({ sort: "password.asc", size: "7", page: "-3", type: "root", project: "x" })).toMatchObject({
      sort: { by: "created", desc: true },
      size: 25,
      page: 1,
      type: undefined,
      project: undefined,
    });
  });
});
