import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import { seedDatabase, type Seeded } from "./support/api";
import { freshDatabase, startServer, type TestServer } from "./support/server";
import { ADMIN, formAlert, signIn, signOut } from "./support/ui";

/** Sessions end on the server (sign-out, Sign out everywhere), password recovery, and where sign-in may send the browser. */
// Several sign-ins (argon2) per test: more than the default minute on a busy machine.
test.describe.configure({ mode: "serial", timeout: 180_000 });

const BOB = { email: "bob@example.com", password: "bob-password-1234", newPassword: "bobs-own-new-password" };
const PAT = /lk_pat_[0-9A-Za-z]{38}/;

let server: TestServer;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let s: Seeded;
/** Server actions recorded from Ada's browser, replayed from others. */
const captured: Record<string, { id: string; contentType: string; body: string; path: string }> = {};

test.beforeAll(async () => {
  // Seeding and starting the server share the machine with other work.
  test.setTimeout(180_000);
  db = await freshDatabase();
  s = seedDatabase(db, {
    users: [
      { ref: "ada", name: ADMIN.name, email: ADMIN.email, password: ADMIN.password, isOrgAdmin: true },
      { ref: "bob", name: "Bob Builder", email: BOB.email, password: BOB.password },
      { ref: "svc", kind: "api_account" },
    ],
    keys: [
      { ref: "ada", user: "ada", name: "Admin script" },
      { ref: "bob", user: "bob", name: "Bob script" },
    ],
  });
  server = await startServer({}, db);
});
test.afterAll(async () => {
  await server?.stop();
  await db?.drop();
});
test.beforeEach(async ({ context }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
});

function capture(page: Page, name: string) {
  page.on("request", (req) => {
    const id = req.headers()["next-action"];
    const body = req.postData();
    if (req.method() !== "POST" || !id || !body || captured[name]) return;
    captured[name] = { id, contentType: req.headers()["content-type"]!, body, path: new URL(req.url()).pathname };
  });
}

function replay(context: BrowserContext, name: string, body?: string) {
  const request = captured[name]!;
  return context.request.post(`${server.url}${request.path}`, {
    headers: { "next-action": request.id, "content-type": request.contentType, origin: server.url },
    data: body ?? request.body,
    maxRedirects: 0,
  });
}

async function signInAs(page: Page, who: { email: string; password: string }) {
  await signIn(page, server.url, who.email, who.password);
  await expect(page.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();
}

const usersRow = (page: Page, text: string) => page.getByRole("row").filter({ hasText: text });

/** A second browser that holds nothing but a copy of `from`'s cookies. */
async function copyOfCookies(from: BrowserContext, browser: { newContext: () => Promise<BrowserContext> }) {
  const copy = await browser.newContext();
  await copy.addCookies(await from.cookies());
  return copy;
}

async function expectSignedIn(page: Page) {
  await page.goto(`${server.url}/settings/api-keys`);
  await expect(page.getByRole("heading", { name: "API Keys" })).toBeVisible();
}

async function expectSignedOut(page: Page) {
  for (const path of ["/", "/settings/api-keys"]) {
    await page.goto(`${server.url}${path}`);
    await expect(page).toHaveURL(/\/login/);
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
  }
}

const api = (path: string, key: string, method = "POST") =>
  fetch(`${server.url}/api/v1${path}`, { method, headers: { authorization: `Bearer ${s.keys[key]!.secret}` } });

test("signing out ends the session on the server: a copy of the cookie is sent to sign in, and cannot generate a key", async ({ page, context, browser }) => {
  await signInAs(page, ADMIN);
  await page.goto(`${server.url}/settings/api-keys`);
  await page.getByRole("button", { name: "Generate API key" }).click();
  const dialog = page.getByRole("dialog", { name: "Generate API key" });
  await dialog.getByLabel("Name").fill("Before sign-out");
  capture(page, "generate");
  await dialog.getByRole("button", { name: "Generate", exact: true }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Copy" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("row").filter({ hasText: "Before sign-out" })).toContainText("Active");

  // The copy works while the session lives: what follows is the sign-out's doing.
  const copy = await copyOfCookies(context, browser);
  const copyPage = await copy.newPage();
  await expectSignedIn(copyPage);

  await signOut(page);
  await expectSignedOut(copyPage);
  const refused = await replay(copy, "generate", captured.generate!.body.replaceAll("Before sign-out", "After sign-out"));
  expect(refused.headers()["x-action-redirect"]).toContain("/login");
  expect(await refused.text()).not.toMatch(PAT);
  await copy.close();

  await signInAs(page, ADMIN);
  await page.goto(`${server.url}/settings/api-keys?revoked=1`);
  await expect(page.getByRole("row").filter({ hasText: "Before sign-out" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "After sign-out" })).toHaveCount(0);
});

test("a Global Admin signs Bob out everywhere: his live sessions end at once; Bob cannot do it to Ada", async ({ page, browser }) => {
  const bob = await browser.newContext();
  const bobPage = await bob.newPage();
  await signInAs(bobPage, BOB);
  const bobElsewhere = await copyOfCookies(bob, browser);
  const elsewherePage = await bobElsewhere.newPage();
  await expectSignedIn(elsewherePage);

  await signInAs(page, ADMIN);
  await page.goto(`${server.url}/admin/users`);
  capture(page, "signOutEverywhere");
  await usersRow(page, BOB.email).getByRole("button", { name: "Sign out everywhere" }).click();
  const dialog = page.getByRole("dialog", { name: "Sign out bob everywhere?" });
  await dialog.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Signed out of 1 session." })).toBeVisible();
  await expect(dialog).toBeHidden();

  await expectSignedOut(bobPage);
  await expectSignedOut(elsewherePage);
  await bobElsewhere.close();

  // Bob signs in again; the admin's action, posted by him against Ada, is refused and Ada stays signed in.
  await signInAs(bobPage, BOB);
  const res = await replay(bob, "signOutEverywhere", captured.signOutEverywhere!.body.replaceAll(s.users.bob!.id, s.users.ada!.id));
  expect(res.status()).toBe(404);
  await expectSignedIn(page);
  await expectSignedIn(bobPage);

  // The REST endpoint: 403 for Bob's key (nothing changes), 200 for Ada's, which ends Bob's session.
  const forbidden = await api(`/admin/users/${s.users.ada!.id}/sign-out`, "bob");
  expect(forbidden.status).toBe(403);
  await expectSignedIn(page);
  const done = await api(`/admin/users/${s.users.bob!.id}/sign-out`, "ada");
  expect(done.status).toBe(200);
  expect(await done.json()).toMatchObject({ user: { id: s.users.bob!.id }, sessionsEnded: 1 });
  await expectSignedOut(bobPage);
  expect((await api(`/admin/users/${s.users.svc!.id}/sign-out`, "ada")).status).toBe(409);

  await page.goto(`${server.url}/admin/audit?action=user.signed_out_everywhere`);
  await expect(page.getByRole("row").filter({ hasText: /signed Bob Builder out everywhere/ })).toHaveCount(2);
  await bob.close();
});

test("Sign out of all other sessions, on the User Profile, ends the others and keeps this one", async ({ page, browser }) => {
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signInAs(otherPage, ADMIN);
  await signInAs(page, ADMIN);
  await page.goto(`${server.url}/profile`);
  await page.getByRole("button", { name: "Sign out of all other sessions" }).click();
  await expect(page.getByRole("status").filter({ hasText: /^Signed out of \d+ other sessions?\.$/ })).toBeVisible();
  await expectSignedOut(otherPage);
  await expectSignedIn(page);
  await other.close();
});

test("password recovery: the login page says whom to ask; an admin sets a temporary password, Bob's old one fails, the temporary one signs in and must be changed", async ({
  page,
  browser,
}) => {
  const bob = await browser.newContext();
  const bobPage = await bob.newPage();
  await bobPage.goto(`${server.url}/login`);
  await expect(bobPage.getByText("Forgot your password? Ask a Global Admin of your organization to set a temporary one.")).toBeVisible();
  await signInAs(bobPage, BOB);

  await signInAs(page, ADMIN);
  await page.goto(`${server.url}/admin/users`);
  // Not for API accounts, nor for oneself.
  await expect(usersRow(page, "svc").getByRole("button", { name: "Reset password" })).toHaveCount(0);
  await expect(usersRow(page, ADMIN.email).getByRole("button", { name: "Reset password" })).toBeDisabled();
  capture(page, "resetPassword");
  await usersRow(page, BOB.email).getByRole("button", { name: "Reset password" }).click();
  await page.getByRole("dialog", { name: "Reset the password of bob?" }).getByRole("button", { name: "Reset password" }).click();
  const shown = page.getByRole("dialog", { name: "Temporary password set" });
  const temporary = await shown.getByRole("textbox", { name: "Temporary password" }).inputValue();
  expect(temporary).toMatch(/^[A-Za-z0-9]{6}(-[A-Za-z0-9]{6}){3}$/);
  await shown.getByRole("button", { name: "Copy" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(temporary);
  await shown.getByRole("button", { name: "Done" }).click();
  await expect(shown).toBeHidden();
  expect(await page.content()).not.toContain(temporary);

  // Bob's session ended with the reset; his old password no longer works.
  await expectSignedOut(bobPage);
  await signIn(bobPage, server.url, BOB.email, BOB.password);
  await expect(formAlert(bobPage)).toHaveText("Invalid email or password");
  await signIn(bobPage, server.url, BOB.email, temporary);
  await expect(bobPage).toHaveURL(/\/profile\/password$/);
  await expect(bobPage.getByText("Your password was set by an administrator.")).toBeVisible();
  await bobPage.goto(`${server.url}/settings/api-keys`);
  await expect(bobPage).toHaveURL(/\/profile\/password$/);

  await bobPage.getByLabel("Current password").fill(temporary);
  await bobPage.getByLabel("New password", { exact: true }).fill(BOB.newPassword);
  await bobPage.getByLabel("Confirm new password").fill(BOB.newPassword);
  await bobPage.getByRole("button", { name: "Change password" }).click();
  await expect(bobPage.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();

  // Both are in the audit log, in words, and the temporary password is not.
  await page.goto(`${server.url}/admin/audit`);
  await expect(page.getByRole("row").filter({ hasText: "Ada Admin set a temporary password for Bob Builder, who must change it at the next sign-in; 1 session ended" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "Bob Builder changed their password" })).toBeVisible();
  expect(await page.content()).not.toContain(temporary);

  // Bob, not an admin, posts the reset action against Ada: refused, and her password still works.
  const res = await replay(bob, "resetPassword", captured.resetPassword!.body.replaceAll(s.users.bob!.id, s.users.ada!.id));
  expect(res.status()).toBe(404);
  expect(await res.text()).not.toMatch(/[A-Za-z0-9]{6}(-[A-Za-z0-9]{6}){3}/);
  await bob.close();

  const ada = await browser.newContext();
  await signInAs(await ada.newPage(), ADMIN);
  await ada.close();

  // The REST endpoint: refused to Bob's key and for an API account, changing nothing; Ada's key gets a temporary password once.
  expect((await api(`/admin/users/${s.users.ada!.id}/reset-password`, "bob")).status).toBe(403);
  expect((await api(`/admin/users/${s.users.svc!.id}/reset-password`, "ada")).status).toBe(409);
  const again = await browser.newContext();
  const againPage = await again.newPage();
  await signInAs(againPage, { email: BOB.email, password: BOB.newPassword });
  const reset = await api(`/admin/users/${s.users.bob!.id}/reset-password`, "ada");
  expect(reset.status).toBe(200);
  const body = (await reset.json()) as { temporaryPassword: string; user: { id: string } };
  expect(body.user.id).toBe(s.users.bob!.id);
  expect(body.temporaryPassword).toMatch(/^[A-Za-z0-9]{6}(-[A-Za-z0-9]{6}){3}$/);
  await expectSignedOut(againPage);
  await signIn(againPage, server.url, BOB.email, body.temporaryPassword);
  await expect(againPage).toHaveURL(/\/profile\/password$/);
  await again.close();
  expect(server.output()).not.toContain(temporary);
  expect(server.output()).not.toContain(body.temporaryPassword);
});

test.describe("after sign-in, only a path of this origin", () => {
  const hostile = [
    "/\\evil.example/",
    "/\\/evil.example/",
    "//evil.example/",
    "\\/evil.example/",
    "https://evil.example/",
    "/%5Cevil.example/",
    "/\t/evil.example/",
    "/.//evil.example/",
    "javascript:alert(document.domain)",
  ];
  const urls = new Set([
    // Exactly as the hostile test sent them.
    "/login?callbackUrl=%2F%5Cevil.example%2F",
    "/login?callbackUrl=/\\/evil.example/",
    ...hostile.map((h) => `/login?callbackUrl=${encodeURIComponent(h)}`),
  ]);

  for (const url of urls) {
    test(`${url} lands on our dashboard`, async ({ browser }) => {
      const context = await browser.newContext();
      let left = "";
      await context.route((u) => u.hostname === "evil.example", (route) => {
        left = route.request().url();
        return route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Evil</h1>" });
      });
      const page = await context.newPage();
      await page.goto(`${server.url}${url}`);
      await page.getByLabel("Email").fill(ADMIN.email);
      await page.getByLabel("Password").fill(ADMIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await expect(page.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();
      expect(new URL(page.url()).origin).toBe(server.url);
      expect(left).toBe("");
      await context.close();
    });
  }

  test("our own path is kept", async ({ browser }) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}/login?callbackUrl=${encodeURIComponent("/settings/api-keys")}`);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${server.url}/settings/api-keys`);
    await context.close();
  });

  test("the sign-in endpoint itself answers only URLs of this origin", async ({ playwright }) => {
    const request = await playwright.request.newContext();
    const { csrfToken } = (await (await request.get(`${server.url}/api/auth/csrf`)).json()) as { csrfToken: string };
    for (const callbackUrl of [...hostile, "http://evil.example/"]) {
      const res = await request.post(`${server.url}/api/auth/callback/credentials`, {
        form: { email: ADMIN.email, password: ADMIN.password, csrfToken, callbackUrl, json: "true" },
      });
      expect(res.status()).toBe(200);
      const { url } = (await res.json()) as { url: string };
      expect(new URL(url).origin, callbackUrl).toBe(server.url);
      expect(new URL(url).pathname, callbackUrl).not.toMatch(/^\/[/\\]/);
    }
    await request.dispose();
  });
});
