/**
 * @module test/support/start-gateway
 * Starts a real Switchyard (the same `createGateway().listen()` that `switchyard serve` uses) on
 * 127.0.0.1 with an OS-chosen port and an explicit environment. Refuses to start when any provider
 * would reach beyond this machine: tests send traffic to loopback only.
 */
import type { SwitchyardConfig } from "../../src/config/config-schema.js";
import { createGateway, type Gateway, type GatewayOptions } from "../../src/gateway/create-gateway.js";
import type { Logger } from "../../src/observability/logger.js";
import type { Store } from "../../src/store/store-types.js";

/** A gateway listening for a test. */
export interface TestGateway {
  readonly gateway: Gateway;
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** `url + "/v1"`, for OpenAI clients. */
  readonly baseUrl: string;
  close(options?: { timeoutMs?: number }): Promise<void>;
}

/** Options for {@link startGateway}. */
export interface StartGatewayOptions {
  /** The whole environment the gateway sees; `process.env` is never inherited. */
  readonly env?: Readonly<Record<string, string>>;
  readonly config?: SwitchyardConfig | string;
  readonly logger?: Logger;
  readonly maxBodyBytes?: number;
  readonly maxUploadBytes?: number;
  readonly modelListTimeoutMs?: number;
  /** Data directory: the SQLite store and the generated encryption key live here (enables `/api`). */
  readonly dataDir?: string;
  /** An already-open store (e.g. SQLite with a short busy timeout); the gateway does not close it. */
  readonly store?: Store;
  /** Receives each answer's token usage (and makes the gateway ask for stream usage). */
  readonly onUsage?: GatewayOptions["onUsage"];
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

function assertLoopbackOnly(gateway: Gateway): void {
  for (const provider of gateway.providers) {
    const host = new URL(provider.baseUrl).hostname;
    if (!LOOPBACK_HOSTS.has(host) && !host.startsWith("127.")) {
      throw new Error(`test gateway refuses to start: provider '${provider.name}' points at ${host}, outside this machine`);
    }
  }
}

/** Starts a gateway on 127.0.0.1:0. */
export async function startGateway(options: StartGatewayOptions = {}): Promise<TestGateway> {
  const gatewayOptions: GatewayOptions = {
    env: options.env ?? {},
    ...(options.config === undefined ? {} : { config: options.config }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    ...(options.maxUploadBytes === undefined ? {} : { maxUploadBytes: options.maxUploadBytes }),
    ...(options.modelListTimeoutMs === undefined ? {} : { modelListTimeoutMs: options.modelListTimeoutMs }),
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(options.onUsage === undefined ? {} : { onUsage: options.onUsage }),
  };
  const gateway = await createGateway(gatewayOptions);
  try {
    assertLoopbackOnly(gateway);
  } catch (error) {
    await gateway.close({ timeoutMs: 0 });
    throw error;
  }
  const listening = await gateway.listen({ host: "127.0.0.1", port: 0 });
  return {
    gateway,
    url: listening.url,
    baseUrl: `${listening.url}/v1`,
    close: (closeOptions) => gateway.close({ timeoutMs: closeOptions?.timeoutMs ?? 1_000 }),
  };
}
