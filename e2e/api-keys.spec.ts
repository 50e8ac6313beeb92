import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import { getMe, keyAnswer, verifyKeyWith } from "./support/api";
import { startServer, type TestServer } from "./support/server";
import { ADMIN, formAlert, signIn, signOut } from "./support/ui";

test.describe.configure({ mode: "serial" });

/** Added by Ada on Global Administration > Users; the password is the one he picks at his first sign-in. */
const BOB = { name: "Bob Builder", email: "bob@example.com", password: "bob-password-1234" };
const NEW_PASSWORD = "a much better passphrase";
const KEY_SHAPE = /^lk_pat_[0-9A-Za-z]{38}$/;

let server: TestServer;
/** Every key the browser was shown: none of them may appear in a page afterwards. */
const seen: string[] = [];
/** Ada's own generate, rotate and revoke requests, replayed later as Bob. */
const captured: Partial<Record<"generate" | "rotate" | "revoke", { id: string; contentType: string; body: string; keyId: string }>> = {};

/** Bob's key limited to one project, and his one-time initial password. */
let bobKey = "";
let bobInitialPassword = "";

test.beforeAll(async () => {
  server = await startServer({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
});
test.afterAll(async () => {
  await server?.stop();
});
test.beforeEach(async ({ context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
});

async function signInAs(page: Page, who: { email: string; password: string }) {
  await signIn(page, server.url, who.email, who.password);
  await expect(page.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();
}

/** The reveal dialog: reads the key, copies it, checks the clipboard holds exactly it, and closes. */
async function copyRevealedKey(page: Page): Promise<string> {
  const dialog = page.getByRole("dialog");
  const field = dialog.getByLabel("API key");
  await expect(field).toHaveAttribute("readonly", "");
  const secret = await field.inputValue();
  expect(secret).toMatch(KEY_SHAPE);
  seen.push(secret);
  await expect(dialog.getByText("It will not be shown again.")).toBeVisible();
  await dialog.getByRole("button", { name: "Copy" }).click();
  await expect(dialog.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
  return secret;
}

const masked = (secret: string) => `${secret.slice(0, 11)}…${secret.slice(-4)}`;
const keyRow = (page: Page, secret: string) => page.getByRole("row").filter({ hasText: masked(secret) });

async function expectNoKeyIn(page: Page, context: BrowserContext) {
  for (const url of ["/settings/api-keys", "/settings/api-keys?revoked=1", "/profile"]) {
    for (const headers of [{}, { RSC: "1" }] as Record<string, string>[]) {
      const res = await context.request.get(`${server.url}${url}`, { headers });
      expect(res.status()).toBe(200);
      const body = await res.text();
      // The request was really signed in: the page (or its payload) is there, with the display parts of my first key.
      expect(body).toContain(url.startsWith("/profile") ? "User Profile" : masked(seen[0]!));
      for (const secret of seen) {
        expect(body).not.toContain(secret);
        expect(body).not.toContain(secret.slice(11, -4));
      }
    }
  }
  for (const secret of seen) expect(await page.content()).not.toContain(secret);
}

/** Records the first server-action POST the page makes (the way foundation.spec.ts records setup's). */
function capture(page: Page, kind: "generate" | "rotate" | "revoke") {
  page.on("request", (req) => {
    const id = req.headers()["next-action"];
    const body = req.postData();
    if (req.method() !== "POST" || !id || !body || captured[kind]) return;
    const keyId = body.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/)?.[0] ?? "";
    captured[kind] = { id, contentType: req.headers()["content-type"]!, body, keyId };
  });
}

/** Replays Ada's recorded action with another browser's cookies, as a script would post it (optionally with another body). */
function postAction(context: BrowserContext, kind: keyof typeof captured, body?: string) {
  const request = captured[kind]!;
  return context.request.post(`${server.url}/settings/api-keys`, {
    headers: { "next-action": request.id, "content-type": request.contentType, origin: server.url },
    data: body ?? request.body,
    maxRedirects: 0,
  });
}

test("User Profile: first-time Generate API Key shows the key once, and Copy puts exactly it on the clipboard", async ({ page, context }) => {
  await signInAs(page, ADMIN);
  await page.getByRole("button", { name: "User menu" }).click();
  await page.getByRole("menuitem", { name: "User Profile" }).click();
  await expect(page.getByRole("heading", { name: "User Profile" })).toBeVisible();
  await expect(page.getByText("ada@example.com").first()).toBeVisible();
  await expect(page.getByText("You have no active API key.")).toBeVisible();

  await page.getByRole("button", { name: "Generate API Key" }).click();
  await expect(page.getByRole("dialog", { name: "Your new API key" })).toBeVisible();
  const secret = await copyRevealedKey(page);

  await expect(page.getByText("You have 1 active API key.")).toBeVisible();
  // Relative, with the exact date (in the browser's zone) on hover.
  const in90Days = new Date(Date.now() + 90 * 86_400_000).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric" });
  const nextToExpire = page.getByText("Next to expire: “Default”, in 90 days.");
  await expect(nextToExpire).toBeVisible();
  await expect(nextToExpire.locator("time")).toHaveAttribute("title", new RegExp(`^${in90Days}, `));
  await page.getByRole("link", { name: "Settings > API Keys" }).click();
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
  await expect(keyRow(page, secret)).toContainText("Default");
  await expect(keyRow(page, secret)).toContainText("Active");
  await expect(keyRow(page, secret)).toContainText("Never"); // last used
  await page.reload();
  await expectNoKeyIn(page, context);

  // Checked last: a use would show in "Last used" above. The copied key is Ada's, for all her projects.
  const me = await getMe(server.url, secret);
  expect(me.status).toBe(200);
  expect(me.body.owner).toMatchObject({ email: ADMIN.email, kind: "human", isOrgAdmin: true });
  expect(me.body.key).toMatchObject({ name: "Default", kind: "pat", restricted: false });
});

test("Settings opens on API Keys", async ({ page }) => {
  await signInAs(page, ADMIN);
  await page.getByRole("button", { name: "User menu" }).click();
  await page.getByRole("menuitem", { name: "Settings" }).click();
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
  await expect(page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "API Keys" })).toHaveAttribute("aria-current", "page");
});

test("Generate API key: empty, too long and duplicate names are refused next to the field", async ({ page }) => {
  await signInAs(page, ADMIN);
  await page.goto(`${server.url}/settings/api-keys`);
  await page.getByRole("button", { name: "Generate API key" }).click();
  const dialog = page.getByRole("dialog", { name: "Generate API key" });
  const name = dialog.getByLabel("Name");
  const generate = dialog.getByRole("button", { name: "Generate", exact: true });

  await generate.click();
  await expect(name).toHaveAccessibleDescription(/Enter a name\./);
  await expect(name).toHaveAttribute("aria-invalid", "true");

  await name.fill("x".repeat(65));
  await generate.click();
  await expect(name).toHaveAccessibleDescription(/Use at most 64 characters\./);

  await name.fill("Default");
  await dialog.getByLabel("Expiration").selectOption({ label: "Custom…" });
  await dialog.getByLabel("Number of days").fill("4000");
  await generate.click();
  await expect(dialog.getByLabel("Number of days")).toHaveAccessibleDescription(/Enter between 1 and 3650 days\./);
  // What was chosen stays chosen after the refusal.
  await expect(dialog.getByLabel("Expiration")).toHaveValue("custom");
  await expect(name).toHaveValue("Default");

  await dialog.getByLabel("Number of days").fill("10");
  await generate.click();
  await expect(name).toHaveAccessibleDescription(/You already have a key named “Default”\. Choose another name\./);

  await dialog.getByLabel("Expiration").selectOption({ label: "No expiration" });
  await expect(dialog.getByText("A key without an expiration works until someone revokes it")).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
});

test("generate, copy, Done: the key is in the table by its start and last four only, and nowhere after reload", async ({ page, context }) => {
  await signInAs(page, ADMIN);
  await page.goto(`${server.url}/settings/api-keys`);
  await page.getByRole("button", { name: "Generate API key" }).click();
  const dialog = page.getByRole("dialog", { name: "Generate API key" });
  await dialog.getByLabel("Name").fill("CI");
  capture(page, "generate");
  await dialog.getByLabel("Expiration").selectOption({ label: "30 days" });
  await dialog.getByRole("button", { name: "Generate", exact: true }).click();
  const secret = await copyRevealedKey(page);

  const row = keyRow(page, secret);
  await expect(row).toContainText("CI");
  await expect(row).toContainText("All my projects");
  await expect(row).toContainText("Active");
  const in30Days = new Date(Date.now() + 30 * 86_400_000).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric" });
  await expect(row.getByText("in 30 days")).toHaveAttribute("title", new RegExp(`^${in30Days}, `));
  await expect(row.getByRole("cell").nth(4)).toHaveText("0"); // requests in 30 days

  await page.reload();
  await expect(keyRow(page, secret)).toBeVisible();
  await expectNoKeyIn(page, context);

  const me = await getMe(server.url, secret);
  expect(me.status).toBe(200);
  expect(me.body.key).toMatchObject({ name: "CI", restricted: false });
});

test("closing the reveal before copying asks first", async ({ page }) => {
  await signInAs(page, ADMIN);
  await page.goto(`${server.url}/settings/api-keys`);
  await page.getByRole("button", { name: "Generate API key" }).click();
  await page.getByRole("dialog").getByLabel("Name").fill("Scratch");
  await page.getByRole("dialog").getByRole("button", { name: "Generate", exact: true }).click();
  const field = page.getByRole("dialog").getByLabel("API key");
  seen.push(await field.inputValue());

  await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("dialog", { name: "Close without copying?" })).toBeVisible();
  await page.getByRole("button", { name: "Go back" }).click();
  await expect(field).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "Close without copying?" })).toBeVisible();
  await page.getByRole("button", { name: "Close without copying" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
  await expect(page.getByRole("row").filter({ hasText: "Scratch" })).toContainText("Active");
  expect(await keyAnswer(server.url, seen.at(-1)!)).toBe("200");
});

test("Rotate, immediately: a new key in the reveal dialog, the old one Revoked and refused at once", async ({ page }) => {
  capture(page, "rotate");
  await signInAs(page, ADMIN);
  await page.goto(`${server.url}/settings/api-keys`);
  const old = seen[1]!; // CI
  // Used just before: the server holds it as valid in its cache, which the rotation must not outlive.
  expect(await keyAnswer(server.url, old)).toBe("200");
  await keyRow(page, old).getByRole("button", { name: "Rotate" }).click();
  const dialog = page.getByRole("dialog", { name: "Rotate “CI”?" });
  await expect(dialog).toContainText("will be permanently disabled and replaced by a new key");
  await expect(dialog.getByRole("group", { name: "When should the old key stop working?" })).toBeVisible();
  await expect(dialog.getByLabel("Immediately")).toBeChecked();
  await dialog.getByRole("button", { name: "Rotate key" }).click();
  const fresh = await copyRevealedKey(page);
  expect(fresh).not.toBe(old);
  expect(await keyAnswer(server.url, old)).toBe("401 key_revoked");
  const me = await getMe(server.url, fresh);
  expect(me.status).toBe(200);
  expect(me.body.key).toMatchObject({ name: "CI", restricted: false });

  await expect(keyRow(page, fresh)).toContainText("Active");
  await expect(keyRow(page, old)).toBeHidden();
  await page.getByLabel("Show revoked").check();
  await expect(page).toHaveURL(/revoked=1/);
  await expect(keyRow(page, old)).toContainText("Revoked");
  await expect(keyRow(page, old).getByRole("button")).toHaveCount(0);
  await page.getByLabel("Show revoked").uncheck();
  await expect(page).not.toHaveURL(/revoked=1/);
  await expect(keyRow(page, old)).toBeHidden();
  expect(captured.rotate).toBeDefined();
});

test("Rotate with a grace period of 1 hour: the old key shows it is being replaced and until when, and both keys work", async ({ page }) => {
  await signInAs(page, ADMIN);
  await page.goto(`${server.url}/settings/api-keys`);
  const old = seen.at(-1)!; // the CI key from the last rotation
  expect(await keyAnswer(server.url, old)).toBe("200");
  await keyRow(page, old).getByRole("button", { name: "Rotate" }).click();
  const dialog = page.getByRole("dialog", { name: "Rotate “CI”?" });
  await dialog.getByLabel("In 1 hour").check();
  await dialog.getByRole("button", { name: "Rotate key" }).click();
  const fresh = await copyRevealedKey(page);
  expect(await keyAnswer(server.url, old)).toBe("200");
  expect(await keyAnswer(server.url, fresh)).toBe("200");
  await expect(keyRow(page, fresh)).toContainText("Active");
  const replaced = keyRow(page, old);
  await expect(replaced).toContainText("Being replaced");
  await expect(replaced).toContainText("Stops working in 1 hour");
  // Its expiry is now the end of its grace period: the Expires column and the status say the same time.
  await expect(replaced.getByText("in 1 hour")).toHaveCount(2);
  for (const time of await replaced.getByText("in 1 hour").all()) await expect(time).toHaveAttribute("title", /^\w{3} \d{1,2}, \d{4}, \d{2}:\d{2} \w+/);
  // A key on its way out can be revoked at once, but not rotated again.
  await expect(replaced.getByRole("button", { name: "Rotate" })).toHaveCount(0);
  await expect(replaced.getByRole("button", { name: "Revoke" })).toBeVisible();
});

test("Revoke: the confirmation names the key; it stays listed as Revoked and is refused at once", async ({ page }) => {
  capture(page, "revoke");
  await signInAs(page, ADMIN);
  await page.goto(`${server.url}/settings/api-keys`);
  const scratchKey = seen[2]!;
  expect(await keyAnswer(server.url, scratchKey)).toBe("200");
  const scratch = page.getByRole("row").filter({ hasText: "Scratch" });
  await scratch.getByRole("button", { name: "Revoke" }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke “Scratch”?" });
  await expect(dialog).toContainText("stops working at once");
  await dialog.getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Key “Scratch” revoked." })).toBeVisible();
  expect(await keyAnswer(server.url, scratchKey)).toBe("401 key_revoked");
  await expect(dialog).toBeHidden();
  await expect(scratch).toBeHidden();
  await page.getByLabel("Show revoked").check();
  await expect(page.getByRole("row").filter({ hasText: "Scratch" })).toContainText("Revoked");
  expect(captured.revoke).toBeDefined();
});

test("an admin adds Bob with two projects: his initial password is shown once, and every page and action leads to changing it", async ({ page, browser }) => {
  await signInAs(page, ADMIN);
  await page.goto(`${server.url}/admin/projects`);
  for (const name of ["Alpha", "Beta"]) {
    await page.getByRole("button", { name: "Create project" }).click();
    await page.getByRole("dialog").getByLabel("Name").fill(name);
    await page.getByRole("dialog").getByRole("button", { name: "Create project" }).click();
    await expect(page.getByRole("cell", { name, exact: true })).toBeVisible();
  }
  await page.getByRole("navigation", { name: "Global Administration" }).getByRole("link", { name: "Users" }).click();
  await page.getByRole("button", { name: "Add User" }).click();
  const dialog = page.getByRole("dialog", { name: "Add User" });
  await dialog.getByLabel("Name").fill(BOB.name);
  await dialog.getByLabel("Email").fill(BOB.email);
  await dialog.getByLabel("API access").check();
  await dialog.getByLabel("Alpha", { exact: true }).check();
  await dialog.getByLabel("Beta", { exact: true }).check();
  await dialog.getByLabel("Role for Alpha").selectOption({ label: "Admin" });
  await dialog.getByLabel("Role for Beta").selectOption({ label: "Editor" });
  await dialog.getByRole("button", { name: "Add User" }).click();
  const done = page.getByRole("dialog", { name: "User added" });
  bobInitialPassword = await done.getByRole("textbox", { name: "Initial password" }).inputValue();
  expect(bobInitialPassword.length).toBeGreaterThanOrEqual(20);
  await done.getByRole("button", { name: "Done" }).click();
  await expect(done).toBeHidden();
  const row = page.getByRole("row").filter({ hasText: BOB.email });
  await expect(row.getByText("Alpha: Admin")).toBeVisible();
  await expect(row.getByText("Beta: Editor")).toBeVisible();
  expect(await page.content()).not.toContain(bobInitialPassword);

  const bob = await browser.newContext();
  const bobPage = await bob.newPage();
  await signIn(bobPage, server.url, BOB.email, bobInitialPassword);
  await expect(bobPage).toHaveURL(/\/profile\/password$/);
  await expect(bobPage.getByRole("heading", { name: "Change your password" })).toBeVisible();
  await expect(bobPage.getByText("Your password was set by an administrator.")).toBeVisible();
  for (const url of ["/", "/settings/api-keys", "/profile", "/admin"]) {
    await bobPage.goto(`${server.url}${url}`);
    await expect(bobPage).toHaveURL(/\/profile\/password$/);
  }
  // Generate API key, posted directly, is turned away too.
  const refused = await postAction(bob, "generate");
  expect(refused.headers()["x-action-redirect"]).toContain("/profile/password");
  expect(await refused.text()).not.toMatch(/lk_pat_[0-9A-Za-z]{38}/);

  await bobPage.getByLabel("Current password").fill(bobInitialPassword);
  await bobPage.getByLabel("New password", { exact: true }).fill(BOB.password);
  await bobPage.getByLabel("Confirm new password").fill(BOB.password);
  await bobPage.getByRole("button", { name: "Change password" }).click();
  await expect(bobPage.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();
  await bobPage.goto(`${server.url}/profile`);
  const projects = bobPage.getByRole("table", { name: "My projects and roles" });
  await expect(projects.getByRole("row", { name: "Alpha Admin" })).toBeVisible();
  await expect(projects.getByRole("row", { name: "Beta Editor" })).toBeVisible();
  await bob.close();

  // The initial password did its one job.
  const again = await browser.newContext();
  const againPage = await again.newPage();
  await signIn(againPage, server.url, BOB.email, bobInitialPassword);
  await expect(formAlert(againPage)).toHaveText("Invalid email or password");
  await again.close();
});

test("another user's direct POST of Rotate or Revoke with my key id is answered as not found and changes nothing", async ({ page, browser }) => {
  await signInAs(page, ADMIN);
  await page.goto(`${server.url}/settings/api-keys`);
  const target = keyRow(page, seen[0]!); // Ada's "Default"
  await target.getByRole("button", { name: "Revoke" }).click();
  const keyId = await page.getByRole("dialog").locator('input[name="keyId"]').inputValue();
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();

  const bob = await browser.newContext();
  const bobPage = await bob.newPage();
  await signInAs(bobPage, BOB);
  for (const kind of ["rotate", "revoke"] as const) {
    const request = captured[kind]!;
    const res = await postAction(bob, kind, request.body.replaceAll(request.keyId, keyId));
    expect(res.status()).toBe(200);
    const body = await res.text();
    expect(body).toContain("Key not found.");
    expect(body).not.toMatch(/lk_pat_[0-9A-Za-z]{38}/);
  }
  await bobPage.goto(`${server.url}/settings/api-keys?revoked=1`);
  await expect(bobPage.getByText("You have no API keys.")).toBeVisible();
  await bob.close();

  await page.reload();
  await expect(target).toContainText("Active");
  await expect(page.getByRole("row").filter({ hasText: "Default" })).toHaveCount(1);
  // Nor did any key the browser was shown reach the server's log.
  for (const secret of seen) expect(server.output()).not.toContain(secret.slice(11, -4));
});

test("a key limited to one project with a lower role: GET /me shows only that, and verification for the other project is forbidden", async ({ page }) => {
  await signInAs(page, BOB);
  await page.goto(`${server.url}/settings/api-keys`);
  await page.getByRole("button", { name: "Generate API key" }).click();
  const dialog = page.getByRole("dialog", { name: "Generate API key" });
  await dialog.getByLabel("Name").fill("Alpha reader");
  await dialog.getByLabel("Only the projects I choose").check();
  // Never more than his own role: no Admin in Beta, where he is an Editor.
  await expect(dialog.getByLabel("Role in Alpha").locator("option")).toHaveText(["Admin", "Editor", "Viewer"]);
  await expect(dialog.getByLabel("Role in Beta").locator("option")).toHaveText(["Editor", "Viewer"]);
  await dialog.getByLabel("Alpha", { exact: true }).check();
  await dialog.getByLabel("Role in Alpha").selectOption({ label: "Viewer" });
  await dialog.getByRole("button", { name: "Generate", exact: true }).click();
  bobKey = await copyRevealedKey(page);
  await expect(keyRow(page, bobKey)).toContainText("Alpha (Viewer)");

  const me = await getMe(server.url, bobKey);
  expect(me.status).toBe(200);
  expect(me.body.owner).toMatchObject({ email: BOB.email, name: BOB.name, isOrgAdmin: false });
  expect(me.body.key).toMatchObject({ name: "Alpha reader", restricted: true });
  expect(me.body.projects!.map((p) => [p.slug, p.role, p.permissions])).toEqual([["alpha", "Viewer", ["*:read"]]]);

  // A backend asks with Ada's key (a Global Admin's, unrestricted): Bob is an Editor in Beta, his key is not.
  const ask = (question: { project?: string; permission?: string }) => verifyKeyWith(server.url, seen[0]!, { key: bobKey, ...question });
  const beta = await ask({ project: "beta" });
  expect(beta.status).toBe(200);
  expect(beta.body).toMatchObject({ valid: false, code: "forbidden", projects: [] });
  expect((await ask({ project: "alpha", permission: "documents:read" })).body).toMatchObject({
    valid: true,
    projects: [{ slug: "alpha", role: "Viewer" }],
  });
  expect((await ask({ project: "alpha", permission: "documents:write" })).body).toMatchObject({ valid: false, code: "forbidden" });
});

test("an admin takes Bob's API access away: his profile explains, his key is refused and he cannot make another; given back, it works again", async ({ page, browser }) => {
  await signInAs(page, ADMIN);
  await page.goto(`${server.url}/admin/users`);
  const row = page.getByRole("row").filter({ hasText: BOB.email });
  const setApiAccess = async (on: boolean) => {
    await row.getByRole("button", { name: "Edit projects and roles" }).click();
    const dialog = page.getByRole("dialog", { name: /Edit bob/ });
    await dialog.getByLabel("API access").setChecked(on);
    await dialog.getByRole("button", { name: "Save changes" }).click();
    await expect(dialog).toBeHidden();
  };
  expect(await keyAnswer(server.url, bobKey)).toBe("200");
  await setApiAccess(false);

  const refused = await getMe(server.url, bobKey);
  expect(refused.status).toBe(403);
  expect(refused.body).toMatchObject({ code: "forbidden", detail: "The key's owner no longer has API access." });
  expect((await verifyKeyWith(server.url, seen[0]!, { key: bobKey })).body).toMatchObject({ valid: false, code: "forbidden" });

  const bob = await browser.newContext();
  const bobPage = await bob.newPage();
  await signInAs(bobPage, BOB);
  await bobPage.goto(`${server.url}/profile`);
  await expect(bobPage.getByText("A Global Admin must grant you API access first.")).toBeVisible();
  await expect(bobPage.getByText("Your active API key is refused until then; it works again once access is granted.")).toBeVisible();
  await expect(bobPage.getByRole("button", { name: "Generate API Key" })).toHaveCount(0);
  // The action refuses by itself, whatever the page shows.
  const forbidden = await postAction(bob, "generate");
  expect(await forbidden.text()).toContain("You do not have API access. Ask a Global Admin to grant it.");
  await bobPage.goto(`${server.url}/settings/api-keys`);
  await expect(bobPage.getByRole("heading", { name: "API Keys" })).toBeVisible();
  await expect(bobPage.getByText("You do not have API access, so you cannot create keys and your keys are refused.")).toBeVisible();
  await expect(keyRow(bobPage, bobKey)).toBeVisible();
  await expect(keyRow(bobPage, bobKey).getByRole("button", { name: "Rotate" })).toHaveCount(0);
  await expect(bobPage.getByRole("button", { name: "Generate API key" })).toHaveCount(0);
  await bobPage.goto(`${server.url}/settings/api-keys?revoked=1`);
  await expect(bobPage.getByRole("row")).toHaveCount(2); // the header and "Alpha reader": nothing was made
  await bob.close();

  await setApiAccess(true);
  expect(await keyAnswer(server.url, bobKey)).toBe("200");
});

test("change password: a wrong current password is refused; success keeps me signed in and ends the old password", async ({ page, browser }) => {
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signInAs(otherPage, ADMIN);

  await signInAs(page, ADMIN);
  await page.goto(`${server.url}/profile`);
  const form = page.locator("section").filter({ has: page.getByRole("heading", { name: "Change password" }) });
  await form.getByLabel("Current password").fill("not my password at all");
  await form.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await form.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByLabel("Current password")).toHaveAccessibleDescription("Your current password is not correct.");
  await expect(form.getByLabel("New password", { exact: true })).toHaveValue(NEW_PASSWORD);

  await form.getByLabel("Confirm new password").fill(`${NEW_PASSWORD}!`);
  await form.getByLabel("Current password").fill(ADMIN.password);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByLabel("Confirm new password")).toHaveAccessibleDescription("The two new passwords do not match.");

  await form.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Password changed." })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { name: "User Profile" })).toBeVisible();

  // The session opened elsewhere with the old password has ended.
  await otherPage.goto(`${server.url}/profile`);
  await expect(otherPage).toHaveURL(/\/login/);
  await other.close();

  await signOut(page);
  await signIn(page, server.url, ADMIN.email, ADMIN.password);
  await expect(formAlert(page)).toHaveText("Invalid email or password");
  await signInAs(page, { email: ADMIN.email, password: NEW_PASSWORD });
});
