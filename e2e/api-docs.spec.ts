import { expect, test } from "@playwright/test";
import { seedDatabase, type Seeded } from "./support/api";
import { expectNoSidewaysScroll } from "./support/console";
import { freshDatabase, startServer, type TestServer } from "./support/server";
import { signIn } from "./support/ui";

test.describe.configure({ mode: "serial" });

let server: TestServer;
let db: Awaited<ReturnType<typeof freshDatabase>>;
let s: Seeded;
const ALICE = { email: "alice@example.com", password: "alice-password-123", name: "Alice Example" };

test.beforeAll(async () => {
  db = await freshDatabase();
  s = seedDatabase(db, {
    users: [
      { ref: "root", name: "Root Admin", email: "root@example.com", isOrgAdmin: true },
      { ref: "alice", name: ALICE.name, email: ALICE.email, password: ALICE.password },
      { ref: "bob", name: "Bob Other" },
    ],
    projects: [{ ref: "billing", name: "Billing" }],
    memberships: [{ user: "alice", project: "billing", role: "Editor" }],
    keys: [
      { ref: "alice", user: "alice", name: "Swagger" },
      { ref: "revoked", user: "alice", name: "Revoked", revoked: true },
      { ref: "bob", user: "bob", name: "Bob's" },
    ],
  });
  server = await startServer({}, db);
});
test.afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

test("View API Docs opens Swagger UI in a new tab; Authorize with a key, Try it out GET /me: 200 and my name", async ({ page, context }) => {
  const offsite: string[] = [];
  context.on("request", (req) => {
    const host = new URL(req.url()).hostname;
    if (!["127.0.0.1", "localhost"].includes(host) && !req.url().startsWith("data:")) offsite.push(req.url());
  });
  await signIn(page, server.url, ALICE.email, ALICE.password);
  await expect(page.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();

  const link = page.getByRole("link", { name: "View API Docs" });
  await expect(link).toHaveAttribute("target", "_blank");
  const [docs] = await Promise.all([context.waitForEvent("page"), link.click()]);
  await expect(docs).toHaveURL(`${server.url}/api-docs`);
  const errors: string[] = [];
  docs.on("console", (m) => m.type() === "error" && errors.push(m.text()));

  await expect(docs.getByRole("heading", { name: /Latchkey API/ })).toBeVisible();
  await docs.getByRole("button", { name: "Authorize" }).first().click();
  // Swagger UI's modal has no dialog role; its bearer field is labelled by id.
  const modal = docs.locator(".modal-ux");
  await expect(modal.getByRole("heading", { name: "Available authorizations" })).toBeVisible();
  await modal.getByRole("textbox", { name: "auth-bearer-value" }).fill(s.keys.alice!.secret);
  await modal.getByRole("button", { name: "Apply credentials" }).first().click();
  await expect(modal.getByRole("heading", { name: "Authorized" })).toBeVisible();
  await modal.getByRole("button", { name: "Close" }).first().click();
  // persistAuthorization is off: the key lives in the tab's memory only.
  expect(await docs.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).not.toContain("lk_pat_");

  const me = docs.locator(".opblock", { hasText: "/api/v1/me" }).first();
  await me.locator(".opblock-summary").click();
  await me.getByRole("button", { name: "Try it out" }).click();
  await me.getByRole("button", { name: "Execute" }).click();
  const live = me.locator(".live-responses-table");
  await expect(live.locator("tr.response .response-col_status")).toHaveText("200");
  await expect(live.locator("tr.response .response-col_description")).toContainText(`"name": "${ALICE.name}"`);
  await expect(live.locator("tr.response .response-col_description")).toContainText('"username": "alice"');

  expect(offsite).toEqual([]);
  expect(errors.filter((e) => /Content Security Policy|Refused to/.test(e))).toEqual([]);
});

test("the docs page loads only the app's own assets, with a strict CSP, and serves nothing else from node_modules", async ({ request }) => {
  const page = await request.get(`${server.url}/api-docs`);
  expect(page.status()).toBe(200);
  expect(page.headers()["content-security-policy"]).toContain("script-src 'self'");
  expect(page.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(page.headers()["x-frame-options"]).toBe("DENY");
  const html = await page.text();
  expect(html).not.toMatch(/https?:\/\//);
  const init = await (await request.get(`${server.url}/api-docs/assets/latchkey-init.js`)).text();
  expect(init).toContain('url: "/api/v1/openapi.json"');
  expect(init).toContain("persistAuthorization: false");
  expect(init).toContain("validatorUrl: null");
  expect((await request.get(`${server.url}/api-docs/assets/swagger-ui-bundle.js`)).status()).toBe(200);
  for (const path of ["package.json", "index.html", "swagger-initializer.js", "..%2F..%2Fpackage.json", "..%2f.env"]) {
    expect((await request.get(`${server.url}/api-docs/assets/${path}`)).status(), path).toBe(404);
  }
});

test("the Global Dashboard charts API requests per day, accepted vs refused", async ({ page, request }) => {
  const me = `${server.url}/api/v1/me`;
  for (let i = 0; i < 3; i++) expect((await request.get(me, { headers: { authorization: `Bearer ${s.keys.alice!.secret}` } })).status()).toBe(200);
  expect((await request.get(me, { headers: { authorization: `Bearer ${s.keys.revoked!.secret}` } })).status()).toBe(401);
  // Bob's traffic is not Alice's business.
  expect((await request.get(me, { headers: { authorization: `Bearer ${s.keys.bob!.secret}` } })).status()).toBe(200);

  await signIn(page, server.url, ALICE.email, ALICE.password);
  const chart = page.locator("section", { has: page.getByRole("heading", { name: "API requests (30 days)" }) });
  await expect(chart).toContainText("Your keys");
  // Counts reach the database in batches of a few seconds: reload until they show.
  await expect(async () => {
    await page.reload();
    await expect(chart.getByText(/^Accepted:/)).toHaveText(/Accepted: ?[1-9]/, { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  // The previous test's GET /me counts too.
  await expect(chart.getByText(/^Accepted:/)).toHaveText("Accepted: 4");
  await expect(chart.getByText(/^Refused:/)).toHaveText("Refused: 1");
  const today = new Date().toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
  await expect(chart.getByRole("row", { name: today })).toContainText("41");
});

test("a key in the docs page's URL is refused like one in any API URL, and never reaches the page", async ({ request }) => {
  const secret = s.keys.alice!.secret;
  for (const path of [`/api-docs?api_key=${secret}`, `/api-docs/?token=${secret}`, `/api-docs?q=${secret}`, "/api-docs?api_key=x"]) {
    const res = await request.get(`${server.url}${path}`);
    expect(res.status(), path).toBe(400);
    const body = await res.json();
    expect(body.code).toBe("key_in_query");
    expect(JSON.stringify(body)).not.toContain(secret);
  }
  expect((await request.get(`${server.url}/api-docs`)).status()).toBe(200);
});

// Last: its requests would count in the dashboard test's figures.
test("at 1280 and 390 px: a Latchkey header leads back to the console, Authorize is one box, Try it out GET /me, and a problem's type explains its code", async ({ browser }) => {
  for (const width of [1280, 390]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const docs = await context.newPage();
    await docs.goto(`${server.url}/api-docs`);
    await expect(docs.getByRole("heading", { name: /Latchkey API/ })).toBeVisible();
    const header = docs.getByRole("banner");
    await expect(header.getByRole("link", { name: "Latchkey API docs" })).toHaveAttribute("href", "/");
    await expect(header.getByRole("link", { name: "Back to the console" })).toHaveAttribute("href", "/");
    await expect(header.getByRole("link", { name: "Error codes" })).toBeVisible();
    await expectNoSidewaysScroll(docs);
    // No configuration variable's name in what the reader is told.
    await expect(docs.locator(".info")).not.toContainText(/[A-Z]{2,}_[A-Z_]{2,}/);
    await docs.screenshot({ path: test.info().outputPath(`api-docs-${width}.png`), fullPage: false });

    // One way to authorize: one box, one field, one Authorize.
    const authorize = async (key: string) => {
      await docs.locator(".auth-wrapper").getByRole("button", { name: "Authorize" }).click();
      const modal = docs.locator(".modal-ux");
      await expect(modal.locator(".auth-container")).toHaveCount(1);
      const logout = modal.getByRole("button", { name: "Remove authorization" });
      if (await logout.isVisible()) await logout.click();
      await expect(modal.getByRole("textbox")).toHaveCount(1);
      await modal.getByRole("textbox", { name: "auth-bearer-value" }).fill(key);
      await expect(modal.getByRole("button", { name: "Apply credentials" })).toHaveCount(1);
      await modal.getByRole("button", { name: "Apply credentials" }).click();
      await expect(modal.getByRole("heading", { name: "Authorized" })).toBeVisible();
      await expectNoSidewaysScroll(docs);
      await modal.getByRole("button", { name: "Close" }).first().click();
    };
    await authorize(s.keys.alice!.secret);
    const me = docs.locator(".opblock", { hasText: "/api/v1/me" }).first();
    await me.locator(".opblock-summary").click();
    await me.getByRole("button", { name: "Try it out" }).click();
    await me.getByRole("button", { name: "Execute" }).click();
    const answer = me.locator(".live-responses-table tr.response");
    await expect(answer.locator(".response-col_status")).toHaveText("200");
    await expect(answer.locator(".response-col_description")).toContainText(`"name": "${ALICE.name}"`);
    await expectNoSidewaysScroll(docs);

    // A revoked key's answer names its problem type: a page of this app that explains the code.
    await authorize(s.keys.revoked!.secret);
    await me.getByRole("button", { name: "Execute" }).click();
    await expect(answer.locator(".response-col_status")).toHaveText("401");
    const body = JSON.parse((await answer.locator(".response-col_description .microlight").first().textContent())!);
    expect(body).toMatchObject({ code: "key_revoked", type: "/api-docs/problems#key_revoked" });
    await docs.goto(new URL(body.type, docs.url()).href);
    const explained = docs.locator("section:target");
    await expect(explained.getByRole("heading", { name: /key_revoked/ })).toBeVisible();
    await expect(explained).toContainText("401 Unauthorized");
    await expect(explained).toContainText("revoked by its owner or a Global Admin");
    await expect(explained).toContainText("What to do: Use the key that replaced it");
    await expectNoSidewaysScroll(docs);

    await docs.getByRole("banner").getByRole("link", { name: "Back to the console" }).click();
    await expect(docs.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await context.close();
  }
});

test("every problem code the API answers with has its section on the error codes page", async ({ request }) => {
  const page = await request.get(`${server.url}/api-docs/problems`);
  expect(page.status()).toBe(200);
  expect(page.headers()["content-security-policy"]).toContain("default-src 'none'");
  const html = await page.text();
  expect(html).not.toMatch(/https?:\/\//);
  const document = await (await request.get(`${server.url}/api/v1/openapi.json`)).json();
  const described = /Stable and machine-readable: (.+)\./.exec(document.components.schemas.Problem.properties.code.description)![1]!.split(", ");
  expect(described.length).toBeGreaterThan(15);
  for (const code of described) expect(html, code).toContain(`<section id="${code}"`);
  // The answers themselves point there.
  const missing = await (await request.get(`${server.url}/api/v1/me`)).json();
  expect(missing.type).toBe("/api-docs/problems#missing_key");
  // The document names one way to authorize, and no configuration variable.
  expect(Object.keys(document.components.securitySchemes)).toEqual(["bearerAuth"]);
  expect(document.security).toEqual([{ bearerAuth: [] }]);
  expect(document.info.description).not.toMatch(/[A-Z]{2,}_[A-Z_]{2,}/);
});
