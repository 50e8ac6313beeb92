import { expect, test } from "./support/fixtures";
import { signIn } from "./support/ui";

/**
 * Console pages carry a nonce-based Content-Security-Policy (lib/http/csp.ts),
 * with a fresh nonce on every page, that Next's own scripts satisfy: the
 * pages still work (the specs that click through the console prove it), and
 * the browser reports no violation on the way.
 */
test.use({ seed: { users: [{ ref: "ada", isOrgAdmin: true }] } });

const PASSWORD = "a-long-password-123"; // the seed's default
const nonceOf = (policy: string) => /'nonce-([^']+)'/.exec(policy)?.[1];

test("every console page has a CSP with a fresh nonce that its scripts carry, and nothing is blocked", async ({ app, page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  const policies: string[] = [];
  page.on("response", (r) => {
    if (r.request().resourceType() === "document") policies.push(r.headers()["content-security-policy"] ?? "");
  });

  await signIn(page, app.url, "ada@example.com", PASSWORD);
  await expect(page.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();
  for (const path of ["/settings/api-keys", "/admin/users", "/profile", "/no-such-page"]) {
    await page.goto(`${app.url}${path}`);
    await page.waitForLoadState("networkidle");
  }
  // Hydrated: a client-side navigation works.
  await page.goto(`${app.url}/settings/api-keys`);
  await page.getByRole("link", { name: "Global Dashboard" }).first().click();
  await expect(page.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();

  expect(policies.length).toBeGreaterThanOrEqual(5);
  for (const policy of policies) {
    expect(policy).toContain("script-src 'self' 'nonce-");
    expect(policy).toContain("'strict-dynamic'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain("unsafe-eval");
  }
  const nonces = policies.map(nonceOf);
  expect(new Set(nonces).size).toBe(nonces.length);
  const html = await (await fetch(`${app.url}/login`)).text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toMatch(/nonce="[^"]+"/);
  expect(violations).toEqual([]);
});

test("a client cannot choose the nonce: its own CSP request header is replaced", async ({ app }) => {
  const res = await fetch(`${app.url}/login`, { headers: { "content-security-policy": "script-src 'nonce-chosen'" } });
  const policy = res.headers.get("content-security-policy") ?? "";
  expect(nonceOf(policy)).toBeDefined();
  expect(policy).not.toContain("nonce-chosen");
  expect(await res.text()).not.toContain('nonce="chosen"');
});
