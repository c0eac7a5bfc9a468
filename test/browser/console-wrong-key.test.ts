/**
 * @module test/browser/console-wrong-key.test
 * The console of a server started with the wrong encryption key for its data directory, in
 * Chromium: the red banner names the problem and the fix on every page, stored credentials are
 * still listed (with why their secrets cannot be read), and saving a new one fails in plain words.
 * The server also has an admin key, so the console first asks to sign in.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_AVAILABLE, launchBrowser, screenshot, type TestBrowser } from "../support/browser.js";
import { runSwitchyard, startServe, type ServeProcess } from "../support/serve-process.js";

const ADMIN_KEY = "sy-admin-console-test-0123456789abcdefghijkl";

let home: string;
let serve: ServeProcess;
let browser: TestBrowser;
let page: Page;

describe.skipIf(!BROWSER_AVAILABLE)("web console with the wrong encryption key", () => {
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), "switchyard-console-wrong-key-"));
    const dataDir = join(home, "data");
    // Seal a credential with the key generated into the data directory...
    const added = await runSwitchyard(["credentials", "add", "--data-dir", dataDir, "--name", "gpu-box", "--kind", "vllm", "--base-url", "http://127.0.0.1:9/v1", "--api-key", "sk-sealed-secret-4242"], { home });
    expect(added.code, added.stderr).toBe(0);
    // ...then start the server with another key in the environment.
    serve = await startServe({ home, dataDir, env: { SWITCHYARD_ENCRYPTION_KEY: "a passphrase that is not the one the store was sealed with", SWITCHYARD_ADMIN_KEY: ADMIN_KEY } });
    browser = await launchBrowser();
    page = await browser.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    if (home !== undefined) rmSync(home, { recursive: true, force: true });
  });

  it("asks for the admin key first, where the server has one", async () => {
    await page.goto(serve.url);
    const session = (await (await fetch(`${serve.url}/api/session`)).json().catch(() => undefined)) as { auth_required?: boolean } | undefined;
    if (session?.auth_required !== true) return;
    await page.getByRole("heading", { name: "Sign in to Switchyard" }).waitFor();
    await page.getByLabel("Admin key").fill("sy-admin-not-the-right-key-000000000000000");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").getByText("That admin key is not right.", { exact: false }).waitFor();
    await screenshot(page, "sign-in");
    await page.getByLabel("Admin key").fill(ADMIN_KEY);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "API keys" }).waitFor();
  });

  it("shows the red banner with the fix, and still lists the stored credential", async () => {
    const banner = page.getByRole("alert", { name: "Encryption key problem" });
    await banner.getByText("The encryption key is not the one your credentials were sealed with").waitFor();
    const text = (await banner.textContent()) ?? "";
    expect(text).toContain("How to fix it");
    expect(text).toContain("SWITCHYARD_ENCRYPTION_KEY");
    expect(text).toContain("Nothing stored has been changed");
    const card = page.getByRole("listitem", { name: "gpu-box" });
    await card.getByText("Its stored secrets cannot be read until the encryption key is fixed (see above).").waitFor();
    expect(await page.content()).not.toContain("sk-sealed-secret-4242");
    await screenshot(page, "banner-wrong-key");
  });

  it("keeps the banner on every page and explains why a new credential cannot be saved", async () => {
    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Defaults" }).click();
    await page.getByRole("heading", { level: 1, name: "Defaults" }).waitFor();
    expect(await page.getByRole("alert", { name: "Encryption key problem" }).count()).toBe(1);

    await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "API keys" }).click();
    await page.getByRole("button", { name: "Add credential" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Add credential" });
    await dialog.getByLabel("Name", { exact: true }).fill("another");
    await dialog.getByLabel("Base URL").fill("http://127.0.0.1:9/v1");
    await dialog.getByLabel("API key (optional)").fill("sk-would-be-sealed-1234");
    await dialog.getByRole("button", { name: "Add credential" }).click();
    await dialog.getByRole("alert").getByText(/encrypted with key/).waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await page.getByRole("listitem", { name: "another" }).count()).toBe(0);
  });
});
