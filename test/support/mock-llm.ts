/**
 * @module test/support/mock-llm
 * Runs the third-party `@dwmkerr/mock-llm` in-process on 127.0.0.1:0, so tests meet an upstream
 * that we did not write (STYLE.md §18). Its default rules echo the last message and list `gpt-5.2`.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getDefaultConfig } from "@dwmkerr/mock-llm/dist/config.js";
import type { Config } from "@dwmkerr/mock-llm/dist/config.js";
import { createServer } from "@dwmkerr/mock-llm/dist/server.js";

export type { Config as MockLlmConfig } from "@dwmkerr/mock-llm/dist/config.js";

/** A running mock-llm. */
export interface MockLlm {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `url + "/v1"` */
  readonly baseUrl: string;
  /** The configuration it started with (it can be changed at run time through its `/config` routes). */
  readonly config: Config;
  close(): Promise<void>;
}

/**
 * The part of the Express app we use. mock-llm's typings name `express-serve-static-core`, whose
 * types are not installed here, so the app is described by what we call on it.
 */
interface ListeningApp {
  listen(port: number, host: string): Server;
}

/** Starts mock-llm with its default rules, overridden by whatever `config` provides. */
export async function startMockLlm(config: Partial<Config> = {}): Promise<MockLlm> {
  const merged: Config = { ...getDefaultConfig(), ...config };
  // host and port only feed the OAuth/A2A metadata it advertises; the real port is known after listen.
  const app: ListeningApp = createServer(merged, "127.0.0.1", 0);
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    config: merged,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
