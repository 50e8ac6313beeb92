import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { getMe, keyAnswer, seedDatabase, type Seeded, verifyKeyWith } from "./support/api";
import { expectNoSidewaysScroll, signInAs } from "./support/console";
import { freshDatabase, startServer, type TestServer } from "./support/server";

/**
 * Issue 13, points 4–7: the organization's key policy (Global Administration >
 * Key policy and /admin/key-policy), enforced alike for the console, the REST
 * API and the CLI; editing a key; rotation that keeps its promises; and
 * API-account keys with an expiry and a regeneration grace period.
 */
test.describe.configure({ mode: "serial" });

const ADA = { email: "ada@example.com", password: "a-long-password-123" };
const BOB = { email: "bob@example.com", password: "bob-password-1234" };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const root = path.resolve(__dirname, "..");

let server: TestServer;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let s: Seeded;
/** The API account's key after the admin regenerated it in the console. */
let botKey = "";

test.beforeAll(async () => {
  db = await freshDatabase();
  s = seedDatabase(db, {
    users: [
      { ref: "ada", name: "Ada Admin", isOrgAdmin: true },
      { ref: "bob", name: "Bob Builder", email: BOB.email, password: BOB.password },
      { ref: "bot", kind: "api_account" },
    ],
    projects: [
      { ref: "docs", name: "Docs" },
      { ref: "billing", name: "Billing" },
    ],
    memberships: [
      { user: "ada", project: "docs", role: "Admin" },
      { user: "bob", project: "docs", role: "Editor" },
      { user: "bob", project: "billing", role: "Editor" },
      { user: "bot", project: "docs", role: "Viewer" },
      { user: "bot", project: "billing", role: "Editor" },
    ],
    keys: [
      { ref: "ada", user: "ada", name: "Ada" },
      { ref: "bob", user: "bob", name: "Bob CLI", expiresInDays: 30 },
      { ref: "bot", user: "bot", name: "Default" },
    ],
  });
  server = await startServer({}, db);
});
test.afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const api = (p: string) => `${server.url}/api/v1${p}`;
const as = (ref: string, body?: unknown) => ({
  headers: { authorization: `Bearer ${s.keys[ref]!.secret}`, "content-type": "application/json" },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});
const policyNow = async () => ((await (await fetch(api("/admin/key-policy"), as("ada"))).json()) as { policy: Record<string, unknown> }).policy;

function cli(args: string[], key: string) {
  const home = mkdtempSync(path.join(tmpdir(), "latchkey-kp-"));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "bin/latchkey.js"), ...args], {
      cwd: tmpdir(),
      env: { NODE_ENV: "production", PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: home, LATCHKEY_URL: server.url, LATCHKEY_API_KEY: key },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout: stdout.trim(), stderr: stderr.trim() }));
    child.stdin.end("");
  });
}

async function signedIn(browser: Browser, who: { email: string; password: string }, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  const page = await context.newPage();
  await signInAs(page, server.url, who);
  return page;
}

test("a non-admin is refused the key policy (page, GET and PUT, key and session), and nothing changes", async ({ browser }) => {
  const before = await policyNow();
  expect(before).toEqual({ maxLifetimeDays: null, allowNoExpiry: true, defaultExpiryDays: 90, maxGrace: "7d", maxAccountKeyLifetimeDays: null });
  for (const ref of ["bob", "bot"]) {
    const get = await fetch(api("/admin/key-policy"), as(ref));
    expect(get.status, `GET with ${ref}'s key`).toBe(403);
    const put = await fetch(api("/admin/key-policy"), { method: "PUT", ...as(ref, { maxLifetimeDays: 1, defaultExpiryDays: 1 }) });
    expect(put.status, `PUT with ${ref}'s key`).toBe(403);
    expect(((await put.json()) as { code: string }).code).toBe("forbidden");
  }
  const page = await signedIn(browser, BOB);
  const res = await page.goto(`${server.url}/admin/key-policy`);
  expect(res!.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Key policy" })).toBeHidden();
  await page.context().close();
  expect(await policyNow()).toEqual(before);
});

test("Global Administration > Key policy: an admin sets the limits; the change is audited and existing keys keep their expiry", async ({ browser }) => {
  const page = await signedIn(browser, ADA);
  await page.goto(`${server.url}/admin`);
  await page.getByRole("link", { name: /Key policy/ }).first().click();
  await expect(page.getByRole("heading", { name: "Key policy", level: 1 })).toBeVisible();
  await page.getByLabel("Maximum lifetime (days)").fill("30");
  await expect(page.getByLabel("Allow “No expiration”")).toBeDisabled();
  await page.getByLabel("Default expiry (days)").fill("60");
  await page.getByRole("button", { name: "Save key policy" }).click();
  // Refused: the default must be within the maximum; nothing saved.
  await expect(page.getByLabel("Default expiry (days)")).toHaveAccessibleDescription(/within the maximum lifetime \(30 days\)/);
  expect((await policyNow()).maxLifetimeDays).toBeNull();

  await page.getByLabel("Default expiry (days)").fill("14");
  await page.getByLabel("Longest grace period").selectOption({ label: "1 hour" });
  await page.getByLabel("Maximum lifetime for API-account keys (days)").fill("365");
  await page.getByRole("button", { name: "Save key policy" }).click();
  await expect(page.getByText("Key policy saved. Existing keys keep their expiry.")).toBeVisible();
  expect(await policyNow()).toEqual({ maxLifetimeDays: 30, allowNoExpiry: false, defaultExpiryDays: 14, maxGrace: "1h", maxAccountKeyLifetimeDays: 365 });

  // Ada's seeded key (90 days) exceeds the new maximum, and is left as it was.
  const keys = ((await (await fetch(api("/keys"), as("ada"))).json()) as { keys: { name: string; expiresAt: string }[] }).keys;
  expect(Date.parse(keys.find((k) => k.name === "Ada")!.expiresAt) - Date.now()).toBeGreaterThan(80 * DAY);

  await page.goto(`${server.url}/admin/audit`);
  await expect(page.getByText(/Ada Admin changed the key policy: personal keys live at most 30 days \(was: personal keys live without a limit\)/)).toBeVisible();
  await page.context().close();
});

test("the Generate dialog offers only what the policy allows, says why, and the server refuses the rest", async ({ browser }) => {
  const page = await signedIn(browser, BOB);
  await page.goto(`${server.url}/settings/api-keys`);
  await page.getByRole("button", { name: "Generate API key" }).click();
  const dialog = page.getByRole("dialog", { name: "Generate API key" });
  const expiration = dialog.getByLabel("Expiration");
  await expect(expiration).toHaveAccessibleDescription(/key policy allows personal keys of at most 30 days/);
  expect(await expiration.locator("option").allTextContents()).toEqual(["7 days", "30 days", "Custom…"]);
  await expect(dialog.getByText("“No expiration” is not offered")).toBeVisible();
  // The policy's default (14 days) is not a preset: it is offered as a custom number of days.
  await expect(expiration).toHaveValue("custom");
  await expect(dialog.getByLabel("Number of days")).toHaveValue("14");
  await dialog.getByLabel("Name").fill("Too long");
  await dialog.getByLabel("Number of days").fill("45");
  await dialog.getByRole("button", { name: "Generate", exact: true }).click();
  await expect(expiration).toHaveAccessibleDescription(/The key policy allows personal keys of at most 30 days\./);
  await dialog.getByLabel("Number of days").fill("30");
  await dialog.getByRole("button", { name: "Generate", exact: true }).click();
  const reveal = page.getByRole("dialog", { name: "Your new API key" });
  await reveal.getByRole("button", { name: "Copy" }).click();
  await reveal.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("row").filter({ hasText: "Too long" })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await page.context().close();
});

test("REST: a lifetime, a missing expiry or a grace period past the policy is a 422 that names the limit; nothing is made", async () => {
  const count = async () => ((await (await fetch(api("/keys"), as("bob"))).json()) as { keys: unknown[] }).keys.length;
  const before = await count();
  for (const [body, limit] of [
    [{ name: "REST 90", expiresInDays: 90 }, { name: "maxLifetimeDays", value: 30 }],
    [{ name: "REST never", expiresInDays: null }, { name: "maxLifetimeDays", value: 30 }],
  ] as const) {
    const res = await fetch(api("/keys"), { method: "POST", ...as("bob", body) });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { code: string; detail: string; limit: unknown; errors: Record<string, string[]> };
    expect(problem).toMatchObject({ code: "validation_failed", limit, errors: { expiresInDays: [expect.stringContaining("at most 30 days")] } });
  }
  expect(await count()).toBe(before);
  // Left out, the policy's default.
  const made = await fetch(api("/keys"), { method: "POST", ...as("bob", { name: "REST default" }) });
  expect(made.status).toBe(201);
  const key = ((await made.json()) as { key: { id: string; expiresAt: string } }).key;
  expect(Math.abs(Date.parse(key.expiresAt) - (Date.now() + 14 * DAY))).toBeLessThan(HOUR);

  const rotate = await fetch(api(`/keys/${key.id}/rotate`), { method: "POST", ...as("bob", { grace: "24h" }) });
  expect(rotate.status).toBe(422);
  expect(await rotate.json()).toMatchObject({ limit: { name: "maxGraceSeconds", value: 3600 }, detail: "The key policy allows a grace period of at most 1 hour." });
  expect(await keyAnswer(server.url, s.keys.bob!.secret)).toBe("200");
});

test("CLI: the policy's refusal names the limit; tokens edit renames and re-dates a token", async () => {
  const refused = await cli(["tokens", "create", "--name", "From CLI", "--days", "90"], s.keys.bob!.secret);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("Refused by the key policy (maxLifetimeDays: 30): The key policy allows personal keys of at most 30 days.");
  const never = await cli(["tokens", "create", "--name", "From CLI", "--no-expiry"], s.keys.bob!.secret);
  expect(never.code).toBe(1);
  expect(never.stderr).toContain("Refused by the key policy");

  const edited = await cli(["tokens", "edit", "REST default", "--name", "Edited by CLI", "--days", "7"], s.keys.bob!.secret);
  expect(edited.stderr).toBe("");
  expect(edited.code).toBe(0);
  expect(edited.stdout).toMatch(/^Token "Edited by CLI" \(lk_pat_.+\) saved; expires \d{4}-\d\d-\d\d\.$/);
  const tooLong = await cli(["tokens", "edit", "Edited by CLI", "--days", "31"], s.keys.bob!.secret);
  expect(tooLong.code).toBe(1);
  expect(tooLong.stderr).toContain("maxLifetimeDays: 30");
});

test("CLI: tokens create and tokens edit --project limit a token to some projects (role by name, or the owner's own); --all-projects lifts it", async () => {
  const bob = s.keys.bob!.secret;
  const created = await cli(["tokens", "create", "--name", "CLI scoped", "--days", "7", "--project", "docs"], bob);
  expect(created.code).toBe(0);
  expect(created.stderr).toContain(", limited to Docs (Editor).");
  const scoped = created.stdout;
  expect((await getMe(server.url, scoped)).body.projects!.map((p) => [p.slug, p.role])).toEqual([["docs", "Editor"]]);

  const edited = await cli(["tokens", "edit", "CLI scoped", "--project", "billing:viewer"], bob);
  expect(edited.stderr).toBe("");
  expect(edited.code).toBe(0);
  expect(edited.stdout).toMatch(/^Token "CLI scoped" \(lk_pat_.+\) saved; expires \d{4}-\d\d-\d\d; limited to Billing \(Viewer\)\.$/);
  // The same key, at once: Billing only, as a Viewer.
  expect((await getMe(server.url, scoped)).body.projects!.map((p) => [p.slug, p.role])).toEqual([["billing", "Viewer"]]);

  const tooMuch = await cli(["tokens", "edit", "CLI scoped", "--project", "docs:Admin"], bob);
  expect(tooMuch.code).toBe(1);
  expect(tooMuch.stderr).toBe("latchkey: Invalid input: restriction: Admin in Docs is more than your own role there (Editor).");
  const nowhere = await cli(["tokens", "edit", "CLI scoped", "--project", "nowhere"], bob);
  expect(nowhere.code).toBe(1);
  expect(nowhere.stderr).toBe('latchkey: Not found: you are not a member of a project "nowhere". Your projects: billing, docs.');
  const both = await cli(["tokens", "edit", "CLI scoped", "--project", "docs", "--all-projects"], bob);
  expect(both.code).toBe(2);
  expect((await getMe(server.url, scoped)).body.projects!.map((p) => p.slug)).toEqual(["billing"]);

  const lifted = await cli(["tokens", "edit", "CLI scoped", "--all-projects"], bob);
  expect(lifted.code).toBe(0);
  expect(lifted.stdout).toContain("; all your projects.");
  expect((await getMe(server.url, scoped)).body.projects!.map((p) => p.slug).sort()).toEqual(["billing", "docs"]);
  expect((await cli(["tokens", "edit", "--help"], bob)).stdout).toContain("--project PROJECT[:ROLE]");
});

test("Edit access key in Settings > API Keys: rename, new expiry and projects; REST PATCH keeps names unique; audited", async ({ browser }) => {
  const page = await signedIn(browser, BOB);
  await page.goto(`${server.url}/settings/api-keys`);
  await page.getByRole("row").filter({ hasText: "Too long" }).getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit access key" });
  await expect(dialog.getByLabel("Expiration")).toHaveValue("keep");
  await dialog.getByLabel("Name").fill("Docs reader");
  await dialog.getByLabel("Expiration").selectOption({ label: "7 days" });
  await dialog.getByLabel("Only the projects I choose").check();
  await dialog.getByLabel("Docs", { exact: true }).check();
  await dialog.getByLabel("Role in Docs").selectOption({ label: "Viewer" });
  await dialog.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Key “Docs reader” saved.")).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: "Docs reader" });
  await expect(row).toContainText("Only: Docs (Viewer)");
  await expect(row).toContainText("in 7 days");
  await expectNoSidewaysScroll(page);

  const keys = ((await (await fetch(api("/keys"), as("bob"))).json()) as { keys: { id: string; name: string }[] }).keys;
  const id = keys.find((k) => k.name === "Docs reader")!.id;
  const taken = await fetch(api(`/keys/${id}`), { method: "PATCH", ...as("bob", { name: "Bob CLI" }) });
  expect(taken.status).toBe(422);
  expect(((await taken.json()) as { errors: Record<string, string[]> }).errors.name![0]).toContain("You already have a key named “Bob CLI”");
  const others = await fetch(api(`/keys/${id}`), { method: "PATCH", ...as("ada", { name: "Hijacked" }) });
  expect(others.status).toBe(404);

  await page.context().close();
  const audit = (await (await fetch(api("/admin/audit-events?action=key.edited"), as("ada"))).json()) as { events: { sentence?: string; details?: unknown }[] };
  expect(JSON.stringify(audit)).toContain("Docs reader");
});

test("Rotate: the confirmation says when the old key stops, the new key's expiry is chosen, and the cut-off shows as the old key's expiry everywhere", async ({ browser }) => {
  const page = await signedIn(browser, BOB);
  await page.goto(`${server.url}/settings/api-keys`);
  await page.getByRole("row").filter({ hasText: "Bob CLI" }).getByRole("button", { name: "Rotate" }).click();
  const dialog = page.getByRole("dialog", { name: "Rotate “Bob CLI”?" });
  const promise = dialog.getByTestId("rotate-promise");
  await expect(promise).toContainText("will be permanently disabled");
  // Only the grace periods the policy allows (at most 1 hour).
  await expect(dialog.getByRole("group", { name: "When should the old key stop working?" }).getByRole("radio")).toHaveCount(2);
  await dialog.getByLabel("In 1 hour").check();
  await expect(promise).toContainText("keeps working until");
  await expect(promise).toContainText("stops working at that time");
  await expect(promise).not.toContainText("permanently disabled");
  // The new key's expiry: by default the old key's lifetime (30 days).
  const expiration = dialog.getByLabel("New key’s expiration");
  await expect(expiration).toHaveValue("30");
  await expiration.selectOption({ label: "7 days" });
  await dialog.getByRole("button", { name: "Rotate key" }).click();
  const reveal = page.getByRole("dialog", { name: "Your rotated API key" });
  const fresh = await reveal.getByLabel("API key").inputValue();
  await reveal.getByRole("button", { name: "Copy" }).click();
  await reveal.getByRole("button", { name: "Done" }).click();

  const old = s.keys.bob!.secret;
  const rows = page.getByRole("row").filter({ hasText: "Bob CLI" });
  await expect(rows.filter({ hasText: "Being replaced" })).toContainText("in 1 hour");
  await expect(rows.filter({ hasNotText: "Being replaced" })).toContainText("in 7 days");

  // GET /me, POST /keys/verify and the CLI all give the cut-off as the old key's expiry.
  const me = await getMe(server.url, old);
  expect(me.status).toBe(200);
  const cutOff = Date.parse(me.body.key!.expiresAt!);
  expect(Math.abs(cutOff - (Date.now() + HOUR))).toBeLessThan(5 * 60_000);
  const verified = await verifyKeyWith(server.url, s.keys.ada!.secret, { key: old });
  expect(verified.status).toBe(200);
  expect(Date.parse((verified.body as { key: { expiresAt: string } }).key.expiresAt)).toBe(cutOff);
  const listed = await cli(["tokens", "list", "--json"], fresh);
  const oldListed = (JSON.parse(listed.stdout) as { keys: { status: string; expiresAt: string }[] }).keys.find((k) => k.status === "rotating")!;
  expect(Date.parse(oldListed.expiresAt)).toBe(cutOff);
  expect(Date.parse((await getMe(server.url, fresh)).body.key!.expiresAt!) - Date.now()).toBeLessThan(7 * DAY + HOUR);
  await page.context().close();
});

test("API accounts: a key expiry at creation and regenerate with a grace period; the old key works until then, as the dialog and the Users table say", async ({ browser }) => {
  const page = await signedIn(browser, ADA);
  await page.goto(`${server.url}/admin/users`);
  const row = page.getByRole("row").filter({ hasText: "bot" }).filter({ hasText: "API account" });
  await row.getByRole("button", { name: "View API Key For Account" }).click();
  const dialog = page.getByRole("dialog", { name: "API key for bot" });
  await dialog.getByRole("button", { name: "Regenerate API Key" }).click();
  const promise = dialog.getByTestId("regenerate-promise");
  await expect(promise).toContainText("The current key stops working at once");
  await dialog.getByLabel("In 1 hour").check();
  await expect(promise).toContainText("The current key keeps working until");
  // Within the policy's maximum for API-account keys (365 days): no "No expiration".
  const expiration = dialog.getByLabel("New key’s expiration");
  expect(await expiration.locator("option").allTextContents()).not.toContain("No expiration");
  await expiration.selectOption({ label: "30 days" });
  await dialog.getByRole("button", { name: "Regenerate", exact: true }).click();
  const field = dialog.getByRole("textbox", { name: "API Key", exact: true });
  await expect(field).toHaveValue(/^lk_sa_/);
  const fresh = await field.inputValue();
  botKey = fresh;
  await expect(page.getByText(/New API key generated\. The old key works until/)).toBeVisible();
  await expect(dialog.getByText(/works until/)).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).first().click();

  expect(await keyAnswer(server.url, s.keys.bot!.secret)).toBe("200");
  expect(await keyAnswer(server.url, fresh)).toBe("200");
  await expect(row).toContainText("Previous key works until in 1 hour");
  await expect(row).toContainText("Key expires in 30 days");

  // An admin edits an API account's key: a new expiry within the policy (at most 365 days).
  await row.getByRole("button", { name: "View API Key For Account" }).click();
  await dialog.getByRole("button", { name: "Edit access key" }).click();
  const edit = dialog.getByRole("form", { name: "Edit access key" });
  expect(await edit.getByLabel("Key expiration").locator("option").allTextContents()).not.toContain("No expiration");
  await edit.getByLabel("Key expiration").selectOption({ label: "90 days" });
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Key “Default” saved.")).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).first().click();
  await expect(row).toContainText("Key expires in 90 days");
  expect(await keyAnswer(server.url, fresh)).toBe("200");

  // REST: an account key past the policy's maximum is refused, naming it.
  const refused = await fetch(api("/admin/api-accounts"), { method: "POST", ...as("ada", { username: "too-long-bot", memberships: [{ projectId: s.projects.docs!.id, roleId: s.roles.Viewer! }], expiresInDays: 400 }) });
  expect(refused.status).toBe(422);
  expect(await refused.json()).toMatchObject({ limit: { name: "maxAccountKeyLifetimeDays", value: 365 } });
  const regen = await fetch(api(`/admin/api-accounts/${s.users.bot!.id}/key/regenerate`), { method: "POST", ...as("ada", { grace: "7d" }) });
  expect(regen.status).toBe(422);
  expect(await regen.json()).toMatchObject({ limit: { name: "maxGraceSeconds", value: 3600 } });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expectNoSidewaysScroll(page);
  await page.goto(`${server.url}/admin/key-policy`);
  await expect(page.getByRole("heading", { name: "Key policy", level: 1 })).toBeVisible();
  await expectNoSidewaysScroll(page);
  await page.context().close();
});

test("View API Key For Account > Edit access key: a Global Admin renames the account's key and limits it to one of the account's projects; GET /me says so; audited", async ({ browser }) => {
  expect(botKey).toMatch(/^lk_sa_/);
  expect((await getMe(server.url, botKey)).body.projects!.map((p) => p.slug).sort()).toEqual(["billing", "docs"]);
  const page = await signedIn(browser, ADA);
  await page.goto(`${server.url}/admin/users`);
  const row = page.getByRole("row").filter({ hasText: "bot" }).filter({ hasText: "API account" });
  await row.getByRole("button", { name: "View API Key For Account" }).click();
  const dialog = page.getByRole("dialog", { name: "API key for bot" });
  await expect(dialog.getByTestId("account-key-access")).toHaveText("All the account’s projects");
  await dialog.getByRole("button", { name: "Edit access key" }).click();
  const edit = dialog.getByRole("form", { name: "Edit access key" });
  await expect(edit.getByLabel("Name")).toHaveValue("Default");
  await expect(edit.getByLabel("Key expiration")).toHaveValue("keep");
  await edit.getByLabel("Name").fill("Billing deploys");
  await edit.getByLabel("Only the projects I choose").check();
  // The account's own projects and roles, not the admin's: Ada is not in Billing; the account is its Editor.
  await expect(edit.getByText("The account’s role: Editor")).toBeVisible();
  await edit.getByLabel("Billing", { exact: true }).check();
  await edit.getByLabel("Role in Billing").selectOption({ label: "Viewer" });
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Key “Billing deploys” saved.")).toBeVisible();
  await expect(edit).toBeHidden();
  await expect(dialog.getByTestId("account-key-access")).toHaveText("Only: Billing (Viewer)");
  await expect(dialog.getByText("Billing deploys", { exact: true })).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).first().click();

  // The same key (not a new one) now reaches Billing only, as a Viewer.
  const me = await getMe(server.url, botKey);
  expect(me.status).toBe(200);
  expect(me.body.key!.name).toBe("Billing deploys");
  expect(me.body.projects!.map((p) => [p.slug, p.role])).toEqual([["billing", "Viewer"]]);

  // REST: the account's name stays unique, and a project the account is not in is refused in the account's words.
  const keyId = me.body.key!.id;
  const outside = await fetch(api(`/keys/${keyId}`), { method: "PATCH", ...as("ada", { restriction: [{ projectId: s.projects.docs!.id, role: "Admin" }] }) });
  expect(outside.status).toBe(422);
  expect(((await outside.json()) as { errors: Record<string, string[]> }).errors.restriction).toEqual(["Admin in Docs is more than the account’s own role there (Viewer)."]);
  const byBob = await fetch(api(`/keys/${keyId}`), { method: "PATCH", ...as("bob", { name: "Hijacked" }) });
  expect(byBob.status).toBe(404);

  await page.goto(`${server.url}/admin/audit`);
  await expect(page.getByText(/Ada Admin renamed API account bot’s key “Default” to “Billing deploys”; it is now limited to some projects/)).toBeVisible();
  const audit = (await (await fetch(api("/admin/audit-events?action=key.edited"), as("ada"))).json()) as { events: { actor: string; targetLabel: string; details: Record<string, unknown> }[] };
  const edited = audit.events.find((e) => e.targetLabel === "Billing deploys")!;
  expect(edited.actor).toBe("ada@example.com");
  expect(edited.details).toEqual({
    name: { from: "Default", to: "Billing deploys" },
    restriction: { from: null, to: [{ projectId: s.projects.billing!.id, roleId: s.roles.Viewer! }] },
  });
  await page.context().close();
});
