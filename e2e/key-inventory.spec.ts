import AxeBuilder from "@axe-core/playwright";
import { readFileSync } from "node:fs";
import path from "node:path";
import { type BrowserContext, type Page } from "@playwright/test";
import { keyAnswer } from "./support/api";
import { expectNoSidewaysScroll, signInAs } from "./support/console";
import { expect, test } from "./support/fixtures";

/**
 * Global Administration > API Keys, driven as an admin would: the inventory's
 * filters and sort (in the URL), the CSV export, revoking one key, several
 * together, and all of a person's from Users; the owner then sees "Revoked by
 * an administrator". A person who is not a Global Admin is refused every new
 * page, action and endpoint, and nothing changes.
 */
const ADA = { name: "Ada Admin", email: "ada@example.com", password: "correct horse battery" };
const BOB = { name: "Bob Builder", email: "bob@example.com", password: "bobs own password" };
const CAROL = { name: "Carol Leaving", email: "carol@example.com", password: "carols own password" };

test.use({
  seed: {
    users: [
      { ref: "ada", ...ADA, isOrgAdmin: true },
      { ref: "bob", ...BOB },
      { ref: "carol", ...CAROL },
      { ref: "ci-bot", kind: "api_account" },
    ],
    projects: [{ ref: "billing", name: "Billing" }, { ref: "docs", name: "Docs" }],
    memberships: [
      { user: "ada", project: "billing", role: "Admin" },
      { user: "bob", project: "billing", role: "Editor" },
      { user: "bob", project: "docs", role: "Viewer" },
      { user: "carol", project: "docs", role: "Editor" },
      { user: "ci-bot", project: "billing", role: "Viewer" },
    ],
    keys: [
      { ref: "ada", user: "ada", name: "Ada admin key" },
      { ref: "bobLaptop", user: "bob", name: "Bob laptop", expiresInDays: 30 },
      { ref: "bobForever", user: "bob", name: "Bob forever", expiresInDays: null },
      { ref: "bobFormula", user: "bob", name: "=HYPERLINK(\"http://evil.example\")" },
      { ref: "bobDocs", user: "bob", name: "Bob docs only", restriction: [{ project: "docs", role: "Viewer" }] },
      { ref: "carol1", user: "carol", name: "Carol CI" },
      { ref: "carol2", user: "carol", name: "Carol script", expiresInDays: null },
      { ref: "bot", user: "ci-bot", name: "Default" },
    ],
  },
});

const table = (page: Page) => page.getByRole("table", { name: "The organization's API keys" });
const keyRow = (page: Page, name: string) => table(page).getByRole("row").filter({ has: page.getByText(name, { exact: true }) });
const rowNames = async (page: Page) => (await table(page).locator("tbody tr").allInnerTexts()).map((t) => t.split("\n")[0]!.trim());

/** No axe violation (the experimental rules included, as in a11y.spec.ts). */
async function expectAccessible(page: Page, what: string) {
  const rules = ["css-orientation-lock", "focus-order-semantics", "hidden-content", "p-as-heading", "table-fake-caption", "td-has-header"];
  const results = await new AxeBuilder({ page }).options({ rules: Object.fromEntries(rules.map((id) => [id, { enabled: true }])) }).exclude("[data-radix-focus-guard]").analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), `axe on ${what}`).toEqual([]);
}

async function adminPage(browser: import("@playwright/test").Browser, url: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, url, ADA);
  return { context, page };
}

test("the inventory lists every key, filters and sorts through the URL, and fits at 1280 and 390 px", async ({ app, browser }) => {
  const { context, page } = await adminPage(browser, app.url);
  await page.goto(`${app.url}/admin`);
  await page.getByRole("link", { name: "API Keys" }).first().click();
  await expect(page.getByRole("heading", { name: "API Keys", level: 1 })).toBeVisible();
  await expect(table(page).locator("tbody tr")).toHaveCount(8);
  // Owner, kind, projects reached and the masked key; never a secret.
  const docs = keyRow(page, "Bob docs only");
  await expect(docs).toContainText("Bob Builder");
  await expect(docs).toContainText("Person");
  await expect(docs).toContainText("Limited to these");
  await expect(docs.getByText(/^lk_pat_[0-9A-Za-z]{4}…[0-9A-Za-z]{4}$/)).toBeVisible();
  await expect(keyRow(page, "Bob laptop")).toContainText("Billing, Docs");
  await expect(keyRow(page, "Default")).toContainText("API account");
  const html = await page.content();
  expect(html).not.toContain(app.seeded.keys.bobLaptop!.secret.slice(12));
  expect(html).not.toContain(app.seeded.keys.bot!.secret.slice(12));

  await page.getByLabel("Owner type").selectOption("api_account");
  await expect(page).toHaveURL(/type=api_account/);
  await expect.poll(() => rowNames(page)).toEqual(["Default"]);
  await page.getByLabel("Owner type").selectOption("");
  await page.getByLabel("Expiry").selectOption("none");
  await expect(page).toHaveURL(/expiry=none/);
  await expect.poll(async () => (await rowNames(page)).sort()).toEqual(["Bob forever", "Carol script", "Default"]);
  await page.getByLabel("Search").fill("carol");
  await expect(page).toHaveURL(/q=carol/);
  await expect.poll(() => rowNames(page)).toEqual(["Carol script"]);
  // Bookmarkable: the same URL gives the same view.
  await page.reload();
  await expect.poll(() => rowNames(page)).toEqual(["Carol script"]);

  await page.goto(`${app.url}/admin/api-keys?usage=never&project=${app.seeded.projects.docs!.id}`);
  await expect.poll(async () => (await rowNames(page)).sort()).toEqual(["=HYPERLINK(\"http://evil.example\")", "Bob docs only", "Bob forever", "Bob laptop", "Carol CI", "Carol script"]);
  await page.getByRole("button", { name: "Key", exact: true }).click();
  await expect(page).toHaveURL(/sort=name\.asc/);
  const plain = ["Bob docs only", "Bob forever", "Bob laptop", "Carol CI", "Carol script"];
  await expect.poll(async () => (await rowNames(page)).filter((n) => plain.includes(n))).toEqual(plain);
  await page.getByRole("button", { name: "Key", exact: true }).click();
  await expect(page).toHaveURL(/sort=name\.desc/);
  await expect.poll(async () => (await rowNames(page)).filter((n) => plain.includes(n))).toEqual([...plain].reverse());

  // Tightening the key policy changes no key; "Exceeds the policy" finds those that now live too long
  // (no expiry, or 90 days against a 60-day maximum), not the 30-day key nor the API account's.
  const policy = (body: unknown) =>
    fetch(`${app.url}/api/v1/admin/key-policy`, { method: "PUT", headers: { authorization: `Bearer ${app.seeded.keys.ada!.secret}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  expect((await policy({ maxLifetimeDays: 60, allowNoExpiry: false, defaultExpiryDays: 30 })).status).toBe(200);
  await page.goto(`${app.url}/admin/api-keys`);
  await page.getByLabel("Key policy").selectOption("exceeds");
  await expect(page).toHaveURL(/policy=exceeds/);
  await expect.poll(async () => (await rowNames(page)).sort()).toEqual(["=HYPERLINK(\"http://evil.example\")", "Ada admin key", "Bob docs only", "Bob forever", "Carol CI", "Carol script"]);
  await expect(keyRow(page, "Bob forever")).toContainText("Never");
  expect((await policy({ maxLifetimeDays: null, allowNoExpiry: true, defaultExpiryDays: 90 })).status).toBe(200);
  await page.reload();
  await expect(page.getByText("No keys match")).toBeVisible();

  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${app.url}/admin/api-keys`);
    await expect(table(page).locator("tbody tr")).toHaveCount(8);
    await expect(keyRow(page, "Bob laptop").getByRole("button", { name: "Revoke Bob laptop" })).toBeVisible();
    await expectNoSidewaysScroll(page);
    if (width === 1280) {
      // Every column in view, Status and Actions included: the table does not scroll sideways either.
      const scroller = table(page).locator("xpath=..");
      const { scrollWidth, clientWidth } = await scroller.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
      expect(scrollWidth, `table ${scrollWidth}px in ${clientWidth}px`).toBeLessThanOrEqual(clientWidth);
    }
    await page.screenshot({ path: test.info().outputPath(`admin-api-keys-${width}.png`), fullPage: true });
    await expectAccessible(page, `API Keys at ${width} px`);
  }
  await page.getByRole("checkbox", { name: "Select all on this page" }).check();
  await page.getByRole("button", { name: "Revoke selected (8)" }).click();
  await expect(page.getByRole("dialog", { name: "Revoke 8 keys?" })).toBeVisible();
  await expectAccessible(page, "the bulk revoke dialog");
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await context.close();
});

test("Export CSV has the filtered keys, no secret or hash, formula cells defused, and is audited", async ({ app, browser }) => {
  const { context, page } = await adminPage(browser, app.url);
  await page.goto(`${app.url}/admin/api-keys?q=bob&sort=name.asc`);
  await expect(table(page).locator("tbody tr")).toHaveCount(4);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^latchkey-api-keys-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync((await download.path())!, "utf8");
  const lines = csv.trimEnd().split("\r\n");
  expect(lines[0]).toBe('"Owner","Username","Owner type","Owner status","Key name","Key","Projects","Limited to some projects","Created","Last used","Requests (30 days)","Refused (30 days)","Expires","Status","Revoked"');
  expect(lines).toHaveLength(5);
  expect(csv).toContain(`,"'=HYPERLINK(""http://evil.example"")",`);
  expect(csv).not.toMatch(/(^|,)"=/m);
  expect(lines.slice(1).every((l) => l.startsWith('"Bob Builder"'))).toBe(true);
  for (const k of Object.values(app.seeded.keys)) expect(csv).not.toContain(k.secret.slice(12));
  await page.goto(`${app.url}/admin/audit?action=keys.exported`);
  await expect(page.getByText("Ada Admin exported the key inventory as CSV (4 keys; filters q=bob)").first()).toBeVisible();
  await context.close();
});

test("revoking one key and several together stops them at once; the owner sees 'Revoked by an administrator'", async ({ app, browser }) => {
  const { context, page } = await adminPage(browser, app.url);
  await page.goto(`${app.url}/admin/api-keys`);
  expect(await keyAnswer(app.url, app.seeded.keys.bobLaptop!.secret)).toBe("200");

  await keyRow(page, "Bob laptop").getByRole("button", { name: "Revoke Bob laptop" }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke “Bob laptop”?" });
  await expect(dialog).toContainText("Bob Builder’s key");
  await dialog.getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByText("Key “Bob laptop” of Bob Builder revoked.")).toBeVisible();
  await expect(keyRow(page, "Bob laptop")).toContainText("Revoked");
  expect(await keyAnswer(app.url, app.seeded.keys.bobLaptop!.secret)).toBe("401 key_revoked");

  await page.getByRole("checkbox", { name: "Select Bob forever of Bob Builder" }).check();
  await page.getByRole("checkbox", { name: "Select Default of ci-bot" }).check();
  await page.getByRole("button", { name: "Revoke selected (2)" }).click();
  const bulk = page.getByRole("dialog", { name: "Revoke 2 keys?" });
  await expect(bulk).toContainText("Bob forever");
  await expect(bulk).toContainText("API account ci-bot");
  await bulk.getByRole("button", { name: "Revoke keys" }).click();
  await expect(page.getByText("2 keys revoked.")).toBeVisible();
  expect(await keyAnswer(app.url, app.seeded.keys.bobForever!.secret)).toBe("401 key_revoked");
  expect(await keyAnswer(app.url, app.seeded.keys.bot!.secret)).toBe("401 key_revoked");
  expect(await keyAnswer(app.url, app.seeded.keys.bobDocs!.secret)).toBe("200");

  const audit = await fetch(app.api("/admin/audit-events?action=key.revoked_by_admin"), { headers: app.bearer("ada") });
  const events = ((await audit.json()) as { events: { actor: string; details: { owner: { name: string } } }[] }).events;
  expect(events.map((e) => [e.actor, e.details.owner.name]).sort()).toEqual([["ada@example.com", "Bob Builder"], ["ada@example.com", "Bob Builder"], ["ada@example.com", "ci-bot"]]);
  await page.goto(`${app.url}/admin/audit?action=key.revoked_by_admin`);
  await expect(page.getByText(/^Ada Admin revoked Bob Builder’s key “Bob laptop” \(lk_pat_.{4}….{4}\) as a Global Admin$/).first()).toBeVisible();
  await expect(page.getByText(/^Ada Admin revoked API account ci-bot’s key “Default” .* as a Global Admin, with 1 other key selected$/).first()).toBeVisible();
  await context.close();

  const bob = await browser.newContext();
  const bobPage = await bob.newPage();
  await signInAs(bobPage, app.url, BOB);
  // Hidden with the other revoked keys, the admin's revocations are still named.
  await bobPage.goto(`${app.url}/settings/api-keys`);
  const notice = bobPage.getByRole("status").filter({ hasText: "An administrator revoked your keys" });
  await expect(notice).toContainText("“Bob laptop”");
  await expect(notice).toContainText("“Bob forever”");
  await expect(notice).toContainText("they no longer work");
  await expect(bobPage.getByRole("table", { name: "My API keys" })).not.toContainText("Bob laptop");
  await bobPage.getByRole("checkbox", { name: "Show revoked" }).check();
  await expect(bobPage).toHaveURL(/revoked=1/);
  const mine = bobPage.getByRole("table", { name: "My API keys" }).getByRole("row").filter({ has: bobPage.getByText("Bob laptop", { exact: true }) });
  await expect(mine).toContainText("Revoked");
  await expect(mine).toContainText("Revoked by an administrator");
  await bob.close();
  // Through the API too: Bob's own list (asked with a key of his that still works) says who revoked which.
  const listed = await fetch(app.api("/keys?includeRevoked=true"), { headers: { authorization: `Bearer ${app.seeded.keys.bobFormula!.secret}` } });
  const revoked = ((await listed.json()) as { keys: { name: string; revokedByAdmin: boolean }[] }).keys;
  expect(revoked.filter((k) => k.revokedByAdmin).map((k) => k.name).sort()).toEqual(["Bob forever", "Bob laptop"]);
});

test("Users > Revoke all keys stops every key of the person who leaves", async ({ app, browser }) => {
  const { context, page } = await adminPage(browser, app.url);
  await page.goto(`${app.url}/admin/users`);
  await page.locator(`[id="revokeKeys-${app.seeded.users.carol!.id}"]`).click();
  const dialog = page.getByRole("dialog", { name: `Revoke all keys of ${app.seeded.users.carol!.username}?` });
  await dialog.getByRole("button", { name: "Revoke all keys" }).click();
  await expect(page.getByText("2 keys of Carol Leaving revoked.")).toBeVisible();
  expect(await keyAnswer(app.url, app.seeded.keys.carol1!.secret)).toBe("401 key_revoked");
  expect(await keyAnswer(app.url, app.seeded.keys.carol2!.secret)).toBe("401 key_revoked");
  await page.goto(`${app.url}/admin/api-keys?q=carol&status=revoked`);
  await expect.poll(async () => (await rowNames(page)).sort()).toEqual(["Carol CI", "Carol script"]);
  await context.close();
});

type ManifestAction = { id: string; exportedName: string; page: string };
function inventoryActions(): ManifestAction[] {
  const manifest = JSON.parse(readFileSync(path.resolve(__dirname, "../.next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename: string; exportedName: string; workers: Record<string, unknown> }>;
  };
  const wanted = new Set(["adminRevokeKeyAction", "adminRevokeKeysAction", "revokeAllKeysAction"]);
  return Object.entries(manifest.node)
    .filter(([, a]) => wanted.has(a.exportedName))
    .map(([id, a]) => ({ id, exportedName: a.exportedName, page: Object.keys(a.workers)[0]!.replace(/^app\/\(console\)/, "").replace(/\/page$/, "") }));
}

test("a person who is not a Global Admin is refused the page, the export, every new action and endpoint, and nothing changes", async ({ app, browser }) => {
  const target = app.seeded.keys.bobDocs!;
  const before = await (await fetch(app.api("/admin/keys?pageSize=100&sort=name.asc"), { headers: app.bearer("ada") })).json();
  const strip = (v: unknown) => JSON.stringify(v, (k, x: unknown) => (k === "lastUsedAt" || k === "requests" ? undefined : x));
  const auditBefore = ((await (await fetch(app.api("/admin/audit-events?pageSize=100"), { headers: app.bearer("ada") })).json()) as { total: number }).total;

  const context = await browser.newContext();
  const page = await context.newPage();
  await signInAs(page, app.url, CAROL);
  await expect(page.getByRole("link", { name: "Global Administration" })).toHaveCount(0);
  expect((await page.goto(`${app.url}/admin/api-keys`))!.status()).toBe(404);
  expect((await page.request.get(`${app.url}/admin/api-keys/export`)).status()).toBe(404);

  const actions = inventoryActions();
  expect(actions.map((a) => a.exportedName).sort()).toEqual(["adminRevokeKeyAction", "adminRevokeKeysAction", "revokeAllKeysAction"]);
  const cookie = (await context.cookies(app.url)).map((c) => `${c.name}=${c.value}`).join("; ");
  for (const a of actions) {
    const body = new FormData();
    if (a.exportedName === "revokeAllKeysAction") body.append("_1_userId", app.seeded.users.bob!.id);
    else body.append("_1_keyId", target.id);
    body.append("0", JSON.stringify([{}, "$K1"]));
    const res = await fetch(`${app.url}${a.page}`, { method: "POST", headers: { "next-action": a.id, origin: app.url, cookie, accept: "text/x-component" }, body, redirect: "manual" });
    expect(res.status, a.exportedName).toBe(404);
  }
  await context.close();

  for (const [method, p, body] of [
    ["GET", "/admin/keys"],
    ["GET", "/admin/keys/export"],
    ["POST", `/admin/keys/${target.id}/revoke`],
    ["POST", "/admin/keys/revoke", { ids: [target.id] }],
    ["POST", `/admin/users/${app.seeded.users.bob!.id}/keys/revoke`],
  ] as const) {
    const res = await fetch(app.api(p), { method, headers: { ...app.bearer("bobFormula"), "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined });
    expect(res.status, `${method} ${p}`).toBe(403);
  }

  expect(await keyAnswer(app.url, target.secret)).toBe("200");
  const after = await (await fetch(app.api("/admin/keys?pageSize=100&sort=name.asc"), { headers: app.bearer("ada") })).json();
  expect(strip(after)).toBe(strip(before));
  const auditAfter = ((await (await fetch(app.api("/admin/audit-events?pageSize=100"), { headers: app.bearer("ada") })).json()) as { total: number }).total;
  // Carol's sign-in is the one new event.
  expect(auditAfter).toBe(auditBefore + 1);
});
