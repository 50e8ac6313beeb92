import { readFileSync } from "node:fs";
import path from "node:path";
import { type BrowserContext, expect, test } from "@playwright/test";
import { seedDatabase, type Seeded } from "./support/api";
import { freshDatabase, startServer, type TestServer } from "./support/server";
import { signIn } from "./support/ui";

/**
 * Every admin server action and every /api/v1/admin endpoint, replayed by
 * someone who is not a Global Admin — a person with their own session, a key
 * of theirs, and a Global Admin's key limited to one project — with input that
 * would succeed for an admin. Each must be refused, and afterwards the
 * organization is as it was. The lists come from the build (the server
 * action manifest) and the OpenAPI document, so a new action or endpoint is
 * covered, or this test says what it lacks.
 */
let server: TestServer;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let s: Seeded;
let bob: BrowserContext;

const BOB = { email: "bob@example.com", password: "bob-password-1234" };
const CAROL = { email: "carol@example.com", password: "carol-password-1234" };
let carol: BrowserContext;

test.beforeAll(async ({ browser }) => {
  db = await freshDatabase();
  s = seedDatabase(db, {
    users: [
      { ref: "ada", name: "Ada Admin", isOrgAdmin: true },
      { ref: "bob", name: "Bob Builder", email: BOB.email, password: BOB.password },
      { ref: "carol", name: "Carol Target", email: CAROL.email, password: CAROL.password },
      { ref: "svc", kind: "api_account" },
    ],
    projects: [{ ref: "billing", name: "Billing" }],
    memberships: [
      { user: "ada", project: "billing", role: "Admin" },
      { user: "bob", project: "billing", role: "Admin" },
      { user: "svc", project: "billing", role: "Viewer" },
    ],
    keys: [
      { ref: "ada", user: "ada", name: "Ada" },
      { ref: "adaLimited", user: "ada", name: "Billing only", restriction: [{ project: "billing", role: "Admin" }] },
      { ref: "bob", user: "bob", name: "Bob" },
      { ref: "svc", user: "svc", name: "Default" },
    ],
  });
  server = await startServer({ API_AUTH_FAILURE_LIMIT: "100000" }, db);
  // A custom role, for the role actions to aim at.
  const role = await fetch(api("/admin/roles"), { method: "POST", headers: { ...auth("ada"), "content-type": "application/json" }, body: JSON.stringify({ name: "Auditor", permissions: ["audit:read"] }) });
  expect(role.status).toBe(201);
  customRole = ((await role.json()) as { role: { id: string } }).role.id;
  bob = await browser.newContext();
  const page = await bob.newPage();
  await signIn(page, server.url, BOB.email, BOB.password);
  await expect(page.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();
  // Carol is signed in, so that "sign out everywhere" and "reset password" would show if they got through.
  carol = await browser.newContext();
  const carolPage = await carol.newPage();
  await signIn(carolPage, server.url, CAROL.email, CAROL.password);
  await expect(carolPage.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();
});
test.afterAll(async () => {
  await carol?.close();
  await bob?.close();
  await server?.stop();
  await db?.drop();
});

let customRole = "";
const api = (p: string) => `${server.url}/api/v1${p}`;
const auth = (ref: string) => ({ authorization: `Bearer ${s.keys[ref]!.secret}` });

/** What an admin sees of the organization, without the times that move with every request. */
async function organization(): Promise<string> {
  const parts: unknown[] = [];
  for (const p of ["/admin/users?pageSize=100", "/admin/keys?pageSize=100", "/admin/projects", "/admin/roles", "/admin/key-policy", "/admin/audit-events?pageSize=100"]) {
    const res = await fetch(api(p), { headers: auth("ada") });
    expect(res.status, p).toBe(200);
    parts.push(await res.json());
  }
  const ignored = new Set(["lastActiveAt", "lastUsedAt", "requests"]);
  return JSON.stringify(parts, (key, value: unknown) => (ignored.has(key) ? undefined : value));
}

type Form = Record<string, string | string[]>;
/** For each admin action, input that would succeed if an admin sent it (a form, or a command's arguments). */
const ADMIN_ACTIONS: Record<string, () => { form: Form } | { args: unknown[] }> = {
  createProjectAction: () => ({ form: { name: "Sneaky" } }),
  renameProjectAction: () => ({ form: { projectId: s.projects.billing!.id, name: "Renamed" } }),
  deleteProjectAction: () => ({ form: { projectId: s.projects.billing!.id, removeMembers: "on" } }),
  createRoleAction: () => ({ form: { name: "Sneaky role", description: "", permissions: "*" } }),
  updateRoleAction: () => ({ form: { roleId: customRole, name: "Auditor", description: "", permissions: "*" } }),
  deleteRoleAction: () => ({ form: { roleId: customRole } }),
  createApiAccountAction: () => ({ form: { username: "sneaky-bot", project: s.projects.billing!.id, [`role:${s.projects.billing!.id}`]: s.roles.Admin! } }),
  createUserAction: () => ({ form: { name: "Sneaky", email: "sneaky@example.com", isOrgAdmin: "on", apiAccess: "on" } }),
  updateUserAction: () => ({ form: { userId: s.users.bob!.id, kind: "human", name: "Bob Builder", isOrgAdmin: "on", apiAccess: "on" } }),
  setUserStatusAction: () => ({ form: { userId: s.users.carol!.id, status: "disabled" } }),
  deleteUserAction: () => ({ form: { userId: s.users.carol!.id, confirm: s.users.carol!.username } }),
  resetPasswordAction: () => ({ form: { userId: s.users.carol!.id } }),
  signOutEverywhereAction: () => ({ form: { userId: s.users.carol!.id } }),
  revealAccountKeyAction: () => ({ args: [s.users.svc!.id] }),
  regenerateAccountKeyAction: () => ({ args: [s.users.svc!.id, { grace: "24h", expiration: "30", customDays: "" }] }),
  editAccountKeyAction: () => ({ form: { keyId: s.keys.svc!.id, name: "Renamed by a non-admin", expiration: "30", access: "all" } }),
  updateKeyPolicyAction: () => ({ form: { maxLifetimeDays: "1", defaultExpiryDays: "1", maxGrace: "immediately" } }),
  revokeAllKeysAction: () => ({ form: { userId: s.users.svc!.id } }),
  adminRevokeKeyAction: () => ({ form: { keyId: s.keys.svc!.id } }),
  adminRevokeKeysAction: () => ({ form: { keyId: [s.keys.svc!.id, s.keys.ada!.id] } }),
};

type ManifestAction = { id: string; exportedName: string; filename: string; page: string };

/** The admin server actions the build holds, from Next's server action manifest. */
function adminActions(): ManifestAction[] {
  const manifest = JSON.parse(readFileSync(path.resolve(__dirname, "../.next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }>;
  };
  return Object.entries(manifest.node)
    .filter(([, a]) => a.filename.startsWith("app/(console)/admin/"))
    .map(([id, a]) => ({ id, exportedName: a.exportedName, filename: a.filename, page: Object.keys(a.workers)[0]!.replace(/^app\/\(console\)/, "").replace(/\/page$/, "") }));
}

/** A server action POST as React encodes it: a FormData argument's entries (`_1_name`), then the arguments in field 0. */
async function callAction(context: BrowserContext, a: ManifestAction, input: { form: Form } | { args: unknown[] }): Promise<number> {
  const cookie = (await context.cookies(server.url)).map((c) => `${c.name}=${c.value}`).join("; ");
  const headers = { "next-action": a.id, origin: server.url, cookie, accept: "text/x-component" };
  let body: FormData | string;
  if ("form" in input) {
    body = new FormData();
    for (const [name, value] of Object.entries(input.form)) for (const v of [value].flat()) body.append(`_1_${name}`, v);
    body.append("0", JSON.stringify([{}, "$K1"]));
  } else body = JSON.stringify(input.args);
  const res = await fetch(`${server.url}${a.page}`, { method: "POST", headers, body, redirect: "manual" });
  return res.status;
}

test("every admin server action is refused to a person who is not a Global Admin, and changes nothing", async ({ browser }) => {
  const actions = adminActions();
  expect(actions.length).toBeGreaterThan(5);
  const missing = actions.map((a) => a.exportedName).filter((name) => !(name in ADMIN_ACTIONS));
  expect(missing, "admin actions this test has no input for: add them to ADMIN_ACTIONS").toEqual([]);
  const before = await organization();
  for (const a of actions) {
    expect(await callAction(bob, a, ADMIN_ACTIONS[a.exportedName]!()), `${a.exportedName} as Bob`).toBe(404);
  }
  expect(await organization()).toBe(before);
  // Carol's session still works and her password is still hers.
  const carolPage = await carol.newPage();
  await carolPage.goto(`${server.url}/settings/api-keys`);
  await expect(carolPage.getByRole("heading", { name: "API Keys" })).toBeVisible();
  const fresh = await browser.newContext();
  const freshPage = await fresh.newPage();
  await signIn(freshPage, server.url, CAROL.email, CAROL.password);
  await expect(freshPage.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();
  await fresh.close();

  // The same request from a Global Admin's session does work: the refusals above are about who asks.
  const ada = await browser.newContext();
  const page = await ada.newPage();
  await signIn(page, server.url, "ada@example.com", "a-long-password-123");
  await expect(page.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();
  const create = actions.find((a) => a.exportedName === "createProjectAction")!;
  expect(await callAction(ada, create, ADMIN_ACTIONS.createProjectAction!())).toBe(200);
  const projects = (await (await fetch(api("/admin/projects"), { headers: auth("ada") })).json()) as { projects: { name: string }[] };
  expect(projects.projects.map((p) => p.name)).toContain("Sneaky");
  await ada.close();
});

type Operation = { method: string; path: string; example?: unknown };

/** Every /admin operation of the OpenAPI document, with its request example (input that would succeed). */
async function adminOperations(): Promise<Operation[]> {
  const doc = (await (await fetch(api("/openapi.json"))).json()) as {
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { example?: unknown; schema?: { example?: unknown } }> } }>>;
  };
  const ops: Operation[] = [];
  for (const [full, methods] of Object.entries(doc.paths)) {
    const p = full.replace(/^\/api\/v1/, "");
    if (!p.startsWith("/admin")) continue;
    for (const [method, op] of Object.entries(methods)) {
      const content = op.requestBody?.content?.["application/json"];
      ops.push({ method: method.toUpperCase(), path: p.replace(/\{id\}/g, s.users.carol!.id), example: content?.example ?? content?.schema?.example });
    }
  }
  return ops;
}

test("every /admin endpoint is refused to a non-admin key and to a Global Admin's restricted key, and changes nothing", async () => {
  const ops = await adminOperations();
  expect(ops.length).toBeGreaterThan(10);
  const before = await organization();
  for (const ref of ["bob", "adaLimited", "svc"]) {
    for (const op of ops) {
      const res = await fetch(api(op.path), {
        method: op.method,
        headers: { ...auth(ref), "content-type": "application/json" },
        body: op.method === "GET" || op.method === "DELETE" ? undefined : JSON.stringify(op.example ?? {}),
      });
      expect(res.status, `${op.method} ${op.path} with ${ref}'s key`).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe("forbidden");
    }
  }
  expect(await organization()).toBe(before);
});
