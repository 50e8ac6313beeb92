import { type APIRequestContext, type APIResponse, expect, test } from "@playwright/test";
import { seedDatabase, type Seeded } from "./support/api";
import { expectProblem as expectProblemOf } from "./support/problem";
import { freshDatabase, startServer, type TestServer } from "./support/server";

/** The Global-Admin-only endpoints under /api/v1/admin, against the real server. */
test.describe.configure({ mode: "serial" });

let server: TestServer;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let s: Seeded;
/** Every secret seen in this spec: none may appear where it should not. */
const secrets: string[] = [];

test.beforeAll(async () => {
  db = await freshDatabase();
  s = seedDatabase(db, {
    users: [
      { ref: "root", name: "Root Admin", email: "root@example.com", isOrgAdmin: true },
      { ref: "deputy", name: "Deputy Admin", isOrgAdmin: true },
      { ref: "alice", name: "Alice Example", email: "alice@example.com" },
      { ref: "gone", name: "Gone User", disabled: true },
      { ref: "svc", kind: "api_account" },
    ],
    projects: [
      { ref: "billing", name: "Billing" },
      { ref: "docs", name: "Docs" },
      { ref: "vault", name: "Vault" },
    ],
    memberships: [
      { user: "root", project: "billing", role: "Admin" },
      { user: "alice", project: "billing", role: "Editor" },
      { user: "alice", project: "docs", role: "Viewer" },
      { user: "svc", project: "billing", role: "Viewer" },
    ],
    keys: [
      { ref: "root", user: "root", name: "Root" },
      { ref: "rootLimited", user: "root", name: "Billing only", restriction: [{ project: "billing", role: "Viewer" }] },
      { ref: "deputy", user: "deputy", name: "Deputy" },
      { ref: "alice", user: "alice", name: "Laptop" },
      { ref: "svc", user: "svc", name: "Default" },
    ],
  });
  secrets.push(...Object.values(s.keys).map((k) => k.secret));
  server = await startServer({ API_AUTH_FAILURE_LIMIT: "100000", API_RATE_LIMIT: "100000" }, db);
});
test.afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const api = (path: string) => `${server.url}/api/v1${path}`;
const bearer = (key: string) => ({ authorization: `Bearer ${s.keys[key]?.secret ?? key}` });
const expectProblem = (res: APIResponse, status: number, code: string) => expectProblemOf(res, status, code, secrets);

type Method = "get" | "post" | "patch" | "delete";
const send = (request: APIRequestContext, as: string, method: Method, path: string, data?: unknown) =>
  request.fetch(api(path), { method: method.toUpperCase(), headers: bearer(as), ...(data === undefined ? {} : { data }) });

async function ok<T = Record<string, unknown>>(res: APIResponse, status = 200): Promise<T> {
  expect(res.status(), await res.text()).toBe(status);
  return (await res.json()) as T;
}

type Me = { owner: { username: string; kind: string }; projects: { name: string; role: string; permissions: string[] }[] };
const me = async (request: APIRequestContext, secret: string) => request.get(api("/me"), { headers: { authorization: `Bearer ${secret}` } });
const projectRolesOf = async (request: APIRequestContext, secret: string) =>
  ((await ok<Me>(await me(request, secret))).projects ?? []).map((p) => `${p.name}: ${p.role}`);

type User = { id: string; username: string; kind: string; status: string; isOrgAdmin: boolean; name: string; memberships: { projectName: string; roleName: string }[] };

test.describe("who may call /admin", () => {
  test("every admin endpoint refuses a non-admin, an API account and a Global Admin's restricted key, and changes nothing", async ({ request }) => {
    const role = await ok<{ role: { id: string } }>(await send(request, "root", "post", "/admin/roles", { name: "Reader", permissions: ["reports:read"] }), 201);
    // Last active moves with the admin's own key use (written every few seconds): not a change anyone made.
    const people = async () => JSON.parse(JSON.stringify(await (await send(request, "root", "get", "/admin/users?pageSize=100")).json(), (k, v: unknown) => (k === "lastActiveAt" ? undefined : v)));
    const before = {
      users: await people(),
      projects: await (await send(request, "root", "get", "/admin/projects")).json(),
      roles: await (await send(request, "root", "get", "/admin/roles")).json(),
      audit: (await ok<{ total: number }>(await send(request, "root", "get", "/admin/audit-events"))).total,
    };
    const { alice, root, gone, svc } = s.users;
    const calls: [Method, string, unknown?][] = [
      ["get", "/admin/users"],
      ["get", `/admin/users/${alice!.id}`],
      ["post", "/admin/api-accounts", { username: "sneaky-bot", memberships: [{ projectId: s.projects.vault!.id, roleId: s.roles.Admin }] }],
      ["post", "/admin/users", { name: "Sneaky", email: "sneaky@example.com", isOrgAdmin: true }],
      ["patch", `/admin/users/${alice!.id}`, { isOrgAdmin: true, memberships: [{ projectId: s.projects.vault!.id, roleId: s.roles.Admin }] }],
      ["post", `/admin/users/${root!.id}/disable`],
      ["post", `/admin/users/${gone!.id}/enable`],
      ["delete", `/admin/users/${svc!.id}?confirm=svc`],
      ["post", `/admin/api-accounts/${svc!.id}/key/regenerate`],
      ["get", "/admin/projects"],
      ["post", "/admin/projects", { name: "Sneaky" }],
      ["patch", `/admin/projects/${s.projects.billing!.id}`, { name: "Pwned" }],
      ["delete", `/admin/projects/${s.projects.billing!.id}?removeMembers=true`],
      ["get", "/admin/roles"],
      ["post", "/admin/roles", { name: "Everything", permissions: ["*"] }],
      ["patch", `/admin/roles/${role.role.id}`, { permissions: ["*"] }],
      ["delete", `/admin/roles/${role.role.id}`],
      ["get", "/admin/audit-events"],
      // Unknown ids and invalid input: still 403, so a non-admin learns nothing.
      ["get", `/admin/users/${crypto.randomUUID()}`],
      ["post", "/admin/api-accounts", { username: "NOT VALID" }],
    ];
    for (const as of ["alice", "svc", "rootLimited"]) {
      for (const [method, path, data] of calls) {
        const body = await expectProblem(await send(request, as, method, path, data), 403, "forbidden");
        expect(body.detail, `${as} ${method} ${path}`).toBe(
          as === "rootLimited"
            ? "Administration needs an unrestricted key: this key is limited to some projects. Use a key of yours without a project restriction."
            : "Only Global Admins can use the administration endpoints.",
        );
      }
    }

    expect(await people()).toEqual(before.users);
    expect(await (await send(request, "root", "get", "/admin/projects")).json()).toEqual(before.projects);
    expect(await (await send(request, "root", "get", "/admin/roles")).json()).toEqual(before.roles);
    expect((await ok<{ total: number }>(await send(request, "root", "get", "/admin/audit-events"))).total).toBe(before.audit);
    // The keys that were to be regenerated or deleted still work.
    expect((await me(request, s.keys.svc!.secret)).status()).toBe(200);
    expect(await projectRolesOf(request, s.keys.alice!.secret)).toEqual(["Billing: Editor", "Docs: Viewer"]);
    await send(request, "root", "delete", `/admin/roles/${role.role.id}`);
  });

  test("an unrestricted key of a Global Admin may; a demoted admin's key is refused at once", async ({ request }) => {
    expect((await send(request, "deputy", "get", "/admin/users")).status()).toBe(200);
    const demoted = await ok<{ user: User }>(await send(request, "root", "patch", `/admin/users/${s.users.deputy!.id}`, { isOrgAdmin: false }));
    expect(demoted.user.isOrgAdmin).toBe(false);
    await expectProblem(await send(request, "deputy", "get", "/admin/users"), 403, "forbidden");
    // The key itself keeps working as its owner, who still has API access.
    expect((await me(request, s.keys.deputy!.secret)).status()).toBe(200);
  });

  test("the last active Global Admin cannot be demoted, disabled or deleted", async ({ request }) => {
    const rootId = s.users.root!.id;
    let body = await expectProblem(await send(request, "root", "patch", `/admin/users/${rootId}`, { isOrgAdmin: false }), 409, "conflict");
    expect(body.detail).toBe("Root Admin is the last active Global Admin and cannot be demoted. Make another person a Global Admin first.");
    body = await expectProblem(await send(request, "root", "post", `/admin/users/${rootId}/disable`), 409, "conflict");
    expect(body.detail).toBe("You cannot disable your own account. Ask another Global Admin.");
    body = await expectProblem(await send(request, "root", "delete", `/admin/users/${rootId}?confirm=root`), 409, "conflict");
    expect(body.detail).toBe("You cannot delete your own account. Ask another Global Admin.");
    const { user } = await ok<{ user: User }>(await send(request, "root", "get", `/admin/users/${rootId}`));
    expect(user).toMatchObject({ isOrgAdmin: true, status: "active" });
    expect((await send(request, "root", "get", "/admin/users")).status()).toBe(200);
  });

  test("unknown and malformed ids are 404 to an admin, on every endpoint that takes one", async ({ request }) => {
    const role = await ok<{ role: { id: string } }>(await send(request, "root", "post", "/admin/roles", { name: "Temp", permissions: ["x:read"] }), 201);
    for (const id of [crypto.randomUUID(), "not-a-uuid"]) {
      const calls: [Method, string, unknown?, string?][] = [
        ["get", `/admin/users/${id}`, undefined, "User not found."],
        ["patch", `/admin/users/${id}`, { name: "X" }],
        ["post", `/admin/users/${id}/disable`],
        ["post", `/admin/users/${id}/enable`],
        ["post", `/admin/users/${id}/sign-out`, undefined, "User not found."],
        ["post", `/admin/users/${id}/reset-password`, undefined, "User not found."],
        ["delete", `/admin/users/${id}?confirm=x`],
        ["post", `/admin/api-accounts/${id}/key/regenerate`, undefined, "Account not found."],
        ["patch", `/admin/projects/${id}`, { name: "X" }],
        ["delete", `/admin/projects/${id}`, undefined, "Project not found."],
        ["patch", `/admin/roles/${id}`, { name: "X" }],
        ["delete", `/admin/roles/${id}`],
      ];
      for (const [method, path, data, detail] of calls) {
        const body = await expectProblem(await send(request, "root", method, path, data), 404, "not_found");
        // The same words as the console: "Project not found." (for a uuid, lib/ adds "Reload the page…").
        if (detail) expect(body.detail.startsWith(detail), `${method} ${path}: ${body.detail}`).toBe(true);
      }
    }
    // A person is not an API account: no key to regenerate.
    await expectProblem(await send(request, "root", "post", `/admin/api-accounts/${s.users.alice!.id}/key/regenerate`), 404, "not_found");
    expect((await send(request, "root", "delete", `/admin/roles/${role.role.id}`)).status()).toBe(204);
    await expectProblem(await send(request, "root", "delete", `/admin/roles/${role.role.id}`), 404, "not_found");
  });
});

test.describe("users and API accounts", () => {
  test("API account with two projects: its key answers with exactly those roles; disable refuses it, enable restores it; regenerate and delete", async ({
    request,
  }) => {
    const created = await send(request, "root", "post", "/admin/api-accounts", {
      username: "ci-bot",
      memberships: [
        { projectId: s.projects.billing!.id, roleId: s.roles.Editor },
        { projectId: s.projects.docs!.id, roleId: s.roles.Viewer },
      ],
    });
    const { account, secret } = await ok<{ account: User & { key: { start: string; lastFour: string } }; secret: string }>(created, 201);
    secrets.push(secret);
    expect(secret).toMatch(/^lk_sa_[0-9A-Za-z]{38}$/);
    expect(account).toMatchObject({ username: "ci-bot", kind: "api_account", status: "active", isOrgAdmin: false, apiAccess: true, email: null });
    expect(account.memberships.map((m) => `${m.projectName}: ${m.roleName}`)).toEqual(["Billing: Editor", "Docs: Viewer"]);
    expect(account.key).toMatchObject({ start: secret.slice(0, 10), lastFour: secret.slice(-4) });

    const who = await ok<Me>(await me(request, secret));
    expect(who.owner).toMatchObject({ username: "ci-bot", kind: "api_account" });
    expect(who.projects).toEqual([
      { id: s.projects.billing!.id, slug: "billing", name: "Billing", role: "Editor", permissions: ["*:read", "*:write"] },
      { id: s.projects.docs!.id, slug: "docs", name: "Docs", role: "Viewer", permissions: ["*:read"] },
    ]);
    // The secret was shown once: nowhere else.
    expect(await (await send(request, "root", "get", `/admin/users/${account.id}`)).text()).not.toContain(secret);
    expect(await (await send(request, "root", "get", "/admin/users?pageSize=100")).text()).not.toContain(secret);

    const disabled = await ok<{ user: User }>(await send(request, "root", "post", `/admin/users/${account.id}/disable`));
    expect(disabled.user.status).toBe("disabled");
    const refused = await me(request, secret);
    await expectProblem(refused, 401, "owner_disabled");
    expect(refused.headers()["www-authenticate"]).toMatch(/^Bearer /);
    // Twice changes nothing.
    expect((await send(request, "root", "post", `/admin/users/${account.id}/disable`)).status()).toBe(200);

    const enabled = await ok<{ user: User }>(await send(request, "root", "post", `/admin/users/${account.id}/enable`));
    expect(enabled.user.status).toBe("active");
    expect(await projectRolesOf(request, secret)).toEqual(["Billing: Editor", "Docs: Viewer"]);

    const regenerated = await ok<{ account: { key: { start: string; lastFour: string } }; secret: string }>(
      await send(request, "root", "post", `/admin/api-accounts/${account.id}/key/regenerate`),
    );
    secrets.push(regenerated.secret);
    expect(regenerated.secret).toMatch(/^lk_sa_/);
    expect(regenerated.secret).not.toBe(secret);
    expect(regenerated.account.key).toMatchObject({ start: regenerated.secret.slice(0, 10), lastFour: regenerated.secret.slice(-4) });
    await expectProblem(await me(request, secret), 401, "key_revoked");
    expect((await me(request, regenerated.secret)).status()).toBe(200);

    // New roles reach the key at once.
    const changed = await ok<{ user: User }>(
      await send(request, "root", "patch", `/admin/users/${account.id}`, { memberships: [{ projectId: s.projects.vault!.id, roleId: s.roles.Admin }] }),
    );
    expect(changed.user.memberships.map((m) => `${m.projectName}: ${m.roleName}`)).toEqual(["Vault: Admin"]);
    expect(await projectRolesOf(request, regenerated.secret)).toEqual(["Vault: Admin"]);

    let body = await expectProblem(await send(request, "root", "delete", `/admin/users/${account.id}`), 422, "validation_failed");
    expect(body.errors).toEqual({ confirm: ["Type the username “ci-bot” exactly to confirm."] });
    body = await expectProblem(await send(request, "root", "delete", `/admin/users/${account.id}?confirm=ci-bo`), 422, "validation_failed");
    expect(body.errors?.confirm).toBeDefined();
    expect((await me(request, regenerated.secret)).status()).toBe(200);
    const deleted = await send(request, "root", "delete", `/admin/users/${account.id}?confirm=ci-bot`);
    expect(deleted.status()).toBe(204);
    await expectProblem(await me(request, regenerated.secret), 401, "key_unknown");
    await expectProblem(await send(request, "root", "get", `/admin/users/${account.id}`), 404, "not_found");

    // The audit log tells the story, newest first, without a secret.
    const audit = await send(request, "root", "get", "/admin/audit-events?pageSize=25");
    const text = await audit.text();
    for (const x of secrets) expect(text).not.toContain(x);
    const story = (JSON.parse(text) as { events: { action: string; targetLabel: string; actor: string }[] }).events
      .filter((e) => e.targetLabel?.startsWith("ci-bot"))
      .map((e) => e.action);
    expect(story).toEqual(["user.deleted", "user.roles_changed", "key.regenerated", "user.enabled", "user.disabled", "key.created", "account.created"]);
  });

  test("API account input is validated with the console's messages", async ({ request }) => {
    const m = [{ projectId: s.projects.billing!.id, roleId: s.roles.Viewer }];
    let body = await expectProblem(await send(request, "root", "post", "/admin/api-accounts", { username: "Bad Name!", memberships: m }), 422, "validation_failed");
    expect(body.errors?.username).toEqual(["Use only lowercase letters a–z, digits 0–9, dots (.), underscores (_) and hyphens (-)."]);
    body = await expectProblem(await send(request, "root", "post", "/admin/api-accounts", { username: "ab", memberships: [] }), 422, "validation_failed");
    expect(body.errors).toEqual({ username: ["Use at least 3 characters."], memberships: ["Select at least one project."] });
    body = await expectProblem(await send(request, "root", "post", "/admin/api-accounts", { username: "svc", memberships: m }), 422, "validation_failed");
    expect(body.errors?.username).toEqual(["The username “svc” is already taken. Choose another."]);
    body = await expectProblem(
      await send(request, "root", "post", "/admin/api-accounts", { username: "ghost-bot", memberships: [{ projectId: crypto.randomUUID(), roleId: s.roles.Viewer }] }),
      422,
      "validation_failed",
    );
    expect(body.errors?.memberships).toEqual(["A selected project no longer exists. Reload the page and choose again."]);
    body = await expectProblem(await send(request, "root", "patch", `/admin/users/${s.users.svc!.id}`, { isOrgAdmin: true }), 422, "validation_failed");
    expect(body.errors?.isOrgAdmin).toEqual(["API accounts always have API access and cannot be Global Admins."]);
    const users = await ok<{ users: User[] }>(await send(request, "root", "get", "/admin/users?q=ghost-bot"));
    expect(users.users).toEqual([]);
  });

  test("Add User: a person with an initial password shown once; duplicate email refused", async ({ request }) => {
    const res = await send(request, "root", "post", "/admin/users", {
      name: "Grace Hopper",
      email: "grace@example.com",
      apiAccess: true,
      memberships: [{ projectId: s.projects.docs!.id, roleId: s.roles.Viewer }],
    });
    const { user, initialPassword } = await ok<{ user: User & { email: string; apiAccess: boolean }; initialPassword: string }>(res, 201);
    expect(user).toMatchObject({ kind: "human", name: "Grace Hopper", email: "grace@example.com", isOrgAdmin: false, apiAccess: true, status: "active" });
    expect(user.memberships.map((m) => `${m.projectName}: ${m.roleName}`)).toEqual(["Docs: Viewer"]);
    expect(initialPassword.length).toBeGreaterThanOrEqual(20);
    expect(await (await send(request, "root", "get", `/admin/users/${user.id}`)).text()).not.toContain(initialPassword);
    expect(await (await send(request, "root", "get", "/admin/audit-events")).text()).not.toContain(initialPassword);

    const body = await expectProblem(await send(request, "root", "post", "/admin/users", { name: "Again", email: "grace@example.com" }), 422, "validation_failed");
    expect(body.errors).toEqual({ email: ["A user with this email already exists."] });
    const invalid = await expectProblem(await send(request, "root", "post", "/admin/users", { name: "", email: "nope" }), 422, "validation_failed");
    expect(Object.keys(invalid.errors!).sort()).toEqual(["email", "name"]);

    const renamed = await ok<{ user: User }>(await send(request, "root", "patch", `/admin/users/${user.id}`, { name: "Grace B. Hopper", isOrgAdmin: true }));
    expect(renamed.user).toMatchObject({ name: "Grace B. Hopper", isOrgAdmin: true });
  });

  test("the list pages, searches, filters and sorts like the Users page, and refuses unknown parameters' values", async ({ request }) => {
    type List = { users: User[]; total: number; page: number; pageSize: number };
    const all = await ok<List>(await send(request, "root", "get", "/admin/users"));
    expect(all).toMatchObject({ page: 1, pageSize: 25 });
    expect(all.total).toBe(all.users.length);
    const names = all.users.map((u) => u.username);
    expect(names).toEqual(expect.arrayContaining(["root", "alice", "svc", "gone", "grace"]));

    const accounts = await ok<List>(await send(request, "root", "get", "/admin/users?type=api_account"));
    expect(accounts.users.map((u) => u.username)).toEqual(["svc"]);
    const disabled = await ok<List>(await send(request, "root", "get", "/admin/users?status=disabled"));
    expect(disabled.users.map((u) => u.username)).toEqual(["gone"]);
    const found = await ok<List>(await send(request, "root", "get", "/admin/users?q=ALICE%40example"));
    expect(found.users.map((u) => u.username)).toEqual(["alice"]);
    const inDocs = await ok<List>(await send(request, "root", "get", `/admin/users?project=${s.projects.docs!.id}&sort=name.asc`));
    expect(inDocs.users.map((u) => u.name)).toEqual(["Alice Example", "Grace B. Hopper"]);
    const byName = await ok<List>(await send(request, "root", "get", "/admin/users?sort=name.desc&type=human"));
    expect(byName.users.map((u) => u.name)).toEqual([...byName.users.map((u) => u.name)].sort((a, b) => b.localeCompare(a)));
    const page2 = await ok<List>(await send(request, "root", "get", "/admin/users?pageSize=25&page=2"));
    expect(page2).toMatchObject({ users: [], total: all.total, page: 2, pageSize: 25 });

    for (const [query, field] of [
      ["status=bogus", "status"],
      ["type=robot", "type"],
      ["pageSize=7", "pageSize"],
      ["page=0", "page"],
      ["project=billing", "project"],
      ["sort=email.asc", "sort"],
    ]) {
      const body = await expectProblem(await send(request, "root", "get", `/admin/users?${query}`), 422, "validation_failed");
      expect(Object.keys(body.errors!), query).toEqual([field]);
    }
  });
});

test.describe("projects and roles", () => {
  test("create, rename, and delete a project: refused while it has members unless removeMembers=true", async ({ request }) => {
    const { project } = await ok<{ project: { id: string; name: string; slug: string; memberCount: number } }>(
      await send(request, "root", "post", "/admin/projects", { name: "Reports" }),
      201,
    );
    expect(project).toMatchObject({ name: "Reports", slug: "reports", memberCount: 0 });
    let body = await expectProblem(await send(request, "root", "post", "/admin/projects", { name: "reports" }), 422, "validation_failed");
    expect(body.errors).toEqual({ name: ["A project named “reports” already exists."] });
    body = await expectProblem(await send(request, "root", "post", "/admin/projects", { name: "  " }), 422, "validation_failed");
    expect(body.errors).toEqual({ name: ["Enter a name."] });

    const renamed = await ok<{ project: { name: string; slug: string } }>(await send(request, "root", "patch", `/admin/projects/${project.id}`, { name: "Reporting" }));
    expect(renamed.project).toMatchObject({ name: "Reporting", slug: "reports" });

    const bot = await ok<{ secret: string }>(
      await send(request, "root", "post", "/admin/api-accounts", { username: "reports-bot", memberships: [{ projectId: project.id, roleId: s.roles.Viewer }] }),
      201,
    );
    secrets.push(bot.secret);
    expect(await projectRolesOf(request, bot.secret)).toEqual(["Reporting: Viewer"]);

    body = await expectProblem(await send(request, "root", "delete", `/admin/projects/${project.id}`), 409, "conflict");
    expect(body.detail).toBe("Reporting still has 1 member. Remove it first, or confirm that deleting the project removes its role in it.");
    await expectProblem(await send(request, "root", "delete", `/admin/projects/${project.id}?removeMembers=yes`), 422, "validation_failed");
    expect(await projectRolesOf(request, bot.secret)).toEqual(["Reporting: Viewer"]);

    expect(await ok(await send(request, "root", "delete", `/admin/projects/${project.id}?removeMembers=true`))).toEqual({ removedMembers: 1 });
    expect(await projectRolesOf(request, bot.secret)).toEqual([]);
    const { projects } = await ok<{ projects: { name: string }[] }>(await send(request, "root", "get", "/admin/projects"));
    expect(projects.map((p) => p.name)).toEqual(["Billing", "Docs", "Vault"]);
  });

  test("custom roles: permission changes reach keys at once; built-in roles and roles in use are refused", async ({ request }) => {
    let body = await expectProblem(
      await send(request, "root", "post", "/admin/roles", { name: "Auditor", permissions: ["invoices.read"] }),
      422,
      "validation_failed",
    );
    expect(body.errors?.permissions?.[0]).toContain("“invoices.read” is not a valid permission.");
    body = await expectProblem(await send(request, "root", "post", "/admin/roles", { name: "editor", permissions: ["x:read"] }), 422, "validation_failed");
    expect(body.errors).toEqual({ name: ["A role named “editor” already exists."] });

    const { role } = await ok<{ role: { id: string; name: string; description: string; permissions: string[]; builtIn: boolean; memberCount: number } }>(
      await send(request, "root", "post", "/admin/roles", { name: "Auditor", description: "Reads invoices.", permissions: ["invoices:read"] }),
      201,
    );
    expect(role).toMatchObject({ name: "Auditor", description: "Reads invoices.", permissions: ["invoices:read"], builtIn: false, memberCount: 0 });

    const bot = await ok<{ account: { id: string }; secret: string }>(
      await send(request, "root", "post", "/admin/api-accounts", { username: "audit-bot", memberships: [{ projectId: s.projects.billing!.id, roleId: role.id }] }),
      201,
    );
    secrets.push(bot.secret);
    expect((await ok<Me>(await me(request, bot.secret))).projects[0]).toMatchObject({ role: "Auditor", permissions: ["invoices:read"] });

    const changed = await ok<{ role: typeof role }>(await send(request, "root", "patch", `/admin/roles/${role.id}`, { permissions: ["invoices:read", "reports:read"] }));
    expect(changed.role).toMatchObject({ name: "Auditor", description: "Reads invoices.", permissions: ["invoices:read", "reports:read"], memberCount: 1 });
    expect((await ok<Me>(await me(request, bot.secret))).projects[0]!.permissions).toEqual(["invoices:read", "reports:read"]);

    body = await expectProblem(await send(request, "root", "delete", `/admin/roles/${role.id}`), 409, "conflict");
    expect(body.detail).toBe("Auditor is in use by 1 member of projects. Give that member another role first.");
    for (const [method, data] of [["patch", { permissions: ["*"] }], ["delete", undefined]] as const) {
      body = await expectProblem(await send(request, "root", method, `/admin/roles/${s.roles.Viewer}`, data), 403, "forbidden");
      expect(body.detail).toBe("Viewer is a built-in role: it cannot be changed or deleted. Create a custom role instead.");
    }
    await expectProblem(await send(request, "root", "patch", `/admin/roles/${role.id}`, { permissions: [] }), 422, "validation_failed");

    await ok(await send(request, "root", "patch", `/admin/users/${bot.account.id}`, { memberships: [{ projectId: s.projects.billing!.id, roleId: s.roles.Viewer }] }));
    expect((await send(request, "root", "delete", `/admin/roles/${role.id}`)).status()).toBe(204);
    const { roles } = await ok<{ roles: { name: string; builtIn: boolean }[] }>(await send(request, "root", "get", "/admin/roles"));
    expect(roles.map((r) => r.name)).toEqual(["Admin", "Editor", "Viewer"]);
    expect(roles.every((r) => r.builtIn)).toBe(true);
  });
});

test("audit events: newest first, paged, filtered by actor, action and day", async ({ request }) => {
  type Page = { events: { id: number; at: string; actor: string; action: string; actionLabel: string }[]; total: number; page: number; pageSize: number };
  const first = await ok<Page>(await send(request, "root", "get", "/admin/audit-events?pageSize=25"));
  expect(first).toMatchObject({ page: 1, pageSize: 25 });
  expect(first.total).toBeGreaterThan(25);
  const times = first.events.map((e) => Date.parse(e.at));
  expect(times).toEqual([...times].sort((a, b) => b - a));
  const second = await ok<Page>(await send(request, "root", "get", "/admin/audit-events?pageSize=25&page=2"));
  expect(second.events[0]!.id).toBeLessThan(first.events.at(-1)!.id);

  const deleted = await ok<Page>(await send(request, "root", "get", "/admin/audit-events?action=user.deleted"));
  expect(deleted.events.map((e) => [e.action, e.actionLabel])).toEqual([["user.deleted", "User deleted"]]);
  const byRoot = await ok<Page>(await send(request, "root", "get", "/admin/audit-events?actor=root@example.com&pageSize=100"));
  expect(byRoot.total).toBeGreaterThan(10);
  expect(new Set(byRoot.events.map((e) => e.actor))).toEqual(new Set(["root@example.com"]));
  const byAlice = await ok<Page>(await send(request, "root", "get", "/admin/audit-events?actor=alice"));
  expect(byAlice.events.length).toBeGreaterThan(0);
  expect(byAlice.events.every((e) => e.actor === "alice@example.com")).toBe(true);

  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const [yesterday, today, tomorrow] = [day(-1), day(0), day(1)];
  expect((await ok<Page>(await send(request, "root", "get", `/admin/audit-events?from=${yesterday}&to=${tomorrow}`))).total).toBe(first.total);
  expect((await ok<Page>(await send(request, "root", "get", `/admin/audit-events?from=${tomorrow}`))).total).toBe(0);
  expect((await ok<Page>(await send(request, "root", "get", `/admin/audit-events?to=${day(-2)}`))).total).toBe(0);

  for (const [query, field] of [
    ["from=yesterday", "from"],
    ["to=2026-02-30x", "to"],
    ["action=user.hacked", "action"],
    ["pageSize=10", "pageSize"],
    [`from=${tomorrow}&to=${today}`, "to"],
  ]) {
    const body = await expectProblem(await send(request, "root", "get", `/admin/audit-events?${query}`), 422, "validation_failed");
    expect(Object.keys(body.errors!), query).toEqual([field]);
  }
});

test("the OpenAPI document lists every admin endpoint under Administration, with summary, example and errors", async ({ request }) => {
  const doc = await (await request.get(api("/openapi.json"))).json();
  const ops: [string, string][] = [
    ["get", "/api/v1/admin/users"],
    ["post", "/api/v1/admin/users"],
    ["get", "/api/v1/admin/users/{id}"],
    ["patch", "/api/v1/admin/users/{id}"],
    ["delete", "/api/v1/admin/users/{id}"],
    ["post", "/api/v1/admin/users/{id}/disable"],
    ["post", "/api/v1/admin/users/{id}/enable"],
    ["post", "/api/v1/admin/users/{id}/sign-out"],
    ["post", "/api/v1/admin/users/{id}/reset-password"],
    ["post", "/api/v1/admin/api-accounts"],
    ["post", "/api/v1/admin/api-accounts/{id}/key/regenerate"],
    ["get", "/api/v1/admin/projects"],
    ["post", "/api/v1/admin/projects"],
    ["patch", "/api/v1/admin/projects/{id}"],
    ["delete", "/api/v1/admin/projects/{id}"],
    ["get", "/api/v1/admin/roles"],
    ["post", "/api/v1/admin/roles"],
    ["patch", "/api/v1/admin/roles/{id}"],
    ["delete", "/api/v1/admin/roles/{id}"],
    ["get", "/api/v1/admin/audit-events"],
    ["get", "/api/v1/admin/key-policy"],
    ["put", "/api/v1/admin/key-policy"],
    ["get", "/api/v1/admin/keys"],
    ["get", "/api/v1/admin/keys/export"],
    ["post", "/api/v1/admin/keys/{id}/revoke"],
    ["post", "/api/v1/admin/keys/revoke"],
    ["post", "/api/v1/admin/users/{id}/keys/revoke"],
  ];
  const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
    .filter(([path]) => path.startsWith("/api/v1/admin"))
    .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`));
  expect(documented.sort()).toEqual(ops.map(([m, p]) => `${m} ${p}`).sort());
  for (const [method, path] of ops) {
    const op = doc.paths[path][method];
    expect(op.tags, `${method} ${path}`).toEqual(["Administration"]);
    expect(op.summary).toBeTruthy();
    expect(op.responses["403"].content["application/problem+json"].example).toMatchObject({ code: "forbidden" });
    expect(op.responses["401"]).toBeDefined();
    const [status, success] = Object.entries(op.responses).find(([st]) => st.startsWith("2"))! as [string, { content?: Record<string, { example?: unknown }> }];
    if (status !== "204") expect((success.content!["application/json"] ?? success.content!["text/csv"])!.example).toBeDefined();
    if (path.includes("{id}")) {
      expect(op.parameters.find((p: { name: string }) => p.name === "id")).toMatchObject({ in: "path", required: true });
      expect(op.responses["404"]).toBeDefined();
    }
  }
  expect(doc.paths["/api/v1/admin/users"].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(
    ["page", "pageSize", "project", "q", "sort", "status", "type"],
  );
  expect(doc.paths["/api/v1/admin/audit-events"].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(["action", "actor", "from", "page", "pageSize", "to"]);
  expect(doc.paths["/api/v1/admin/users/{id}"].delete.parameters.find((p: { name: string }) => p.name === "confirm")).toMatchObject({ in: "query" });
  // Swagger UI's "Try it out" fills in parameter examples: an optional filter (or removeMembers=true) must not be pre-set.
  for (const [method, path] of ops) {
    for (const p of doc.paths[path][method].parameters ?? []) {
      if (p.in === "query") expect(p.schema.example ?? p.example, `${method} ${path} ?${p.name}`).toBeUndefined();
    }
  }
  // No endpoint shows an existing key.
  expect(Object.keys(doc.paths).filter((p) => /reveal|show/i.test(p))).toEqual([]);
});

test("no key, secret or initial password reaches the server's log", async () => {
  const log = server.output();
  expect(log).toContain("is running at");
  for (const x of secrets) expect(log).not.toContain(x);
});
