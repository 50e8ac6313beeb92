import AxeBuilder from "@axe-core/playwright";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { seedDatabase } from "./support/api";
import { CONSOLE_PAGES, consoleSeed, PEOPLE, signInAs } from "./support/console";
import { freshDatabase, startServer, type TestServer } from "./support/server";

// axe takes a few seconds a page on a busy 2-core machine; these tests walk many pages each.
test.describe.configure({ mode: "serial", timeout: 180_000 });

let db: Awaited<ReturnType<typeof freshDatabase>>;
let server: TestServer;

test.beforeAll(async () => {
  db = await freshDatabase();
  seedDatabase(db, consoleSeed);
  server = await startServer({}, db);
});
test.afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

// Every rule axe has, the experimental ones included (label-content-name-mismatch was how the
// user menu was caught; td-has-header and friends watch the tables that turn into cards).
const EXPERIMENTAL = ["css-orientation-lock", "focus-order-semantics", "hidden-content", "p-as-heading", "table-fake-caption", "td-has-header"];

/** No axe violation on what the page shows now; the failure names each rule and where. */
async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page })
    .options({ rules: Object.fromEntries(EXPERIMENTAL.map((id) => [id, { enabled: true }])) })
    // Radix's invisible focus sentinels around an open menu or dialog: they hand focus straight back
    // inside and never keep it, which focus-order-semantics cannot know.
    .exclude("[data-radix-focus-guard]")
    .analyze();
  const found = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(found, `axe on ${what}`).toEqual([]);
}

async function signedIn(browser: Browser, who: { email: string; password: string }, viewport = { width: 1280, height: 900 }) {
  const context = await browser.newContext({ viewport });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  const page = await context.newPage();
  await signInAs(page, server.url, who);
  return { context, page };
}

/** Opens a dialog with `open`, checks the page with it open, and closes it with its Cancel (or Close) button. */
async function checkDialog(page: Page, what: string, open: () => Promise<unknown>, close = "Cancel") {
  await open();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await expectAccessible(page, what);
  await dialog.getByRole("button", { name: close, exact: true }).first().click();
  await expect(dialog).toBeHidden();
}

for (const [label, who, viewport] of [
  ["a Global Admin", PEOPLE.ada, { width: 1280, height: 900 }],
  ["a person", PEOPLE.bob, { width: 1280, height: 900 }],
  ["a Global Admin on a phone", PEOPLE.ada, { width: 390, height: 844 }],
  ["a person on a phone", PEOPLE.bob, { width: 390, height: 844 }],
] as const) {
  test(`every console page as ${label} has no axe violations`, async ({ browser }) => {
    const { context, page } = await signedIn(browser, who, viewport);
    for (const p of CONSOLE_PAGES.filter((p) => who === PEOPLE.ada || !p.admin)) {
      await page.goto(`${server.url}${p.path}`);
      await expect(page.getByRole("heading", { name: p.heading, exact: true })).toBeVisible();
      await expectAccessible(page, `${p.path} as ${label}`);
    }
    // The menus, open.
    await page.getByRole("button", { name: viewport.width < 768 ? "Menu" : "user menu" }).click();
    await expect(page.getByRole("menu")).toBeVisible();
    await expectAccessible(page, `the header menu as ${label}`);
    await page.keyboard.press("Escape");
    await context.close();
  });
}

test("every API Keys dialog has no axe violations: Generate (empty and refused), the reveal, Close without copying, Rotate, Revoke", async ({ browser }) => {
  const { context, page } = await signedIn(browser, PEOPLE.bob);
  await page.goto(`${server.url}/settings/api-keys`);
  await checkDialog(page, "Generate API key", () => page.getByRole("button", { name: "Generate API key" }).click());

  await page.getByRole("button", { name: "Generate API key" }).click();
  const generate = page.getByRole("dialog", { name: "Generate API key" });
  await generate.getByLabel("Only the projects I choose").check();
  await generate.getByLabel("Expiration").selectOption({ label: "Custom…" });
  await generate.getByRole("button", { name: "Generate", exact: true }).click();
  await expect(generate.getByText("Choose at least one project, or allow all your projects.")).toBeVisible();
  await expectAccessible(page, "Generate API key with its errors");
  await generate.getByLabel("Name").fill("Axe");
  await generate.getByLabel("Number of days").fill("30");
  await generate.getByLabel(consoleSeed.projects![0]!.name, { exact: true }).check();
  await generate.getByRole("button", { name: "Generate", exact: true }).click();
  const reveal = page.getByRole("dialog", { name: "Your new API key" });
  await expect(reveal).toBeVisible();
  await expectAccessible(page, "the reveal");
  await reveal.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("dialog", { name: "Close without copying?" })).toBeVisible();
  await expectAccessible(page, "Close without copying?");
  await page.getByRole("button", { name: "Go back" }).click();
  await reveal.getByRole("button", { name: "Copy" }).click();
  await expectAccessible(page, "the reveal, copied");
  await reveal.getByRole("button", { name: "Done" }).click();

  await checkDialog(page, "Rotate", () => page.getByRole("button", { name: "Rotate Axe" }).click());
  await checkDialog(page, "Revoke", () => page.getByRole("button", { name: "Revoke Axe" }).click());
  await context.close();
});

test("a newcomer's empty dashboard, empty key list and first key on the profile have no axe violations", async ({ browser }) => {
  const { context, page } = await signedIn(browser, PEOPLE.dave);
  await expect(page.getByRole("link", { name: "Generate your first API key" })).toBeVisible();
  await expectAccessible(page, "the empty dashboard");
  await page.goto(`${server.url}/settings/api-keys`);
  await expect(page.getByText("You have no active API keys.")).toBeVisible();
  await expectAccessible(page, "the empty key list");
  await page.goto(`${server.url}/profile`);
  await page.getByRole("button", { name: "Generate API Key" }).click();
  await expect(page.getByRole("dialog", { name: "Your new API key" })).toBeVisible();
  await expectAccessible(page, "the profile's first key");
  await context.close();

  const erin = await signedIn(browser, PEOPLE.erin);
  await expectAccessible(erin.page, "the dashboard without API access");
  await erin.page.goto(`${server.url}/settings/api-keys`);
  await expectAccessible(erin.page, "API Keys without API access");
  await erin.context.close();
});

test("every Global Administration dialog has no axe violations", async ({ browser }) => {
  const { context, page } = await signedIn(browser, PEOPLE.ada);
  await page.goto(`${server.url}/admin/users`);
  await checkDialog(page, "Add User", () => page.getByRole("button", { name: "Add User" }).click());
  await checkDialog(page, "Add API Account", () => page.getByRole("button", { name: "Add API Account" }).click());

  // Refused, then made: the form with its errors, and the one-time initial password.
  await page.getByRole("button", { name: "Add User" }).click();
  const add = page.getByRole("dialog", { name: "Add User" });
  await add.getByRole("button", { name: "Add User" }).click();
  await expect(add.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page, "Add User with its errors");
  await add.getByLabel("Name").fill("Fay Axe");
  await add.getByLabel("Email").fill("fay@example.com");
  await add.getByRole("button", { name: "Add User" }).click();
  await expect(page.getByRole("dialog", { name: "User added" })).toBeVisible();
  await expectAccessible(page, "User added");
  await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();

  const bot = page.getByRole("row").filter({ hasText: "ci-bot" });
  await bot.getByRole("button", { name: "View API Key For Account" }).click();
  const keyDialog = page.getByRole("dialog", { name: "API key for ci-bot" });
  await expectAccessible(page, "View API Key For Account");
  await keyDialog.getByRole("button", { name: "Show API Key" }).click();
  await expect(keyDialog.getByRole("textbox", { name: "API Key", exact: true })).toBeVisible();
  await keyDialog.getByRole("button", { name: "Regenerate API Key" }).click();
  await expectAccessible(page, "the shown API key and the regeneration question");
  await keyDialog.getByRole("button", { name: "Close" }).first().click();

  await checkDialog(page, "Edit", () => bot.getByRole("button", { name: "Edit projects and roles" }).click());
  await checkDialog(page, "Disable", () => bot.getByRole("button", { name: "Disable" }).click());
  await checkDialog(page, "Delete", () => bot.getByRole("button", { name: "Delete" }).click());
  await bot.getByRole("button", { name: "Edit projects and roles" }).focus();
  await expect(page.getByRole("tooltip")).toBeVisible();
  await expectAccessible(page, "a row action's tooltip");

  await page.goto(`${server.url}/admin/projects`);
  const project = page.getByRole("row").filter({ hasText: consoleSeed.projects![0]!.name });
  await checkDialog(page, "Create project", () => page.getByRole("button", { name: "Create project" }).click());
  await checkDialog(page, "Rename project", () => project.getByRole("button", { name: /^Rename/ }).click());
  await checkDialog(page, "Delete project", () => project.getByRole("button", { name: /^Delete/ }).click());

  await page.goto(`${server.url}/admin/roles`);
  await page.getByRole("button", { name: "Create role" }).click();
  const role = page.getByRole("dialog", { name: "Create role" });
  await expectAccessible(page, "Create role");
  await role.getByLabel("Name").fill("Axe tester");
  await role.getByLabel("Permissions").fill("Not A Permission");
  await role.getByRole("button", { name: "Create role" }).click();
  await expect(role.getByLabel("Permissions")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page, "Create role with its errors");
  await role.getByLabel("Permissions").fill("logs:read");
  await role.getByRole("button", { name: "Create role" }).click();
  await expect(role).toBeHidden();
  const custom = page.getByRole("row").filter({ hasText: "Axe tester" });
  await checkDialog(page, "Edit role", () => custom.getByRole("button", { name: /^Edit/ }).click());
  await checkDialog(page, "Delete role", () => custom.getByRole("button", { name: /^Delete/ }).click());

  await page.goto(`${server.url}/admin/audit`);
  await expectAccessible(page, "the audit log after all that");
  await context.close();
});
