import { expectNoSidewaysScroll } from "./support/console";
import { expect, test } from "./support/fixtures";
import { signIn } from "./support/ui";

test.describe.configure({ mode: "serial" });

const ADA = { name: "Ada Admin", email: "ada@example.com", password: "correct horse battery" };
// A zone without daylight saving time, far from the server's UTC: the sentences must use it.
const VIEWER_ZONE = "Asia/Tokyo";

test.use({
  seed: {
    users: [
      { ref: "ada", name: ADA.name, email: ADA.email, password: ADA.password, isOrgAdmin: true },
      { ref: "bob", name: "Bob Builder", email: "bob@example.com" },
      { ref: "ci-bot", kind: "api_account" },
    ],
    projects: [
      { ref: "alpha", name: "Alpha" },
      { ref: "beta", name: "Beta" },
    ],
    memberships: [
      { user: "ada", project: "alpha", role: "Admin" },
      { user: "bob", project: "alpha", role: "Viewer" },
    ],
    keys: [
      { ref: "production", user: "ada", name: "Production" },
      { ref: "cli", user: "ada", name: "Admin CLI" },
    ],
  },
});

test("the audit log tells a rotation, a change of projects and an API account's disabling as sentences, in the viewer's time zone, with the raw record one click away", async ({ app, browser }) => {
  const context = await browser.newContext({ timezoneId: VIEWER_ZONE, viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
  const page = await context.newPage();
  await signIn(page, app.url, ADA.email, ADA.password);
  await expect(page.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();

  // Rotate "Production" with a day's grace.
  await page.goto(`${app.url}/settings/api-keys`);
  await page.getByRole("button", { name: "Rotate Production" }).click();
  const rotate = page.getByRole("dialog", { name: "Rotate “Production”?" });
  await rotate.getByLabel("In 24 hours").check();
  await rotate.getByRole("button", { name: "Rotate key" }).click();
  const reveal = page.getByRole("dialog");
  await expect(reveal.getByLabel("API key")).toBeVisible();
  await reveal.getByRole("button", { name: "Copy" }).click();
  await reveal.getByRole("button", { name: "Done" }).click();
  await expect(reveal).toBeHidden();
  const keys = (await (await fetch(app.api("/keys?includeRevoked=true"), { headers: app.bearer("cli") })).json()).keys as { name: string; status: string; graceExpiresAt: string | null }[];
  const stopsAt = new Date(keys.find((k) => k.name === "Production" && k.status === "rotating")!.graceExpiresAt!);
  const stopsInTokyo = stopsAt.toLocaleString("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: VIEWER_ZONE });

  // Give Bob a second project, with another role.
  await page.goto(`${app.url}/admin/users`);
  await page.getByRole("row").filter({ hasText: "bob@example.com" }).getByRole("button", { name: "Edit projects and roles" }).click();
  const edit = page.getByRole("dialog", { name: /Edit bob/ });
  await edit.getByLabel("Beta", { exact: true }).check();
  await edit.getByLabel("Role for Alpha").selectOption({ label: "Editor" });
  await edit.getByLabel("Role for Beta").selectOption({ label: "Viewer" });
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit).toBeHidden();

  // Disable the API account through the REST API, with Ada's CLI key.
  const bot = app.seeded.users["ci-bot"]!;
  const disabled = await fetch(app.api(`/admin/users/${bot.id}/disable`), { method: "POST", headers: app.bearer("cli") });
  expect(disabled.status).toBe(200);

  await page.goto(`${app.url}/admin/audit`);
  const table = page.getByRole("table", { name: "Audit events, newest first" });
  const row = (text: string) => table.getByRole("row").filter({ hasText: text });

  const rotated = row("Ada Admin rotated key “Production”");
  await expect(rotated).toHaveCount(1);
  await expect(rotated).toContainText(`Ada Admin rotated key “Production”; the old key stops working ${stopsInTokyo}`);
  // The Time column is the viewer's too.
  await expect(rotated.locator("time").first()).toContainText("GMT+9");

  await expect(row("Bob Builder’s projects")).toContainText("Ada Admin changed Bob Builder’s projects to Alpha (Editor), Beta (Viewer)");
  await expect(row("disabled")).toContainText(`Ada Admin disabled API account ${bot.username}, using API key “Admin CLI”`);

  // No internal names, ids or JSON in what a person reads.
  const shown = await table.innerText();
  for (const internal of ["graceSeconds", "newKeyId", "oldKeyStopsAt", "memberships", "(user)", "api_account", "{", bot.id]) expect(shown).not.toContain(internal);

  // The raw record, one click away.
  const details = rotated.getByRole("button", { name: "Details" });
  await expect(details).toHaveAttribute("aria-expanded", "false");
  await details.click();
  await expect(rotated.getByRole("button", { name: "Hide details" })).toHaveAttribute("aria-expanded", "true");
  const raw = JSON.parse((await rotated.locator("pre").textContent())!);
  expect(raw).toMatchObject({ action: "key.rotated", actor: ADA.email, target: { type: "api_key", label: "Production" }, details: { graceSeconds: 86_400, newKeyId: expect.any(String), oldKeyStopsAt: stopsAt.toISOString() } });
  await page.screenshot({ path: test.info().outputPath("audit-1280.png"), fullPage: true });
  await rotated.getByRole("button", { name: "Hide details" }).click();
  await expect(rotated.locator("pre")).toBeHidden();

  // On a phone, each event is a card and nothing scrolls sideways, details open or not.
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await rotated.getByRole("button", { name: "Details" }).click();
  await expectNoSidewaysScroll(page);
  await page.screenshot({ path: test.info().outputPath("audit-390.png"), fullPage: true });
  await context.close();
});
