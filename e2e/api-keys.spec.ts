import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import postgres from "postgres";
import { freshDatabase, startServer, type TestServer } from "./support/server";
import { ADMIN, formAlert, signIn, signOut } from "./support/ui";

test.describe.configure({ mode: "serial" });

const BOB = { email: "bob@example.com", password: "bob-password-1234" };
const NEW_PASSWORD = "a much better passphrase";
const KEY_SHAPE = /^lk_pat_[0-9A-Za-z]{38}$/;

let db: Awaited<ReturnType<typeof freshDatabase>>;
let server: TestServer;
/** Every key the browser was shown: none of them may appear in a page afterwards. */
const seen: string[] = [];
/** Ada's own rotate and revoke requests, replayed later as Bob. */
const captured: Partial<Record<"generate" | "rotate" | "revoke", { id: string; contentType: string; body: string; keyId: string }>> = {};

/** ADMIN_EMAIL makes sure that admin exists at start: two starts on one database give two people. */
async function start(admin: { email: string; password: string }) {
  server = await startServer({ ADMIN_EMAIL: admin.email, ADMIN_PASSWORD: admin.password }, db);
}

/** Sets a column that only the admin screens (another issue) can set today, with the server stopped. */
async function setFlag(email: string, statement: string) {
  await server.stop();
  if (db.databaseUrl) {
    const sql = postgres(db.databaseUrl, { max: 1, onnotice: () => {} });
    await sql.unsafe(`${statement} where email = $1`, [email]);
    await sql.end();
  } else {
    const pg = new PGlite(path.join(db.dataDir, "pgdata"));
    await pg.query(`${statement} where email = $1`, [email]);
    await pg.close();
  }
  await start(ADMIN);
}

test.beforeAll(async () => {
  db = await freshDatabase();
  await start(BOB);
  await server.stop();
  await start(ADMIN);
});
test.afterAll(async () => {
  await server?.stop();
  await db?.drop();
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
  const in90Days = new Date(Date.now() + 90 * 86_400_000).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
  await expect(page.getByText(`Next to expire: “Default” on ${in90Days}.`)).toBeVisible();
  await page.getByRole("link", { name: "Settings > API Keys" }).click();
  await expect(page).toHaveURL(/\/settings\/api-keys$/);
  await expect(keyRow(page, secret)).toContainText("Default");
  await expect(keyRow(page, secret)).toContainText("Active");
  await expect(keyRow(page, secret)).toContainText("Never"); // last used
  await page.reload();
  await expectNoKeyIn(page, context);
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
  const in30Days = new Date(Date.now() + 30 * 86_400_000).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
  await expect(row).toContainText(in30Days);
  await expect(row.getByRole("cell").nth(4)).toHaveText("0"); // requests in 30 days

  await page.reload();
  await expect(keyRow(page, secret)).toBeVisible();
  await expectNoKeyIn(page, context);
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
});

test("Rotate, immediately: a new key in the reveal dialog, the old one Revoked", async ({ page }) => {
  capture(page, "rotate");
  await signInAs(page, ADMIN);
  await page.goto(`${server.url}/settings/api-keys`);
  const old = seen[1]!; // CI
  await keyRow(page, old).getByRole("button", { name: "Rotate" }).click();
  const dialog = page.getByRole("dialog", { name: "Rotate “CI”?" });
  await expect(dialog).toContainText("will be permanently disabled and replaced by a new key");
  await expect(dialog.getByRole("group", { name: "When should the old key stop working?" })).toBeVisible();
  await expect(dialog.getByLabel("Immediately")).toBeChecked();
  await dialog.getByRole("button", { name: "Rotate key" }).click();
  const fresh = await copyRevealedKey(page);
  expect(fresh).not.toBe(old);

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

test("Rotate with a grace period of 1 hour: the old key shows it is being replaced and until when", async ({ page }) => {
  await signInAs(page, ADMIN);
  await page.goto(`${server.url}/settings/api-keys`);
  const old = seen.at(-1)!; // the CI key from the last rotation
  await keyRow(page, old).getByRole("button", { name: "Rotate" }).click();
  const dialog = page.getByRole("dialog", { name: "Rotate “CI”?" });
  await dialog.getByLabel("In 1 hour").check();
  await dialog.getByRole("button", { name: "Rotate key" }).click();
  const fresh = await copyRevealedKey(page);
  await expect(keyRow(page, fresh)).toContainText("Active");
  const replaced = keyRow(page, old);
  await expect(replaced).toContainText("Being replaced");
  await expect(replaced).toContainText(/Stops working \w{3} \d{1,2}, \d{4}, \d{2}:\d{2} UTC/);
  // A key on its way out can be revoked at once, but not rotated again.
  await expect(replaced.getByRole("button", { name: "Rotate" })).toHaveCount(0);
  await expect(replaced.getByRole("button", { name: "Revoke" })).toBeVisible();
});

test("Revoke: the confirmation names the key; it stays listed as Revoked", async ({ page }) => {
  capture(page, "revoke");
  await signInAs(page, ADMIN);
  await page.goto(`${server.url}/settings/api-keys`);
  const scratch = page.getByRole("row").filter({ hasText: "Scratch" });
  await scratch.getByRole("button", { name: "Revoke" }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke “Scratch”?" });
  await expect(dialog).toContainText("stops working at once");
  await dialog.getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Key “Scratch” revoked." })).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(scratch).toBeHidden();
  await page.getByLabel("Show revoked").check();
  await expect(page.getByRole("row").filter({ hasText: "Scratch" })).toContainText("Revoked");
  expect(captured.revoke).toBeDefined();
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
    const res = await bob.request.post(`${server.url}/settings/api-keys`, {
      headers: { "next-action": request.id, "content-type": request.contentType, origin: server.url },
      data: request.body.replaceAll(request.keyId, keyId),
    });
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

test("must change password: every console page and action leads to the change-password form until it is done; then, without API access, no keys", async ({ page }) => {
  await setFlag(BOB.email, "update users set must_change_password = true, is_org_admin = false, api_access = false");
  await signIn(page, server.url, BOB.email, BOB.password);
  await expect(page).toHaveURL(/\/profile\/password$/);
  await expect(page.getByRole("heading", { name: "Change your password" })).toBeVisible();
  await expect(page.getByText("Your password was set by an administrator.")).toBeVisible();
  for (const url of ["/", "/settings/api-keys", "/profile", "/admin"]) {
    await page.goto(`${server.url}${url}`);
    await expect(page).toHaveURL(/\/profile\/password$/);
  }
  // Generate API key, posted directly, is turned away too.
  const generate = captured.generate!;
  const postGenerate = () =>
    page.request.post(`${server.url}/settings/api-keys`, {
      headers: { "next-action": generate.id, "content-type": generate.contentType, origin: server.url },
      data: generate.body,
      maxRedirects: 0,
    });
  const refused = await postGenerate();
  expect(refused.headers()["x-action-redirect"]).toContain("/profile/password");
  expect(await refused.text()).not.toMatch(/lk_pat_[0-9A-Za-z]{38}/);

  await page.getByLabel("Current password").fill(BOB.password);
  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();

  // Bob has no API access: the profile says who can grant it, and the action refuses by itself.
  await page.goto(`${server.url}/profile`);
  await expect(page.getByText("A Global Admin must grant you API access first.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Generate API Key" })).toHaveCount(0);
  const forbidden = await postGenerate();
  expect(await forbidden.text()).toContain("You do not have API access. Ask a Global Admin to grant it.");
  await page.goto(`${server.url}/settings/api-keys?revoked=1`);
  await expect(page.getByRole("heading", { name: "API Keys" })).toBeVisible();
  await expect(page.getByText("You have no API keys.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Generate API key" })).toHaveCount(0);
});
