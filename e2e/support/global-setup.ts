import { chromium } from "@playwright/test";
import config from "../../playwright.config";

export default async function globalSetup() {
  const browser = await chromium.launch(config.use?.launchOptions);
  console.log(`Chromium ${browser.version()} (${config.use?.launchOptions?.executablePath ?? "Playwright's own"})`);
  await browser.close();
}
