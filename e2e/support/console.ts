import { expect, type Page } from "@playwright/test";
import type { SeedPlan } from "./api";
import { signIn } from "./ui";

/** People for the console checks: a Global Admin, a person with keys, and two who have none yet. */
export const PEOPLE = {
  ada: { name: "Ada Admin", email: "ada@example.com", password: "correct horse battery" },
  bob: { name: "bob builder", email: "bob@example.com", password: "bobs own password" },
  dave: { name: "Dave Newcomer", email: "dave@example.com", password: "daves own password" },
  erin: { name: "Erin Noaccess", email: "erin@example.com", password: "erins own password" },
} as const;

/** Long project names: a key limited to all of them has a long "Only: …" line. */
export const LONG_PROJECTS = [
  "Customer Billing and Invoicing Platform",
  "Data Warehouse Nightly Exports",
  "Identity and Access Management",
  "Notifications and Webhooks Service",
  "Reporting Dashboards for Finance",
];

export const consoleSeed: SeedPlan = {
  users: [
    { ref: "ada", name: PEOPLE.ada.name, email: PEOPLE.ada.email, password: PEOPLE.ada.password, isOrgAdmin: true },
    { ref: "bob", name: PEOPLE.bob.name, email: PEOPLE.bob.email, password: PEOPLE.bob.password },
    { ref: "dave", name: PEOPLE.dave.name, email: PEOPLE.dave.email, password: PEOPLE.dave.password },
    { ref: "erin", name: PEOPLE.erin.name, email: PEOPLE.erin.email, password: PEOPLE.erin.password, apiAccess: false },
    { ref: "ci-bot", kind: "api_account" },
  ],
  projects: [...LONG_PROJECTS.map((name, i) => ({ ref: `p${i}`, name })), { ref: "lower", name: "analytics (lowercase)" }],
  memberships: [
    ...LONG_PROJECTS.flatMap((_, i) => [
      { user: "ada", project: `p${i}`, role: "Admin" as const },
      { user: "bob", project: `p${i}`, role: "Editor" as const },
    ]),
    { user: "ada", project: "lower", role: "Viewer" },
    { user: "ci-bot", project: "p0", role: "Viewer" },
  ],
  keys: [
    { ref: "adaAll", user: "ada", name: "CI", expiresInDays: 45 },
    { ref: "adaOnly", user: "ada", name: "Production", restriction: LONG_PROJECTS.map((_, i) => ({ project: `p${i}`, role: "Viewer" })) },
    { ref: "adaNever", user: "ada", name: "Long-lived script", expiresInDays: null },
    { ref: "bobKey", user: "bob", name: "Bob's laptop", restriction: [{ project: "p1", role: "Editor" }] },
    { ref: "bot", user: "ci-bot", name: "Default" },
  ],
};

export async function signInAs(page: Page, baseUrl: string, who: { email: string; password: string }) {
  await signIn(page, baseUrl, who.email, who.password);
  await expect(page.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();
}

/** Every page of the signed-in console, and whether only Global Admins see it. */
export const CONSOLE_PAGES = [
  { path: "/", heading: "Global Dashboard", admin: false },
  { path: "/settings/api-keys", heading: "API Keys", admin: false },
  { path: "/profile", heading: "User Profile", admin: false },
  { path: "/admin", heading: "Global Administration", admin: true },
  { path: "/admin/users", heading: "Users", admin: true },
  { path: "/admin/projects", heading: "Projects", admin: true },
  { path: "/admin/roles", heading: "Roles", admin: true },
  { path: "/admin/key-policy", heading: "Key policy", admin: true },
  { path: "/admin/audit", heading: "Audit log", admin: true },
] as const;

/**
 * The page does not scroll sideways: nothing is wider than the window. A phone widens its layout
 * viewport to fit content that overflows (and zooms out), so innerWidth is held to the device width too.
 */
export async function expectNoSidewaysScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  const width = page.viewportSize()!.width;
  expect(innerWidth, `the window was widened to ${innerWidth}px to fit the page`).toBe(width);
  expect(scrollWidth, `page is ${scrollWidth}px wide in a ${innerWidth}px window`).toBeLessThanOrEqual(innerWidth);
}
