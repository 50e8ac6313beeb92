import { expect, test } from "@playwright/test";
import { startServer, type TestServer } from "./support/server";
import { ADMIN, completeSetup, formAlert, signIn, signOut } from "./support/ui";

test.describe.configure({ mode: "serial" });

let server: TestServer;
let setupAction: { id: string; contentType: string; body: string } | undefined;
test.beforeAll(async () => {
  server = await startServer();
});
test.afterAll(async () => {
  await server?.stop();
});

test("health reports the database in use", async ({ request }) => {
  const res = await request.get(`${server.url}/api/v1/health`);
  expect(res.status()).toBe(200);
  expect(await res.json()).toEqual({ status: "ok", database: process.env.DATABASE_URL ? "postgres" : "pglite" });
});

test("the server says where to go and that setup is pending", async () => {
  expect(server.output()).toContain(`is running at ${server.url.replace("127.0.0.1", "127.0.0.1")}`);
  expect(server.output()).toContain("Setup pending");
});

test("first-run setup creates the Global Admin, then /setup is gone", async ({ page, request }) => {
  page.on("request", (req) => {
    const id = req.headers()["next-action"];
    if (req.method() === "POST" && id) setupAction = { id, contentType: req.headers()["content-type"]!, body: req.postData()! };
  });
  await page.goto(`${server.url}/login`);
  await expect(page).toHaveURL(/\/setup$/);
  await page.getByLabel("Name").fill(ADMIN.name);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("too short");
  await page.getByRole("button", { name: "Create Global Admin" }).click();
  await expect(page.getByText("Use at least 12 characters.")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(ADMIN.email);

  await completeSetup(page, server.url);
  await expect(page.getByRole("term").filter({ hasText: "Users" })).toBeVisible();
  await expect(page.getByLabel("Users: 1")).toBeVisible();

  const again = await request.get(`${server.url}/setup`);
  expect(again.status()).toBe(404);
});

test("a direct POST to the setup action after setup changes nothing", async ({ page, request }) => {
  // Replay the setup form's own server action for another person: the action refuses by itself.
  expect(setupAction).toBeDefined();
  const res = await request.post(`${server.url}/setup`, {
    headers: { "next-action": setupAction!.id, "content-type": setupAction!.contentType, origin: server.url },
    data: setupAction!.body.replace(ADMIN.email, "mallory@example.com").replace(ADMIN.password, "mallory-password-123"),
  });
  expect(res.status()).toBe(404);
  await signIn(page, server.url, "mallory@example.com", "mallory-password-123");
  await expect(formAlert(page)).toHaveText("Invalid email or password");
});

test("sign in, the user menu, and sign out", async ({ page }) => {
  await signIn(page, server.url, ADMIN.email, ADMIN.password);
  await expect(page.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();
  await page.getByRole("button", { name: "User menu" }).click();
  await expect(page.getByRole("menuitem", { name: "User Profile" })).toBeVisible();
  await expect(page.getByRole("menuitem", { name: "Settings" })).toBeVisible();
  await page.keyboard.press("Escape");

  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name.includes("session-token"));
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");

  await signOut(page);
  await page.goto(`${server.url}/`);
  await expect(page).toHaveURL(/\/login/);
});

test("a wrong password and an unknown email give the same message", async ({ page }) => {
  await signIn(page, server.url, ADMIN.email, "wrong password!!");
  await expect(formAlert(page)).toHaveText("Invalid email or password");
  await signIn(page, server.url, "nobody@example.com", ADMIN.password);
  await expect(formAlert(page)).toHaveText("Invalid email or password");
});

test("repeated failures lock the account for a while, even with the right password", async ({ page }) => {
  for (let i = 0; i < 10; i++) {
    await signIn(page, server.url, ADMIN.email, `wrong-${i}-password`);
    await expect(formAlert(page)).toBeVisible();
  }
  await signIn(page, server.url, ADMIN.email, ADMIN.password);
  await expect(formAlert(page)).toContainText("Too many failed sign-in attempts. Try again in");
});
