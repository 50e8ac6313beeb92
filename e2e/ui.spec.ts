import { type Browser, expect, type Locator, type Page, test } from "@playwright/test";
import { seedDatabase, type Seeded } from "./support/api";
import { CONSOLE_PAGES, consoleSeed, expectNoSidewaysScroll, LONG_PROJECTS, PEOPLE, signInAs } from "./support/console";
import { freshDatabase, startServer, type TestServer } from "./support/server";

test.describe.configure({ mode: "serial" });

let db: Awaited<ReturnType<typeof freshDatabase>>;
let server: TestServer;
let seeded: Seeded;

test.beforeAll(async () => {
  db = await freshDatabase();
  seeded = seedDatabase(db, consoleSeed);
  server = await startServer({}, db);
});
test.afterAll(async () => {
  await server?.stop();
  await db?.drop();
});

const DESKTOP = [1280, 1920];
const PHONE = { width: 390, height: 844 };

async function shot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
}

async function newSignedIn(browser: Browser, who: { email: string; password: string }, options: Parameters<Browser["newContext"]>[0] = {}) {
  const context = await browser.newContext(options);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  const page = await context.newPage();
  await signInAs(page, server.url, who);
  return { context, page };
}

/** The element lies inside the box (x only), so nothing has to be scrolled sideways to reach it. */
async function expectWithin(inner: Locator, outer: Locator) {
  const a = (await inner.boundingBox())!;
  const b = (await outer.boundingBox())!;
  expect(a.x, "starts inside").toBeGreaterThanOrEqual(b.x);
  expect(a.x + a.width, "ends inside").toBeLessThanOrEqual(b.x + b.width + 0.5);
}

const keysTable = (page: Page) => page.getByRole("table", { name: "My API keys" });
const keyRow = (page: Page, name: string) => page.getByRole("row").filter({ has: page.getByText(name, { exact: true }) });

test("API Keys: Rotate and Revoke stay in view at 1280 and 1920 px with a key limited to five long project names", async ({ browser }) => {
  const { context, page } = await newSignedIn(browser, PEOPLE.ada);
  const only = `Only: ${LONG_PROJECTS.map((p) => `${p} (Viewer)`).join(", ")}`;
  for (const width of DESKTOP) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${server.url}/settings/api-keys`);
    const table = keysTable(page);
    const scroller = table.locator("xpath=..");
    // The whole restriction is on the page (it wraps), not cut off.
    await expect(keyRow(page, "Production").getByText(only, { exact: true })).toBeVisible();
    const { scrollWidth, clientWidth } = await scroller.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
    expect(scrollWidth, `table ${scrollWidth}px in ${clientWidth}px at ${width}px`).toBeLessThanOrEqual(clientWidth);
    for (const name of ["Production", "CI", "Long-lived script"]) {
      for (const action of ["Rotate", "Revoke"]) {
        const button = keyRow(page, name).getByRole("button", { name: `${action} ${name}` });
        await expect(button).toBeVisible();
        await expectWithin(button, scroller);
      }
    }
    await expectNoSidewaysScroll(page);
    await shot(page, `api-keys-${width}`);
  }
  await context.close();
});

test("Users: every row's actions stay on one line and in view at 1280 and 1920 px", async ({ browser }) => {
  const { context, page } = await newSignedIn(browser, PEOPLE.ada);
  for (const width of DESKTOP) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(`${server.url}/admin/users`);
    const table = page.getByRole("table", { name: "Users and API accounts" });
    const scroller = table.locator("xpath=..");
    const bot = page.getByRole("row").filter({ hasText: "ci-bot" });
    const buttons = bot.getByRole("cell").last().getByRole("button");
    await expect(buttons).toHaveCount(5);
    const tops = new Set<number>();
    for (const button of await buttons.all()) {
      await expectWithin(button, scroller);
      tops.add(Math.round((await button.boundingBox())!.y));
    }
    expect([...tops], "one line of actions").toHaveLength(1);
    await expectNoSidewaysScroll(page);
    await shot(page, `users-${width}`);
  }
  await context.close();
});

test("phones (390 px): no console page scrolls sideways, as a Global Admin and as a person", async ({ browser }) => {
  for (const who of [PEOPLE.ada, PEOPLE.bob]) {
    const { context, page } = await newSignedIn(browser, who, { viewport: PHONE, isMobile: true, hasTouch: true });
    for (const p of CONSOLE_PAGES.filter((p) => who === PEOPLE.ada || !p.admin)) {
      await page.goto(`${server.url}${p.path}`);
      await expect(page.getByRole("heading", { name: p.heading, exact: true })).toBeVisible();
      await expectNoSidewaysScroll(page);
      await shot(page, `phone-${who === PEOPLE.ada ? "admin" : "person"}${p.path.replaceAll("/", "-")}`);
    }
    await context.close();
  }
});

test("phones: the header folds into a Menu with the guide's links and the user menu's items", async ({ browser }) => {
  const { context, page } = await newSignedIn(browser, PEOPLE.ada, { viewport: PHONE, isMobile: true, hasTouch: true });
  // The desktop links are not shown (they would not fit); the menu holds them.
  await expect(page.getByRole("link", { name: "View API Docs" })).toBeHidden();
  await page.getByRole("button", { name: "Menu" }).click();
  const menu = page.getByRole("menu");
  await expect(menu.getByRole("menuitem")).toHaveText(["Global Administration", "View API Docs", "User Profile", "Settings", "Sign out"]);
  await expectWithin(menu, page.locator("body"));
  await shot(page, "phone-menu");
  await menu.getByRole("menuitem", { name: "Global Administration" }).click();
  await expect(page.getByRole("heading", { name: "Global Administration" })).toBeVisible();
  await context.close();
});

test("phones: key actions are reachable on the key cards, and dialogs keep a margin on both sides", async ({ browser }) => {
  const { context, page } = await newSignedIn(browser, PEOPLE.ada, { viewport: PHONE, isMobile: true, hasTouch: true });
  await page.goto(`${server.url}/settings/api-keys`);
  const rotate = page.getByRole("button", { name: "Rotate Production" });
  await rotate.scrollIntoViewIfNeeded();
  await expect(rotate).toBeInViewport();
  await expectWithin(rotate, page.locator("body"));
  await rotate.click();
  const dialog = page.getByRole("dialog", { name: "Rotate “Production”?" });
  const box = (await dialog.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(8);
  expect(PHONE.width - (box.x + box.width)).toBeGreaterThanOrEqual(8);
  await shot(page, "phone-rotate-dialog");
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await page.goto(`${server.url}/admin/users`);
  const bot = page.getByRole("row").filter({ hasText: "ci-bot" });
  await bot.getByRole("button", { name: "View API Key For Account" }).click();
  const keyDialog = page.getByRole("dialog", { name: "API key for ci-bot" });
  await keyDialog.getByRole("button", { name: "Show API Key" }).click();
  await expect(keyDialog.getByRole("textbox", { name: "API Key", exact: true })).toHaveValue(seeded.keys.bot!.secret);
  const keyBox = (await keyDialog.boundingBox())!;
  expect(keyBox.x).toBeGreaterThanOrEqual(8);
  expect(PHONE.width - (keyBox.x + keyBox.width)).toBeGreaterThanOrEqual(8);
  await expectWithin(keyDialog.getByRole("button", { name: "Copy" }), keyDialog);
  await expectNoSidewaysScroll(page);
  await shot(page, "phone-view-key-dialog");
  await keyDialog.getByRole("button", { name: "Close" }).first().click();
  await context.close();
});

test("an error clears as soon as its field is changed: username, projects, the key's projects, the key's name", async ({ browser }) => {
  const { context, page } = await newSignedIn(browser, PEOPLE.ada);
  await page.goto(`${server.url}/admin/users`);
  await page.getByRole("button", { name: "Add API Account" }).click();
  const dialog = page.getByRole("dialog", { name: "Add API Account" });
  const username = dialog.getByLabel("API Account Username");
  await username.fill("Not Valid");
  await dialog.getByRole("button", { name: "Create Account" }).click();
  await expect(username).toHaveAttribute("aria-invalid", "true");
  await expect(username).toHaveAccessibleDescription(/Use only lowercase letters/);
  await expect(dialog.getByText("Select at least one project.")).toBeVisible();

  await username.fill("report-bot");
  await expect(username).not.toHaveAttribute("aria-invalid", "true");
  await expect(username).not.toHaveAccessibleDescription(/Use only lowercase letters/);
  // Typing a search does not fix the missing project; ticking one does.
  await dialog.getByLabel("Search projects").fill("billing");
  await expect(dialog.getByText("Select at least one project.")).toBeVisible();
  await dialog.getByLabel(LONG_PROJECTS[0]!, { exact: true }).check();
  await expect(dialog.getByText("Select at least one project.")).toBeHidden();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await page.goto(`${server.url}/settings/api-keys`);
  await page.getByRole("button", { name: "Generate API key" }).click();
  const generate = page.getByRole("dialog", { name: "Generate API key" });
  await generate.getByRole("button", { name: "Generate", exact: true }).click();
  const name = generate.getByLabel("Name");
  await expect(name).toHaveAccessibleDescription(/Enter a name\./);
  await name.fill("Scoped");
  await expect(name).not.toHaveAccessibleDescription(/Enter a name\./);
  await generate.getByLabel("Only the projects I choose").check();
  await generate.getByRole("button", { name: "Generate", exact: true }).click();
  const restriction = generate.getByText("Choose at least one project, or allow all your projects.");
  await expect(restriction).toBeVisible();
  await generate.getByLabel(LONG_PROJECTS[1]!, { exact: true }).check();
  await generate.getByLabel(LONG_PROJECTS[2]!, { exact: true }).check();
  await expect(restriction).toBeHidden();
  // A second refusal shows its errors again.
  await name.fill("");
  await generate.getByRole("button", { name: "Generate", exact: true }).click();
  await expect(name).toHaveAccessibleDescription(/Enter a name\./);
  await generate.getByRole("button", { name: "Cancel" }).click();
  await context.close();
});

test("focus goes back to the button that opened a dialog: Escape on Rotate, Done on the reveal, Cancel on Edit", async ({ browser }) => {
  const { context, page } = await newSignedIn(browser, PEOPLE.ada);
  await page.goto(`${server.url}/settings/api-keys`);
  const rotate = page.getByRole("button", { name: "Rotate CI" });
  await rotate.click();
  await expect(page.getByRole("dialog", { name: "Rotate “CI”?" })).toBeVisible();
  // Its title is said once: no description that repeats it.
  await expect(page.getByRole("dialog")).toHaveAccessibleDescription("");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toBeHidden();
  await expect(rotate).toBeFocused();

  // By keyboard: Generate, the form, the reveal, Done.
  const generateButton = page.getByRole("button", { name: "Generate API key" });
  await generateButton.focus();
  await page.keyboard.press("Enter");
  const generate = page.getByRole("dialog", { name: "Generate API key" });
  await generate.getByLabel("Name").fill("Focus check");
  await generate.getByRole("button", { name: "Generate", exact: true }).click();
  const reveal = page.getByRole("dialog", { name: "Your new API key" });
  await reveal.getByRole("button", { name: "Copy" }).click();
  await reveal.getByRole("button", { name: "Done" }).click();
  await expect(reveal).toBeHidden();
  await expect(generateButton).toBeFocused();

  // Rotated with a grace period, the old row re-renders without Rotate: focus lands on Generate, not on <body>.
  await page.getByRole("button", { name: "Rotate Focus check" }).click();
  const rotating = page.getByRole("dialog", { name: "Rotate “Focus check”?" });
  await rotating.getByLabel("In 1 hour").check();
  await rotating.getByRole("button", { name: "Rotate key" }).click();
  const rotated = page.getByRole("dialog", { name: "Your rotated API key" });
  await rotated.getByRole("button", { name: "Copy" }).click();
  await rotated.getByRole("button", { name: "Done" }).click();
  await expect(rotated).toBeHidden();
  await expect(generateButton).toBeFocused();

  // Revoked (and so gone from the list): the same.
  const revokeRow = page.getByRole("row").filter({ hasText: "Being replaced" });
  await revokeRow.getByRole("button", { name: "Revoke Focus check" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
  await expect(generateButton).toBeFocused();

  await page.goto(`${server.url}/admin/users`);
  const bob = page.getByRole("row").filter({ hasText: PEOPLE.bob.email });
  const edit = bob.getByRole("button", { name: "Edit projects and roles" });
  await edit.click();
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
  await expect(edit).toBeFocused();

  // Disable → the same button, now Enable, has focus after the list is revalidated.
  await bob.getByRole("button", { name: "Disable" }).click();
  await page.getByRole("dialog", { name: /^Disable / }).getByRole("button", { name: "Disable" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
  await expect(bob.getByRole("button", { name: "Enable" })).toBeFocused();
  await bob.getByRole("button", { name: "Enable" }).press("Enter");
  await page.getByRole("dialog", { name: /^Enable / }).getByRole("button", { name: "Enable" }).click();
  await expect(bob.getByRole("button", { name: "Disable" })).toBeFocused();
  await context.close();
});

test("a skip link leads past the header; icon-only row actions show their name on hover and on focus", async ({ browser }) => {
  const { context, page } = await newSignedIn(browser, PEOPLE.ada);
  await page.goto(`${server.url}/admin/users`);
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("main")).toBeFocused();

  const bot = page.getByRole("row").filter({ hasText: "ci-bot" });
  await bot.getByRole("button", { name: "View API Key For Account" }).focus();
  await expect(page.getByRole("tooltip", { name: "View API Key For Account" })).toBeVisible();
  await bot.getByRole("button", { name: "Delete" }).hover();
  await expect(page.getByRole("tooltip", { name: "Delete" })).toBeVisible();
  await shot(page, "users-tooltip");
  // On my own row the unavailable actions say why.
  const me = page.getByRole("row").filter({ hasText: PEOPLE.ada.email });
  // Focused by keyboard below the fold: the scroll that brings it into view does not close the tooltip.
  await page.mouse.move(0, 0);
  await me.getByRole("button", { name: "Reset password" }).focus();
  await expect(page.getByRole("tooltip")).toHaveText(/Change your own password on your User Profile\./);
  await page.keyboard.press("Tab");
  await expect(me.getByRole("button", { name: "Delete" })).toBeFocused();
  await expect(page.getByRole("tooltip")).toHaveText(/You cannot delete your own account\./);
  await page.keyboard.press("Escape");
  await expect(page.getByRole("tooltip")).toHaveCount(0);
  await context.close();
});

test("times are relative, with the exact time in the viewer's time zone on hover, and no hydration mismatch", async ({ browser, request }) => {
  const { context, page } = await newSignedIn(browser, PEOPLE.ada, { timezoneId: "America/New_York" });
  const problems: string[] = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(`${server.url}/settings/api-keys`);
  const ci = keyRow(page, "CI");
  const expires = ci.locator("time").nth(1);
  await expect(ci.getByText("in 45 days")).toBeVisible();
  await expect(ci.getByText("in 45 days")).toHaveAttribute("title", /^\w{3} \d{1,2}, \d{4}, \d{2}:\d{2} E[SD]T$/);
  await expect(ci.locator("time").first()).toHaveText(/minutes? ago|just now/);
  await expect(ci.locator("time").first()).toHaveAttribute("title", /\d{2}:\d{2} E[SD]T$/);
  const iso = await expires.getAttribute("datetime");
  const inNewYork = new Date(iso!).toLocaleString("en-US", { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "America/New_York" });
  await expect(expires).toHaveAttribute("title", new RegExp(`^${inNewYork} E[SD]T$`));
  await expect(keyRow(page, "Long-lived script").locator("td").nth(5)).toHaveText("Never");

  await page.goto(`${server.url}/admin/users`);
  await expect(page.getByRole("row").filter({ hasText: "ci-bot" }).locator("time").last()).toHaveText(/minutes? ago|just now/);
  expect(problems.filter((p) => /hydrat|#418|#425|#423/i.test(p))).toEqual([]);

  // Before the browser takes over, the server writes the exact time in UTC (it cannot know the viewer's zone).
  const cookies = await context.cookies();
  const html = await (
    await request.get(`${server.url}/settings/api-keys`, { headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join("; ") } })
  ).text();
  expect(html).toMatch(/<time datetime="[^"]+" title="\w{3} \d{1,2}, \d{4}, \d{2}:\d{2} UTC"[^>]*>\w{3} \d{1,2}, \d{4}, \d{2}:\d{2} UTC<\/time>/i);
  await context.close();
});

async function columnTexts(page: Page, table: string, column: number) {
  return page.getByRole("table", { name: table }).locator("tbody tr").locator(`td:nth-child(${column})`).allInnerTexts();
}

test("names sort whatever their case: Projects, Roles, Users and the project pickers", async ({ browser }) => {
  const { context, page } = await newSignedIn(browser, PEOPLE.ada);
  const byName = (names: string[]) => [...names].sort((a, b) => a.localeCompare(b, "en", { sensitivity: "base" }));

  await page.goto(`${server.url}/admin/projects`);
  const projects = await columnTexts(page, "Projects", 1);
  expect(projects).toEqual(byName(projects));
  expect(projects[0]).toBe("analytics (lowercase)");
  // Sorted again in the browser, both ways.
  await page.getByRole("button", { name: "Name", exact: true }).click();
  await expect.poll(() => columnTexts(page, "Projects", 1)).toEqual(byName(projects));
  await page.getByRole("button", { name: "Name", exact: true }).click();
  await expect.poll(() => columnTexts(page, "Projects", 1)).toEqual(byName(projects).reverse());

  await page.goto(`${server.url}/admin/roles`);
  await page.getByRole("button", { name: "Create role" }).click();
  await page.getByRole("dialog").getByLabel("Name").fill("auditor");
  await page.getByRole("dialog").getByLabel("Permissions").fill("logs:read");
  await page.getByRole("dialog").getByRole("button", { name: "Create role" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
  await page.getByRole("button", { name: "Name", exact: true }).click();
  const roleNames = async () => (await columnTexts(page, "Roles", 1)).map((t) => t.replace(/Built-in[\s\S]*/, "").split(/\s/)[0]!);
  await expect.poll(roleNames).toEqual(["Admin", "auditor", "Editor", "Viewer"]);

  await page.goto(`${server.url}/admin/users?sort=name.asc`);
  const users = (await columnTexts(page, "Users and API accounts", 1)).map((t) => t.split("\n")[0]!);
  expect(users).toEqual(byName(users));
  expect(users.indexOf(PEOPLE.bob.name)).toBeLessThan(users.indexOf(PEOPLE.dave.name));

  await page.goto(`${server.url}/admin/users`);
  await page.getByRole("button", { name: "Add API Account" }).click();
  const picker = page.getByRole("list", { name: "Projects to choose from" }).getByRole("listitem");
  expect((await picker.allInnerTexts())[0]).toBe("analytics (lowercase)");
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();
  await context.close();
});

test("the reveal: copying by keyboard counts as copied, and leaving the page with an uncopied key asks first", async ({ browser }) => {
  const { context, page } = await newSignedIn(browser, PEOPLE.bob);
  await page.goto(`${server.url}/settings/api-keys`);
  await page.getByRole("button", { name: "Generate API key" }).click();
  await page.getByRole("dialog").getByLabel("Name").fill("Keyboard copy");
  await page.getByRole("dialog").getByRole("button", { name: "Generate", exact: true }).click();
  const reveal = page.getByRole("dialog", { name: "Your new API key" });
  const field = reveal.getByLabel("API key");
  const secret = await field.inputValue();

  // Leaving now would lose the key: the browser asks.
  const asked = new Promise<string>((resolve) => page.once("dialog", (d) => void d.dismiss().then(() => resolve(d.type()))));
  await page.evaluate(() => location.reload());
  expect(await asked).toBe("beforeunload");
  await expect(field).toHaveValue(secret);

  await field.focus(); // selects the whole key
  await page.keyboard.press("ControlOrMeta+c");
  await expect(reveal.getByText("Copied to the clipboard.")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
  await reveal.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
  await expect(page.getByRole("dialog", { name: "Close without copying?" })).toHaveCount(0);
  await context.close();
});

test("copied keys leave without asking; a part of the key does not count as copied", async ({ browser }) => {
  const { context, page } = await newSignedIn(browser, PEOPLE.bob);
  await page.goto(`${server.url}/settings/api-keys`);
  await page.getByRole("button", { name: "Generate API key" }).click();
  await page.getByRole("dialog").getByLabel("Name").fill("Partial copy");
  await page.getByRole("dialog").getByRole("button", { name: "Generate", exact: true }).click();
  const reveal = page.getByRole("dialog", { name: "Your new API key" });
  const field = reveal.getByLabel("API key");
  await field.focus();
  await field.evaluate((el: HTMLInputElement) => el.setSelectionRange(0, 6));
  await page.keyboard.press("ControlOrMeta+c");
  await reveal.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("dialog", { name: "Close without copying?" })).toBeVisible();
  await page.getByRole("button", { name: "Go back" }).click();
  await reveal.getByRole("button", { name: "Copy" }).click();
  await expect(reveal.getByRole("button", { name: "Copied" })).toBeVisible();

  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.type());
    void d.accept();
  });
  await page.reload();
  await expect(page.getByRole("heading", { name: "API Keys" })).toBeVisible();
  expect(dialogs).toEqual([]);
  await context.close();
});

test("Show API Key copies on plain http too (no Clipboard API), with the same field as the reveal", async ({ browser }) => {
  const { context, page } = await newSignedIn(browser, PEOPLE.ada);
  // navigator.clipboard exists only in secure contexts: a console on http://host:3000 over the LAN has none.
  await context.addInitScript(() => Object.defineProperty(Navigator.prototype, "clipboard", { get: () => undefined }));
  await page.goto(`${server.url}/admin/users`);
  const copied = page.evaluate(
    () =>
      new Promise<string>((resolve) =>
        document.addEventListener(
          "copy",
          () => {
            const field = document.activeElement as HTMLInputElement;
            resolve(field.value.slice(field.selectionStart ?? 0, field.selectionEnd ?? 0));
          },
          { once: true },
        ),
      ),
  );
  await page.getByRole("row").filter({ hasText: "ci-bot" }).getByRole("button", { name: "View API Key For Account" }).click();
  const dialog = page.getByRole("dialog", { name: "API key for ci-bot" });
  await dialog.getByRole("button", { name: "Show API Key" }).click();
  const field = dialog.getByRole("textbox", { name: "API Key", exact: true });
  await expect(field).toHaveValue(seeded.keys.bot!.secret);
  await dialog.getByRole("button", { name: "Copy" }).click();
  await expect(dialog.getByRole("button", { name: "Copied" })).toBeVisible();
  await expect(dialog.getByRole("status").filter({ hasText: "API key copied" })).toBeVisible();
  expect(await copied).toBe(seeded.keys.bot!.secret);
  await dialog.getByRole("button", { name: "Close" }).first().click();
  await context.close();
});

test("the dashboard shows a person their own figures and a Global Admin the organization's", async ({ browser }) => {
  const bob = await newSignedIn(browser, PEOPLE.bob);
  const main = bob.page.getByRole("main");
  await expect(main.getByLabel(/^My active keys: \d+$/)).toBeVisible();
  await expect(main.getByLabel("My projects: 5")).toBeVisible();
  for (const orgFigure of ["Users", "API accounts", "Active keys"]) await expect(main.getByText(orgFigure, { exact: true })).toHaveCount(0);
  await expect(main.getByText("Your keys, per day (UTC).", { exact: false })).toBeVisible();
  await expect(main.getByRole("link", { name: "Generate your first API key" })).toHaveCount(0);
  await shot(bob.page, "dashboard-person");
  await bob.context.close();

  const ada = await newSignedIn(browser, PEOPLE.ada);
  const adaMain = ada.page.getByRole("main");
  await expect(adaMain.getByLabel("Users: 4")).toBeVisible();
  await expect(adaMain.getByLabel("API accounts: 1")).toBeVisible();
  await expect(adaMain.getByText("All keys, per day (UTC).", { exact: false })).toBeVisible();
  await ada.context.close();
});

test("an empty dashboard says how to start: generate a first key, read the API docs", async ({ browser }) => {
  const dave = await newSignedIn(browser, PEOPLE.dave, { viewport: PHONE });
  const main = dave.page.getByRole("main");
  await expect(main.getByLabel("My active keys: 0")).toBeVisible();
  await expect(main.getByRole("link", { name: "Read the API docs" })).toHaveAttribute("href", "/api-docs");
  await shot(dave.page, "dashboard-empty-phone");
  await main.getByRole("link", { name: "Generate your first API key" }).click();
  await expect(dave.page).toHaveURL(/\/settings\/api-keys$/);
  await expect(dave.page.getByRole("button", { name: "Generate API key" })).toBeVisible();
  await dave.context.close();

  // Without API access there is no key to generate: the dashboard says whom to ask.
  const erin = await newSignedIn(browser, PEOPLE.erin);
  await expect(erin.page.getByText("A Global Admin can grant it")).toBeVisible();
  await expect(erin.page.getByRole("link", { name: "Generate your first API key" })).toHaveCount(0);
  await expect(erin.page.getByRole("link", { name: "Read the API docs" })).toBeVisible();
  await erin.context.close();
});

