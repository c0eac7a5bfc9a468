/**
 * @module test/browser/console-flow.test
 * The console as a person uses it, in Chromium, against a real `switchyard serve` and a real
 * upstream on 127.0.0.1: add a credential, test it, discover and register models, test and rename
 * a model, set defaults, then call the model through the official `openai` SDK; import keys from
 * environment variables; edit a credential's address (the key must be entered again) and delete it.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_AVAILABLE, launchBrowser, screenshot, type TestBrowser } from "../support/browser.js";
import { startScriptedUpstream, type ScriptedUpstream } from "../support/scripted-upstream.js";
import { startServe, type ServeProcess } from "../support/serve-process.js";

const STORED_KEY = "sk-local-console-key-7Q2x";
const ENV_KEY = "sk-env-vllm-key-9Z4w";

let home: string;
let upstream: ScriptedUpstream;
let serve: ServeProcess;
let browser: TestBrowser;
let page: Page;

/** Clicks a navigation link and waits for the page heading. */
async function openPage(label: string, heading: string): Promise<void> {
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: label }).click();
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
}

describe.skipIf(!BROWSER_AVAILABLE)("web console", () => {
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), "switchyard-console-flow-"));
    upstream = await startScriptedUpstream({ models: ["scripted-chat", "scripted-embed"] });
    // A route in the config file, shown on the Routing page once the routing API answers.
    const config = join(home, "switchyard.json");
    writeFileSync(config, JSON.stringify({ routes: { fast: { strategy: "priority", targets: ["vllm/scripted-chat", "vllm/scripted-embed"] } } }));
    serve = await startServe({
      home,
      dataDir: join(home, "data"),
      args: ["--config", config],
      // What a user migrating from env-var configuration has: a provider's URL and key in variables.
      env: { VLLM_BASE_URL: upstream.baseUrl, VLLM_API_KEY: ENV_KEY },
    });
    browser = await launchBrowser();
    page = await browser.newPage();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await upstream?.close();
    if (home !== undefined) rmSync(home, { recursive: true, force: true });
  });

  it("opens on the API keys page with an empty state and the environment-variable banner", async () => {
    await page.goto(serve.url);
    await page.getByRole("heading", { level: 1, name: "API keys" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/settings/api-keys");
    await page.getByText("No credentials yet").waitFor();
    const banner = page.getByRole("region", { name: "Keys in environment variables" });
    await banner.getByText("VLLM_BASE_URL").waitFor();
    expect(await banner.textContent()).toContain("VLLM_API_KEY");
    expect(await page.content()).not.toContain(ENV_KEY);
    await screenshot(page, "banner-env-migration");
  });

  it("adds a credential and shows its connection test inline", async () => {
    await page.getByRole("button", { name: "Add credential" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Add credential" });
    await dialog.getByLabel("Provider").selectOption("openai-compat");
    await dialog.getByLabel("Name", { exact: true }).fill("local");
    await dialog.getByLabel("Base URL").fill(upstream.baseUrl);
    await dialog.getByLabel("API key (optional)").fill(STORED_KEY);
    await screenshot(page, "add-credential");
    await dialog.getByRole("button", { name: "Add credential" }).click();
    await dialog.waitFor({ state: "detached" });

    const card = page.getByRole("listitem", { name: "local" });
    await card.getByText(/Connected to 127\.0\.0\.1:\d+ in \d+ ms; it lists 2 models/).waitFor();
    expect(await card.textContent()).toContain("sk-…7Q2x");
    expect(await page.content()).not.toContain(STORED_KEY);
    // The stored key is what the upstream received.
    const listing = upstream.requests.find((request) => request.path === "/v1/models" && request.headers.authorization === `Bearer ${STORED_KEY}`);
    expect(listing).toBeDefined();

    await card.getByRole("button", { name: "Test connection" }).click();
    await card.getByText(/Connected to 127\.0\.0\.1/).waitFor();
  });

  it("discovers models, filters them, and registers a selection", async () => {
    await page.getByRole("listitem", { name: "local" }).getByRole("button", { name: "Discover models" }).click();
    const dialog = page.getByRole("dialog", { name: "Discover models: local" });
    await dialog.getByRole("checkbox", { name: /scripted-chat/ }).waitFor();
    await dialog.getByRole("searchbox", { name: "Search models" }).fill("chat");
    expect(await dialog.getByRole("checkbox").count()).toBe(1);
    await dialog.getByRole("checkbox", { name: /scripted-chat/ }).check();
    await dialog.getByRole("searchbox", { name: "Search models" }).fill("");
    await dialog.getByLabel("Model type", { exact: true }).selectOption("embedding");
    expect(await dialog.getByRole("checkbox").count()).toBe(1);
    await dialog.getByRole("button", { name: "Select all" }).click();
    await dialog.getByLabel("Model type", { exact: true }).selectOption("all");
    await dialog.getByText("2 selected").waitFor();
    await screenshot(page, "discover-models");
    await dialog.getByRole("button", { name: "Register" }).click();
    await page.getByText("Registered 2 models.").waitFor();
    await page.getByRole("button", { name: "Done" }).click();
  });

  it("tests a registered model and edits its display name", async () => {
    await openPage("Models", "Models");
    const card = page.getByRole("listitem", { name: "local/scripted-chat" });
    await card.getByRole("button", { name: "Test model" }).click();
    await card.getByText(/The model answered in \d+ ms/).waitFor();
    await card.getByRole("button", { name: "Edit display name of local/scripted-chat" }).click();
    await card.getByLabel("Display name of local/scripted-chat").fill("Scripted chat");
    await card.getByLabel("Display name of local/scripted-chat").press("Enter");
    await card.getByText("Scripted chat", { exact: true }).waitFor();
    expect(await page.getByRole("listitem", { name: "local/scripted-embed" }).textContent()).toContain("Embedding");
    await screenshot(page, "models");
  });

  it("sets the chat and embedding defaults", async () => {
    await openPage("Defaults", "Defaults");
    await page.getByLabel("Chat", { exact: true }).selectOption("local/scripted-chat");
    await page.getByText("Chat default: local/scripted-chat.").waitFor();
    await page.getByLabel("Embedding", { exact: true }).selectOption("local/scripted-embed");
    await page.getByText("Embedding default: local/scripted-embed.").waitFor();
    const defaults = (await (await fetch(`${serve.url}/api/defaults`)).json()) as Record<string, string>;
    expect(defaults).toEqual({ chat: "local/scripted-chat", embedding: "local/scripted-embed" });
    await screenshot(page, "defaults");
  });

  it("lets the official openai SDK call the registered model and the default", async () => {
    const client = new OpenAI({ baseURL: `${serve.url}/v1`, apiKey: "switchyard", maxRetries: 0 });
    const reply = await client.chat.completions.create({ model: "local/scripted-chat", messages: [{ role: "user", content: "Hello from the console test" }] });
    expect(reply.choices[0]?.message.content).toBe("Hello from the console test");
    const viaDefault = await client.chat.completions.create({ model: "default", messages: [{ role: "user", content: "Default answer" }] });
    expect(viaDefault.choices[0]?.message.content).toBe("Default answer");
    const call = upstream.requests.filter((request) => request.path === "/v1/chat/completions").at(-1);
    expect(call?.headers.authorization).toBe(`Bearer ${STORED_KEY}`);
    expect((call?.json() as { model?: string }).model).toBe("scripted-chat");
  });

  it("shows copy-ready snippets with this server's base URL", async () => {
    await openPage("Connect your app", "Connect your app");
    await page.getByText(`${serve.url}/v1`, { exact: true }).waitFor();
    const code = page.getByRole("tabpanel");
    expect(await code.textContent()).toContain(`curl ${serve.url}/v1/chat/completions`);
    await page.getByRole("tab", { name: "curl" }).focus();
    await page.keyboard.press("ArrowRight");
    expect(await page.getByRole("tab", { name: "Python" }).getAttribute("aria-selected")).toBe("true");
    expect(await code.textContent()).toContain(`OpenAI(base_url="${serve.url}/v1"`);
    await page.getByRole("tab", { name: "Vercel AI SDK" }).click();
    expect(await code.textContent()).toContain("createOpenAICompatible");
    if ((await fetch(`${serve.url}/api/keys`)).status === 404) {
      await screenshot(page, "connect", { fullPage: true });
      return;
    }
    // Where gateway keys exist: one created here is shown once, lands in the snippets, and works.
    await page.getByLabel("New key name").fill("console-test");
    await page.getByRole("button", { name: "Create gateway key" }).click();
    const key = (await page.locator("code.secret").textContent()) ?? "";
    expect(key).toMatch(/^sk-sy-/);
    expect(await code.textContent()).toContain(key);
    await screenshot(page, "connect", { fullPage: true });
    const withKey = new OpenAI({ baseURL: `${serve.url}/v1`, apiKey: key, maxRetries: 0 });
    const reply = await withKey.chat.completions.create({ model: "local/scripted-chat", messages: [{ role: "user", content: "With a gateway key" }] });
    expect(reply.choices[0]?.message.content).toBe("With a gateway key");
    const withoutKey = new OpenAI({ baseURL: `${serve.url}/v1`, apiKey: "not-a-gateway-key", maxRetries: 0 });
    await expect(withoutKey.chat.completions.create({ model: "local/scripted-chat", messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ status: 401 });
  });

  it("shows the routing page only where the routing API exists", async () => {
    const routes = await fetch(`${serve.url}/api/routes`);
    const nav = page.getByRole("navigation", { name: "Settings" });
    if (routes.status === 404) {
      expect(await nav.getByRole("link", { name: "Routing" }).count()).toBe(0);
      await page.goto(`${serve.url}/settings/routing`);
      await page.getByText("Routing is not configured on this server").waitFor();
      return;
    }
    await openPage("Routing", "Routing");
    const route = page.getByRole("region", { name: "Route fast" });
    const order = async (): Promise<string[]> => {
      const body = (await (await fetch(`${serve.url}/api/routes/fast`)).json()) as { targets: string[] };
      return body.targets;
    };
    await route.getByText("vllm/scripted-chat").first().waitFor();
    await screenshot(page, "routing");

    // Keyboard: focus the primary's handle and move it down, then save.
    await route.getByRole("button", { name: "Reorder vllm/scripted-chat, position 1 of 2" }).focus();
    await page.keyboard.press("ArrowDown");
    await route.getByRole("button", { name: "Reorder vllm/scripted-chat, position 2 of 2" }).waitFor();
    await route.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved the route “fast”.").waitFor();
    expect(await order()).toEqual(["vllm/scripted-embed", "vllm/scripted-chat"]);

    // Mouse: drag it back to the top, then save.
    const rows = route.getByRole("listitem");
    await rows.nth(1).dragTo(rows.nth(0));
    await route.getByRole("button", { name: "Reorder vllm/scripted-chat, position 1 of 2" }).waitFor();
    await route.getByRole("button", { name: "Save" }).click();
    await expect.poll(order).toEqual(["vllm/scripted-chat", "vllm/scripted-embed"]);
  });

  it("imports keys from environment variables in one click and reports what happened", async () => {
    await openPage("API keys", "API keys");
    await page.getByRole("button", { name: "Import into the store" }).click();
    const report = page.getByRole("region", { name: "Import report" });
    await report.getByText("vLLM as vllm: imported").waitFor();
    await page.getByRole("listitem", { name: "vllm" }).getByText("sk-…9Z4w").waitFor();
    expect(await page.getByRole("region", { name: "Keys in environment variables" }).count()).toBe(0);
    await screenshot(page, "api-keys", { fullPage: true });
    await report.getByRole("button", { name: "Dismiss" }).click();
  });

  it("asks for the key again when the base URL changes", async () => {
    const card = page.getByRole("listitem", { name: "vllm" });
    await card.getByRole("button", { name: "Edit" }).click();
    const dialog = page.getByRole("dialog", { name: "Edit credential “vllm”" });
    await dialog.getByLabel("Base URL").fill(`${upstream.url}/v1/`);
    await dialog.getByText("You changed the address, so enter the key again").waitFor();
    await dialog.getByRole("button", { name: "Save changes" }).click();
    await dialog.getByRole("alert").getByText(/enter the API key again/).waitFor();
    await dialog.getByLabel("API key (optional)").fill("sk-re-entered-key-5T1p");
    await dialog.getByRole("button", { name: "Save changes" }).click();
    await dialog.waitFor({ state: "detached" });
    await card.getByText("sk-…5T1p").waitFor();
  });

  it("deletes a credential after confirmation", async () => {
    await page.getByRole("listitem", { name: "vllm" }).getByRole("button", { name: "Delete" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete “vllm”?" });
    await dialog.getByRole("button", { name: "Delete credential" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByRole("listitem", { name: "vllm" }).waitFor({ state: "detached" });
    expect(await page.getByRole("listitem", { name: "local" }).count()).toBe(1);
  });

  it("works at phone width and in dark mode", async () => {
    const phone = await browser.newPage({ width: 390, height: 844, colorScheme: "dark" });
    await phone.goto(`${serve.url}/settings/models`);
    await phone.getByRole("listitem", { name: "local/scripted-chat" }).waitFor();
    const overflow = await phone.evaluate<number>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
    expect(overflow).toBeLessThanOrEqual(0);
    const background = await phone.evaluate<string>("getComputedStyle(document.documentElement).backgroundColor");
    expect(background).toBe("rgb(17, 19, 24)");
    await screenshot(phone, "phone-dark");
    await phone.close();
  });
});
