/**
 * @module test/support/browser
 * Debian's Chromium driven by playwright-core for the console tests: headless, no sandbox (tests
 * run as root in containers), no background networking, a fresh profile per launch. Pages may
 * only reach 127.0.0.1; anything else is aborted, so a test can never call out by mistake.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/** Where Debian's `chromium` package installs the browser (`.ci/run` installs it when missing). */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * Whether browser tests can run here. In CI they must: a missing browser there is a failure, not
 * a skip, so that a broken install step cannot pass unnoticed.
 */
export const BROWSER_AVAILABLE = existsSync(CHROMIUM_PATH) || process.env["CI"] !== undefined;

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
];

/** A running browser with its own profile directory. */
export interface TestBrowser {
  readonly context: BrowserContext;
  newPage(options?: { width?: number; height?: number; colorScheme?: "light" | "dark" }): Promise<Page>;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh user-data-dir; every request off 127.0.0.1 is aborted. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), "switchyard-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1200, height: 800 },
    colorScheme: "light",
    reducedMotion: "reduce",
  });
  await context.route(
    (url) => url.hostname !== "127.0.0.1",
    (route) => route.abort("blockedbyclient"),
  );
  return {
    context,
    async newPage(options = {}) {
      const page = await context.newPage();
      // Below vitest's 20 s test timeout, so a missing element fails with the locator in the message.
      page.setDefaultTimeout(8_000);
      await page.setViewportSize({ width: options.width ?? 1200, height: options.height ?? 800 });
      await page.emulateMedia({ colorScheme: options.colorScheme ?? "light" });
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Set `SWITCHYARD_CONSOLE_SCREENSHOTS=1` to write the docs' screenshots (docs/console/*.png) during the run. */
export const SCREENSHOTS = process.env["SWITCHYARD_CONSOLE_SCREENSHOTS"] === "1";

const SCREENSHOT_DIR = fileURLToPath(new URL("../../docs/console/", import.meta.url));

/** Saves a screenshot for docs/console.md when {@link SCREENSHOTS} is on; otherwise does nothing. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  // Toasts are hidden (through the CSSOM: the console's CSP refuses injected style sheets), the
  // pointer parked and the page scrolled to the top, so the images show the page, not the moment.
  await page.mouse.move(0, 0);
  // Strings, not functions: this file is type-checked without the DOM library.
  await page.evaluate(`document.querySelector(".toasts")?.style.setProperty("display", "none"); window.scrollTo(0, 0);`);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: options.fullPage ?? false, animations: "disabled", caret: "hide" });
  await page.evaluate(`document.querySelector(".toasts")?.style.removeProperty("display");`);
}
