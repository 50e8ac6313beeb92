import { expect, type Page } from "@playwright/test";

export const ADMIN = { name: "Ada Admin", email: "ada@example.com", password: "correct horse battery" };

/** First-run setup through the UI: creates the Global Admin and lands signed in on the dashboard. */
export async function completeSetup(page: Page, baseUrl: string, admin = ADMIN) {
  await page.goto(`${baseUrl}/`);
  await expect(page).toHaveURL(/\/setup$/);
  await page.getByLabel("Name").fill(admin.name);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Create Global Admin" }).click();
  await expect(page.getByRole("heading", { name: "Global Dashboard" })).toBeVisible();
}

export async function signIn(page: Page, baseUrl: string, email: string, password: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "User menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
}

/** The form's error message (Next's route announcer is an empty alert too). */
export const formAlert = (page: Page) => page.getByRole("alert").filter({ hasText: /\S/ });
