import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { seedDatabase, type Seeded } from "./support/api";
import { expectProblem } from "./support/problem";
import { freshDatabase, startServer, type TestServer } from "./support/server";
import { signIn } from "./support/ui";

/**
 * Text Postgres cannot store (NUL), characters that disguise a name (controls, direction overrides) and days that
 * do not exist, sent through every door: each is a 422 (REST) or a message on its field (console), and changes nothing.
 */
test.describe.configure({ mode: "serial" });

let server: TestServer;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let s: Seeded;
const ROOT = { email: "root@example.com", password: "a-long-password-123" };
const CHARS_MESSAGE = "Remove control characters (such as NUL, tabs or line breaks) and text-direction overrides.";
const DAY_MESSAGE = "Use a date like 2026-03-01.";

test.beforeAll(async () => {
  db = await freshDatabase();
  s = seedDatabase(db, {
    users: [
      { ref: "root", name: "Root Admin", email: ROOT.email, password: ROOT.password, isOrgAdmin: true },
      { ref: "alice", name: "Alice Example", email: "alice@example.com" },
    ],
    projects: [{ ref: "billing", name: "Billing" }],
    memberships: [{ user: "root", project: "billing", role: "Admin" }],
    keys: [{ ref: "root", user: "root", name: "Root" }],
  });
  server = await startServer({ API_AUTH_FAILURE_LIMIT: "100000", API_RATE_LIMIT: "100000" }, db);
});
test.afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const api = (path: string) => `${server.url}/api/v1${path}`;
const headers = () => ({ authorization: `Bearer ${s.keys.root!.secret}` });

/** Everything a bad request could have changed, as the admin API shows it. */
async function snapshot(request: APIRequestContext) {
  const get = async (path: string) => (await request.get(api(path), { headers: headers() })).json();
  return {
    keys: await get("/keys"),
    users: await get("/admin/users?pageSize=100"),
    projects: await get("/admin/projects"),
    roles: await get("/admin/roles"),
    audit: ((await get("/admin/audit-events?pageSize=100")) as { total: number }).total,
  };
}

const NUL = "\u0000";
const RLO = "\u202E";

test("REST: NUL, control characters and direction overrides in any name or search are 422 on that field, and change nothing", async ({ request }) => {
  const role = (await (await request.post(api("/admin/roles"), { headers: headers(), data: { name: "Reader", permissions: ["reports:read"] } })).json()) as { role: { id: string } };
  const before = await snapshot(request);
  const membership = [{ projectId: s.projects.billing!.id, roleId: s.roles.Viewer! }];

  const cases: { what: string; method: "post" | "patch" | "get"; path: string; data?: unknown; field: string }[] = [
    { what: "key name with NUL", method: "post", path: "/keys", data: { name: `CI${NUL}` }, field: "name" },
    { what: "key name of a NUL only", method: "post", path: "/keys", data: { name: NUL }, field: "name" },
    { what: "key name with an override", method: "post", path: "/keys", data: { name: `CI${RLO}gpj.exe` }, field: "name" },
    { what: "person's name", method: "post", path: "/admin/users", data: { name: `Grace${NUL}Hopper`, email: "grace@example.com" }, field: "name" },
    { what: "person's email", method: "post", path: "/admin/users", data: { name: "Grace Hopper", email: `grace${NUL}@example.com` }, field: "email" },
    { what: "renamed person", method: "patch", path: `/admin/users/${s.users.alice!.id}`, data: { name: `Alice${NUL}` }, field: "name" },
    { what: "API account username", method: "post", path: "/admin/api-accounts", data: { username: `svc${NUL}`, memberships: membership }, field: "username" },
    { what: "project name", method: "post", path: "/admin/projects", data: { name: `Bill${NUL}ing 2` }, field: "name" },
    { what: "renamed project", method: "patch", path: `/admin/projects/${s.projects.billing!.id}`, data: { name: `Billing${NUL}` }, field: "name" },
    { what: "role name", method: "post", path: "/admin/roles", data: { name: `Auditor${NUL}`, permissions: ["reports:read"] }, field: "name" },
    { what: "role description", method: "post", path: "/admin/roles", data: { name: "Auditor", description: `Reads${NUL}`, permissions: ["reports:read"] }, field: "description" },
    { what: "role permission", method: "post", path: "/admin/roles", data: { name: "Auditor", permissions: [`reports:read${NUL}`] }, field: "permissions" },
    { what: "changed role name", method: "patch", path: `/admin/roles/${role.role.id}`, data: { name: `Reader${NUL}` }, field: "name" },
    { what: "changed role description", method: "patch", path: `/admin/roles/${role.role.id}`, data: { description: `a${NUL}b` }, field: "description" },
    { what: "user search", method: "get", path: "/admin/users?q=%00", field: "q" },
    { what: "user search with a control", method: "get", path: "/admin/users?q=ali%07ce", field: "q" },
    { what: "audit actor", method: "get", path: "/admin/audit-events?actor=root%00", field: "actor" },
    { what: "verified project", method: "post", path: "/keys/verify", data: { key: s.keys.root!.secret, project: `billing${NUL}` }, field: "project" },
  ];
  for (const c of cases) {
    const res = await request.fetch(api(c.path), { method: c.method.toUpperCase(), headers: headers(), ...(c.data === undefined ? {} : { data: c.data }) });
    const body = await expectProblem(res, 422, "validation_failed").catch((e: Error) => {
      throw new Error(`${c.what}: ${e.message}`);
    });
    expect(body.errors, c.what).toEqual({ [c.field]: [expect.any(String)] });
    // Email, username and permissions have their own shapes, and say so; free text names what to remove.
    if (!["email", "username", "permissions"].includes(c.field)) expect(body.errors![c.field]![0], c.what).toMatch(/^Remove control characters \(such as NUL/);
  }
  expect(await snapshot(request)).toEqual(before);
  expect(server.output()).not.toContain("unhandled error");
});

test("REST: audit days that do not exist are 422 on that field, real ones pass", async ({ request }) => {
  for (const [query, field] of [
    ["from=2026-02-30", "from"],
    ["from=0000-01-01", "from"],
    ["to=2026-13-01", "to"],
    ["to=2026-02-29", "to"],
    ["from=1969-12-31", "from"],
    ["from=2026-03-01%00", "from"],
  ] as const) {
    const body = await expectProblem(await request.get(api(`/admin/audit-events?${query}`), { headers: headers() }), 422, "validation_failed");
    expect(body.errors, query).toEqual({ [field]: [DAY_MESSAGE] });
  }
  for (const query of ["from=2024-02-29", "from=1970-01-01&to=9999-12-31"]) {
    expect((await request.get(api(`/admin/audit-events?${query}`), { headers: headers() })).status(), query).toBe(200);
  }
  expect(server.output()).not.toContain("unhandled error");
});

async function signInAsRoot(page: Page) {
  await signIn(page, server.url, ROOT.email, ROOT.password);
  await expect(page.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();
}

test("console list pages with a bad filter in the URL render, leave the filter out and say why", async ({ page }) => {
  await signInAsRoot(page);
  for (const [path, heading, notice] of [
    ["/admin/audit?from=2026-02-30", "Audit log", `From: ${DAY_MESSAGE}`],
    ["/admin/audit?from=0000-01-01&to=2026-13-01", "Audit log", `To: ${DAY_MESSAGE}`],
    ["/admin/audit?actor=root%00", "Audit log", `Actor: ${CHARS_MESSAGE}`],
    ["/admin/audit?from=2026-03-31&to=2026-03-01", "Audit log", "To: The last day comes before the first."],
    ["/admin/users?q=%00", "Users", `Search: ${CHARS_MESSAGE}`],
  ] as const) {
    const res = await page.goto(`${server.url}${path}`);
    expect(res?.status(), path).toBe(200);
    await expect(page.getByRole("heading", { name: heading })).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "left out" })).toContainText(notice);
  }
  // The rest of the page works: the unfiltered rows are there.
  await page.goto(`${server.url}/admin/users?q=%00`);
  await expect(page.getByRole("row").filter({ hasText: "alice@example.com" })).toBeVisible();
});

test("console forms show the message on the field and create nothing", async ({ page }) => {
  await signInAsRoot(page);

  await page.goto(`${server.url}/admin/projects`);
  await page.getByRole("button", { name: "Create project" }).click();
  let dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(`Evil${NUL}Project`);
  await dialog.getByRole("button", { name: "Create project" }).click();
  await expect(dialog.getByLabel("Name")).toHaveAccessibleDescription(CHARS_MESSAGE);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("cell", { name: /Evil/ })).toHaveCount(0);

  await page.goto(`${server.url}/admin/roles`);
  await page.getByRole("button", { name: "Create role" }).click();
  dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(`Evil${RLO}Role`);
  await dialog.getByLabel("Description").fill(`Reads${NUL}`);
  await dialog.getByLabel("Permissions").fill("reports:read");
  await dialog.getByRole("button", { name: "Create role" }).click();
  await expect(dialog.getByLabel("Name")).toHaveAccessibleDescription(CHARS_MESSAGE);
  await expect(dialog.getByLabel("Description")).toHaveAccessibleDescription("Remove control characters (such as NUL) and text-direction overrides.");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("row").filter({ hasText: "Evil" })).toHaveCount(0);

  await page.goto(`${server.url}/admin/users`);
  await page.getByRole("button", { name: "Add User" }).click();
  dialog = page.getByRole("dialog", { name: "Add User" });
  await dialog.getByLabel("Name").fill(`Evil${NUL}User`);
  await dialog.getByLabel("Email").fill("evil@example.com");
  await dialog.getByRole("button", { name: "Add User" }).click();
  await expect(dialog.getByLabel("Name")).toHaveAccessibleDescription(CHARS_MESSAGE);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("row").filter({ hasText: "evil@example.com" })).toHaveCount(0);

  await page.goto(`${server.url}/settings/api-keys`);
  await page.getByRole("button", { name: /Generate API key/i }).click();
  dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(`Evil${NUL}Key`);
  await dialog.getByRole("button", { name: "Generate", exact: true }).click();
  await expect(dialog.getByLabel("Name")).toHaveAccessibleDescription(new RegExp(CHARS_MESSAGE.replace(/[()]/g, "\\$&")));
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("row").filter({ hasText: "Evil" })).toHaveCount(0);

  expect(server.output()).not.toMatch(/create project:|create role:|create user:|generate key:/);
});
