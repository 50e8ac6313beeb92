import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import { getMe, keyAnswer } from "./support/api";
import { freshDatabase, startServer, type TestServer } from "./support/server";
import { formAlert, signIn } from "./support/ui";

test.describe.configure({ mode: "serial" });

const ADA = { email: "ada@example.com", password: "correct horse battery" };
const BOB = { email: "bob@example.com", password: "bobs own password" };

let db: Awaited<ReturnType<typeof freshDatabase>>;
let server: TestServer;
let ada: BrowserContext;
let adaPage: Page;
let capturedDisable: { id: string; contentType: string; body: string } | undefined;
let shownKey = "";
/** ci-bot's key as a script would hold it: what the clipboard held, then the regenerated one. */
let accountKey = "";

test.beforeAll(async ({ browser }) => {
  db = await freshDatabase();
  // Bob is made first (as ADMIN_EMAIL), then Ada; Ada later takes Bob's Global Admin away in the UI,
  // which leaves a non-admin with a password he chose.
  const first = await startServer({ ADMIN_EMAIL: BOB.email, ADMIN_PASSWORD: BOB.password }, db);
  await first.stop();
  server = await startServer({ ADMIN_EMAIL: ADA.email, ADMIN_PASSWORD: ADA.password }, db);
  ada = await browser.newContext();
  await ada.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  adaPage = await ada.newPage();
  await signIn(adaPage, server.url, ADA.email, ADA.password);
  await expect(adaPage.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();
});

test.afterAll(async () => {
  await ada?.close();
  await server?.stop();
  await db?.drop();
});

const usersRow = (page: Page, text: string | RegExp) => page.getByRole("row").filter({ hasText: text });

async function openUsers(page: Page) {
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Global Dashboard" }).click();
  await expect(page.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Global Administration" }).click();
  await expect(page.getByRole("heading", { name: "Global Administration" })).toBeVisible();
  await page.getByRole("main").getByRole("link", { name: /^Users/ }).first().click();
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
}

test("Global Administration lists its sections; Ada takes Bob's Global Admin away", async () => {
  const page = adaPage;
  await openUsers(page);
  const bob = usersRow(page, BOB.email);
  await expect(bob.getByText("Global Admin")).toBeVisible();
  await bob.getByRole("button", { name: "Edit projects and roles" }).click();
  const dialog = page.getByRole("dialog", { name: /Edit bob/ });
  await dialog.getByLabel("Global Admin").uncheck();
  await dialog.getByRole("button", { name: "Save changes" }).click();
  await expect(dialog).toBeHidden();
  await expect(bob.getByText("Global Admin")).toBeHidden();
  await expect(bob.getByText("User", { exact: true })).toBeVisible();
});

test("the last active Global Admin cannot demote herself", async () => {
  const page = adaPage;
  const me = usersRow(page, ADA.email);
  await expect(me.getByRole("button", { name: "Disable" })).toBeDisabled();
  await me.getByRole("button", { name: "Edit projects and roles" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Global Admin").uncheck();
  await dialog.getByRole("button", { name: "Save changes" }).click();
  await expect(dialog.getByRole("alert")).toHaveText(/is the last active Global Admin and cannot be demoted\. Make another person a Global Admin first\./);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await page.reload();
  await expect(usersRow(page, ADA.email).getByText("Global Admin")).toBeVisible();
});

test("projects and a custom role to choose from", async () => {
  const page = adaPage;
  await page.getByRole("navigation", { name: "Global Administration" }).getByRole("link", { name: "Projects" }).click();
  for (const name of ["Alpha", "Beta", "Gamma"]) {
    await page.getByRole("button", { name: "Create project" }).click();
    await page.getByRole("dialog").getByLabel("Name").fill(name);
    await page.getByRole("dialog").getByRole("button", { name: "Create project" }).click();
    await expect(page.getByRole("cell", { name, exact: true })).toBeVisible();
  }
  await page.getByRole("button", { name: "Create project" }).click();
  await page.getByRole("dialog").getByLabel("Name").fill("alpha");
  await page.getByRole("dialog").getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("dialog").getByLabel("Name")).toHaveAccessibleDescription("A project named “alpha” already exists.");
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();

  await page.getByRole("navigation", { name: "Global Administration" }).getByRole("link", { name: "Roles" }).click();
  await expect(page.getByRole("row", { name: /Viewer/ }).getByText("Built-in: not editable")).toBeVisible();
  await page.getByRole("button", { name: "Create role" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill("Auditor");
  await dialog.getByLabel("Permissions").fill("logs:read\nLogs Everything");
  await dialog.getByRole("button", { name: "Create role" }).click();
  await expect(dialog.getByLabel("Permissions")).toHaveAccessibleDescription(/“Logs Everything” is not a valid permission\./);
  await dialog.getByLabel("Permissions").fill("logs:read\nmetrics:read");
  await dialog.getByRole("button", { name: "Create role" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("row", { name: /Auditor/ }).getByText("metrics:read")).toBeVisible();
});

test("Add API Account → View API Key For Account → Show API Key → Copy → Close, as the guide says", async () => {
  const page = adaPage;
  await openUsers(page);
  await page.getByRole("button", { name: "Add API Account" }).click();
  const dialog = page.getByRole("dialog", { name: "Add API Account" });
  await dialog.getByLabel("API Account Username").fill("CI Bot");
  await dialog.getByRole("button", { name: "Create Account" }).click();
  await expect(dialog.getByLabel("API Account Username")).toHaveAccessibleDescription(/Use only lowercase letters/);
  await expect(dialog.getByText("Select at least one project.")).toBeVisible();

  await dialog.getByLabel("API Account Username").fill("ci-bot");
  await dialog.getByLabel("Search projects").fill("alp");
  await expect(dialog.getByLabel("Gamma", { exact: true })).toBeHidden();
  await dialog.getByLabel("Alpha", { exact: true }).check();
  await dialog.getByLabel("Search projects").fill("bet");
  await dialog.getByLabel("Beta", { exact: true }).check();
  await dialog.getByLabel("Role for Alpha").selectOption({ label: "Editor" });
  await dialog.getByLabel("Role for Beta").selectOption({ label: "Auditor (custom)" });
  await dialog.getByRole("button", { name: "Create Account" }).click();
  await expect(dialog).toBeHidden();

  const row = usersRow(page, "ci-bot");
  await expect(row.getByRole("cell", { name: "API account" })).toBeVisible();
  await expect(row.getByText("Alpha: Editor")).toBeVisible();
  await expect(row.getByText("Beta: Auditor")).toBeVisible();
  await expect(row.getByText("Active")).toBeVisible();

  await row.getByRole("button", { name: "View API Key For Account" }).click();
  const keyDialog = page.getByRole("dialog", { name: "API key for ci-bot" });
  const masked = (await keyDialog.getByText(/^lk_sa_\w{4}…\w{4}$/).textContent())!;
  await keyDialog.getByRole("button", { name: "Show API Key" }).click();
  const field = keyDialog.getByRole("textbox", { name: "API Key", exact: true });
  await expect(field).toHaveValue(/^lk_sa_[0-9A-Za-z]{38}$/);
  shownKey = await field.inputValue();
  expect(shownKey.startsWith(masked.split("…")[0]!)).toBe(true);
  expect(shownKey.endsWith(masked.split("…")[1]!)).toBe(true);
  await keyDialog.getByRole("button", { name: "Copy" }).click();
  await expect(page.getByRole("status").filter({ hasText: "API key copied" })).toBeVisible();
  accountKey = await page.evaluate(() => navigator.clipboard.readText());
  expect(accountKey).toBe(shownKey);
  await keyDialog.getByRole("button", { name: "Close" }).first().click();
  await expect(keyDialog).toBeHidden();
  // The key lives only in the reveal: it is not in the page any more.
  expect(await page.content()).not.toContain(shownKey);

  // What was copied is a working key of ci-bot's, with exactly the two roles chosen above.
  const me = await getMe(server.url, accountKey);
  expect(me.status).toBe(200);
  expect(me.body.owner).toMatchObject({ username: "ci-bot", kind: "api_account", email: null, isOrgAdmin: false });
  expect(me.body.key).toMatchObject({ name: "Default", kind: "sa", restricted: false });
  expect(me.body.projects!.map((p) => [p.name, p.role, p.permissions])).toEqual([
    ["Alpha", "Editor", ["*:read", "*:write"]],
    ["Beta", "Auditor", ["logs:read", "metrics:read"]],
  ]);

  await page.getByRole("navigation", { name: "Global Administration" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("row").filter({ hasText: "revealed API account ci-bot’s key “Default”" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "created API account ci-bot with projects Alpha (Editor), Beta (Auditor)" })).toBeVisible();
  expect(await page.content()).not.toContain(shownKey);
});

test("the username must be unique among all users, said next to the field", async () => {
  const page = adaPage;
  await openUsers(page);
  await page.getByRole("button", { name: "Add API Account" }).click();
  const dialog = page.getByRole("dialog", { name: "Add API Account" });
  await dialog.getByLabel("API Account Username").fill("bob");
  await dialog.getByLabel("Alpha", { exact: true }).check();
  await dialog.getByRole("button", { name: "Create Account" }).click();
  await expect(dialog.getByLabel("API Account Username")).toHaveAccessibleDescription(/The username “bob” is already taken\./);
  await expect(dialog.getByLabel("API Account Username")).toHaveValue("bob");
  await dialog.getByRole("button", { name: "Cancel" }).click();
});

test("Disable and Enable an API account: the table says so, and its key stops and starts working at once", async () => {
  const page = adaPage;
  const row = usersRow(page, "ci-bot");
  await row.getByRole("button", { name: "Disable" }).click();
  // Kept for the non-admin's replay below: the admin's own request to the Disable server action.
  const [request] = await Promise.all([
    page.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]),
    page.getByRole("dialog", { name: "Disable ci-bot?" }).getByRole("button", { name: "Disable" }).click(),
  ]);
  capturedDisable = { id: request.headers()["next-action"]!, contentType: request.headers()["content-type"]!, body: request.postData()! };
  expect(capturedDisable.body).toContain("disabled");
  await expect(row.getByText("Disabled")).toBeVisible();
  expect(await keyAnswer(server.url, accountKey)).toBe("401 owner_disabled");
  await row.getByRole("button", { name: "Enable" }).click();
  await page.getByRole("dialog", { name: "Enable ci-bot?" }).getByRole("button", { name: "Enable" }).click();
  await expect(row.getByText("Active")).toBeVisible();
  expect(await keyAnswer(server.url, accountKey)).toBe("200");
});

test("Regenerate API Key asks first, then shows a different key; the old one stops working at once", async () => {
  const page = adaPage;
  await usersRow(page, "ci-bot").getByRole("button", { name: "View API Key For Account" }).click();
  const dialog = page.getByRole("dialog", { name: "API key for ci-bot" });
  await dialog.getByRole("button", { name: "Regenerate API Key" }).click();
  await expect(dialog.getByText("The current key stops working at once")).toBeVisible();
  await dialog.getByRole("button", { name: "Regenerate", exact: true }).click();
  const field = dialog.getByRole("textbox", { name: "API Key", exact: true });
  await expect(field).toHaveValue(/^lk_sa_/);
  const regenerated = await field.inputValue();
  expect(regenerated).not.toBe(shownKey);
  await dialog.getByRole("button", { name: "Close" }).first().click();
  expect(await keyAnswer(server.url, accountKey)).toBe("401 key_revoked");
  expect(await keyAnswer(server.url, regenerated)).toBe("200");
  accountKey = regenerated;
});

test("a role's new permissions are what its holders' keys may do, at once", async () => {
  const page = adaPage;
  await page.getByRole("navigation", { name: "Global Administration" }).getByRole("link", { name: "Roles" }).click();
  await page.getByRole("button", { name: "Edit Auditor" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit Auditor" });
  await expect(dialog.getByLabel("Permissions")).toHaveValue("logs:read\nmetrics:read");
  await dialog.getByLabel("Permissions").fill("logs:read\nlogs:write");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  const auditor = page.getByRole("row", { name: /Auditor/ });
  await expect(auditor.getByText("logs:write")).toBeVisible();
  await expect(auditor.getByText("metrics:read")).toHaveCount(0);

  // ci-bot holds Auditor in Beta: its key was answered from the cache a moment ago, and still gets the new list.
  const me = await getMe(server.url, accountKey);
  expect(me.body.projects!.map((p) => [p.name, p.role, p.permissions])).toEqual([
    ["Alpha", "Editor", ["*:read", "*:write"]],
    ["Beta", "Auditor", ["logs:read", "logs:write"]],
  ]);
});

test.describe("a non-admin", () => {
  let bob: BrowserContext;
  let bobPage: Page;
  test.beforeAll(async ({ browser }) => {
    bob = await browser.newContext();
    bobPage = await bob.newPage();
  });
  test.afterAll(async () => {
    await bob?.close();
  });

  test("never sees Global Administration and gets 404 from its URLs", async () => {
    await signIn(bobPage, server.url, BOB.email, BOB.password);
    await expect(bobPage.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();
    await expect(bobPage.getByRole("link", { name: "Global Administration" })).toHaveCount(0);
    for (const path of ["/admin", "/admin/users", "/admin/users?type=api_account", "/admin/projects", "/admin/roles", "/admin/audit"]) {
      const res = await bobPage.goto(`${server.url}${path}`);
      expect(res?.status(), path).toBe(404);
      await expect(bobPage.getByRole("heading", { name: "Users" })).toHaveCount(0);
    }
  });

  test("a direct POST of an admin server action with his cookies is refused, and nothing changes", async () => {
    expect(capturedDisable).toBeDefined();
    const res = await bob.request.post(`${server.url}/admin/users`, {
      headers: { "next-action": capturedDisable!.id, "content-type": capturedDisable!.contentType, origin: server.url },
      data: capturedDisable!.body,
    });
    expect(res.status()).toBe(404);
    await adaPage.goto(`${server.url}/admin/users`);
    await expect(usersRow(adaPage, "ci-bot").getByText("Active")).toBeVisible();
    expect(await keyAnswer(server.url, accountKey)).toBe("200");
    // The same request with the admin's own cookies does work: the refusal above is about who asks.
    const own = await ada.request.post(`${server.url}/admin/users`, {
      headers: { "next-action": capturedDisable!.id, "content-type": capturedDisable!.contentType, origin: server.url },
      data: capturedDisable!.body,
    });
    expect(own.status()).toBe(200);
    await adaPage.reload();
    await expect(usersRow(adaPage, "ci-bot").getByText("Disabled")).toBeVisible();
    expect(await keyAnswer(server.url, accountKey)).toBe("401 owner_disabled");
    await usersRow(adaPage, "ci-bot").getByRole("button", { name: "Enable" }).click();
    await adaPage.getByRole("dialog").getByRole("button", { name: "Enable" }).click();
    await expect(usersRow(adaPage, "ci-bot").getByText("Active")).toBeVisible();
    expect(await keyAnswer(server.url, accountKey)).toBe("200");
  });

  test("a person disabled by an admin is thrown out on their next click", async () => {
    await bobPage.goto(`${server.url}/`);
    await expect(bobPage.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();
    const row = usersRow(adaPage, BOB.email);
    await row.getByRole("button", { name: "Disable" }).click();
    await adaPage.getByRole("dialog").getByRole("button", { name: "Disable" }).click();
    await expect(row.getByText("Disabled")).toBeVisible();

    await bobPage.getByRole("button", { name: "User menu" }).click();
    await bobPage.getByRole("menuitem", { name: "User Profile" }).click();
    await expect(bobPage).toHaveURL(/\/login/);
    await signIn(bobPage, server.url, BOB.email, BOB.password);
    await expect(formAlert(bobPage)).toHaveText("Invalid email or password");
  });
});

test("Add User: the initial password is shown once and signs the person in", async ({ browser }) => {
  const page = adaPage;
  await openUsers(page);
  await page.getByRole("button", { name: "Add User" }).click();
  const dialog = page.getByRole("dialog", { name: "Add User" });
  await dialog.getByLabel("Name").fill("Carol Coder");
  await dialog.getByLabel("Email").fill("carol@example.com");
  await dialog.getByLabel("API access").check();
  await dialog.getByLabel("Gamma", { exact: true }).check();
  await dialog.getByRole("button", { name: "Add User" }).click();
  const done = page.getByRole("dialog", { name: "User added" });
  const password = await done.getByRole("textbox", { name: "Initial password" }).inputValue();
  expect(password.length).toBeGreaterThanOrEqual(20);
  await done.getByRole("button", { name: "Done" }).click();
  const row = usersRow(page, "carol@example.com");
  await expect(row.getByText("Gamma: Viewer")).toBeVisible();
  expect(await page.content()).not.toContain(password);

  const carol = await browser.newContext();
  const carolPage = await carol.newPage();
  await signIn(carolPage, server.url, "carol@example.com", password);
  await expect(carolPage).not.toHaveURL(/\/login/);
  await carol.close();
});

test("search, filters and sorting live in the URL", async () => {
  const page = adaPage;
  await openUsers(page);
  await page.getByLabel("Search", { exact: true }).fill("carol");
  await expect(page).toHaveURL(/q=carol/);
  await expect(page.getByRole("row")).toHaveCount(2);
  await expect(usersRow(page, "carol@example.com")).toBeVisible();
  await page.getByLabel("Search", { exact: true }).fill("");
  await expect(page).not.toHaveURL(/q=/);
  await page.getByRole("combobox", { name: "Type" }).selectOption({ label: "API account" });
  await expect(page).toHaveURL(/type=api_account/);
  await expect(page.getByRole("row")).toHaveCount(2);
  await expect(usersRow(page, "ci-bot")).toBeVisible();
  await page.getByRole("combobox", { name: "Type" }).selectOption({ label: "All types" });
  await page.getByRole("combobox", { name: "Status" }).selectOption({ label: "Disabled" });
  await expect(usersRow(page, BOB.email)).toBeVisible();
  await expect(page.getByRole("row")).toHaveCount(2);
  await page.getByRole("combobox", { name: "Status" }).selectOption({ label: "Any status" });
  await page.getByRole("combobox", { name: "Project" }).selectOption({ label: "Gamma" });
  await expect(usersRow(page, "carol@example.com")).toBeVisible();
  await expect(page.getByRole("row")).toHaveCount(2);
  await page.getByRole("combobox", { name: "Project" }).selectOption({ label: "All projects" });
  await expect(page).not.toHaveURL(/project=/);
  await page.getByRole("button", { name: "Name / Username" }).click();
  await expect(page).toHaveURL(/sort=name\.asc/);
  await expect(page.getByRole("row").nth(1)).toContainText("Administrator");
  const names = await page.getByRole("row").locator("td:first-child").allInnerTexts();
  expect(names.map((n) => n.split("\n")[0])).toEqual(["Administrator", "Administrator", "Carol Coder", "ci-bot"]);
  await page.getByRole("button", { name: "Name / Username" }).click();
  await expect(page).toHaveURL(/sort=name\.desc/);
  await expect(page.getByRole("row").nth(1)).toContainText("ci-bot");
  await page.goBack();
  await expect(page).toHaveURL(/sort=name\.asc/);
  await page.goBack();
  await expect(page).toHaveURL(/\/admin\/users$/);
  await expect(page.getByRole("row")).toHaveCount(5);
  await expect(page).not.toHaveURL(/sort=/);
});

test("Delete asks for the username; the account and its key are gone, and the audit log keeps its history", async () => {
  const page = adaPage;
  await openUsers(page);
  const row = usersRow(page, "ci-bot");
  await row.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete ci-bot?" });
  const confirm = dialog.getByRole("button", { name: "Delete", exact: true });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Type ci-bot to confirm").fill("ci-bo");
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Type ci-bot to confirm").fill("ci-bot");
  expect(await keyAnswer(server.url, accountKey)).toBe("200");
  await confirm.click();
  await expect(dialog).toBeHidden();
  await expect(usersRow(page, "ci-bot")).toHaveCount(0);
  expect(await keyAnswer(server.url, accountKey)).toBe("401 key_unknown");

  await page.getByRole("navigation", { name: "Global Administration" }).getByRole("link", { name: "Audit log" }).click();
  await page.getByLabel("Action").selectOption({ label: "User deleted" });
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/action=user\.deleted/);
  await expect(page.getByRole("row")).toHaveCount(2);
  await expect(page.getByRole("row").filter({ hasText: "deleted API account ci-bot and its key" })).toBeVisible();
  // Each navigation lands before the next step: the filter form is rebuilt from the URL when it changes.
  await page.getByRole("button", { name: "Clear" }).click();
  await expect(page).not.toHaveURL(/action=/);
  await page.getByLabel("Actor").fill(BOB.email);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/actor=bob%40example\.com/);
  await expect(page.getByRole("row").filter({ hasText: "Signed in" }).first()).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "created API account" })).toHaveCount(0);
  await expect(page.getByRole("row").filter({ hasText: "revealed" })).toHaveCount(0);
});

test("a project with members is deleted only when the admin confirms removing them", async () => {
  const page = adaPage;
  await page.getByRole("navigation", { name: "Global Administration" }).getByRole("link", { name: "Projects" }).click();
  await page.getByRole("button", { name: "Delete Gamma" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete Gamma?" });
  await dialog.getByRole("button", { name: "Delete project" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Gamma still has 1 member. Remove it first, or confirm that deleting the project removes its role in it.");
  await dialog.getByLabel("Also remove its 1 member from the project").check();
  await dialog.getByRole("button", { name: "Delete project" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("cell", { name: "Gamma", exact: true })).toHaveCount(0);
});
