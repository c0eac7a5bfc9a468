/**
 * @module cli/commands/status
 * `switchyard status`: each provider's effective base URL and key, and where each came from
 * (store > config > env > default), plus the store and the encryption key's state. Keys are
 * masked. It contacts no provider and creates nothing: without a store it reports none.
 */
import { resolveProviders, type ProviderSettings, type StoredProvider } from "../../config/resolve-providers.js";
import { CredentialService } from "../../credentials/credential-service.js";
import { maskSecret } from "../../secrets/mask.js";
import { safeUrl } from "../../secrets/safe-url.js";
import { SecretBox, type EncryptionDescription } from "../../secrets/secret-box.js";
import { printJson, wantsJson } from "../command-helpers.js";
import { askRunningGateway, gatewayUrl } from "../gateway-client.js";
import { loadCliConfig, resolveLocation, withStore } from "../open-services.js";
import type { CommandInput } from "../run-cli.js";

/** What the store contributes to the status, when there is one. */
interface StoredState {
  readonly store: { readonly dialect: string; readonly location: string };
  readonly encryption: EncryptionDescription;
  readonly providers: readonly StoredProvider[];
}

function providerStatus(provider: ProviderSettings) {
  const chat = provider.services.chat;
  return {
    prefix: `${provider.name}/`,
    kind: provider.kind.id,
    enabled: provider.enabled,
    credentialId: provider.credentialId ?? null,
    baseUrl: chat.baseUrl.value,
    baseUrlSource: chat.baseUrl.source,
    baseUrlFrom: `${chat.baseUrl.source}: ${chat.baseUrl.origin}`,
    apiKey: maskSecret(chat.apiKey.value),
    apiKeySource: chat.apiKey.value === undefined ? "none" : chat.apiKey.source,
    apiKeyFrom: chat.apiKey.value === undefined ? "none" : `${chat.apiKey.source}: ${chat.apiKey.origin}`,
    /** Why a stored credential cannot be used right now (its secrets cannot be decrypted). */
    unavailable: provider.unavailable?.message ?? null,
  };
}

function describeEncryption(encryption: EncryptionDescription | undefined): string {
  if (encryption === undefined) return "not checked (no store yet)";
  if (encryption.status === "ok") return `ok, key ${encryption.keyId ?? "?"} from ${encryption.source === "file" ? (encryption.keyFile ?? "the key file") : `SWITCHYARD_ENCRYPTION_KEY (${encryption.source ?? "env"})`}`;
  return `${encryption.status}: ${encryption.message ?? ""}`;
}

/** One deployment as the running gateway reports it (camelCase). */
interface DeploymentHealthLine {
  readonly id: string;
  readonly breaker: { readonly status: string; readonly opensUntil?: number; readonly consecutiveFailures: number };
  readonly latencyMs: number | null;
  readonly inFlight: number;
  readonly lastError: { readonly message: string; readonly at: string } | null;
}

function describeDeployment(deployment: DeploymentHealthLine): string {
  const breaker = deployment.breaker.status === "open" && deployment.breaker.opensUntil !== undefined
    ? `breaker OPEN (probe in ${Math.max(0, Math.ceil((deployment.breaker.opensUntil - Date.now()) / 1000))} s)`
    : `breaker ${deployment.breaker.status}`;
  const latency = deployment.latencyMs === null ? "latency unmeasured" : `latency ${Math.round(deployment.latencyMs)} ms`;
  const error = deployment.lastError === null ? "" : `; last error ${deployment.lastError.at}: ${deployment.lastError.message}`;
  return `  ${deployment.id.padEnd(30)} ${breaker}; ${latency}; ${deployment.inFlight} in flight${error}`;
}

/** Prints the provider table (or JSON). */
export async function statusCommand(input: CommandInput): Promise<number> {
  const location = resolveLocation(input);
  const config = await loadCliConfig(location);
  const stored = await withStore(
    input,
    async (store): Promise<StoredState | undefined> => {
      if (store === undefined) return undefined;
      // Reporting must not create a key file: a missing key is shown as missing.
      const box = await SecretBox.open({ env: input.env, dataDir: location.dataDir, meta: store, allowGenerate: false });
      const credentials = new CredentialService({ store, box, env: input.env, config: () => config, onChange: async () => undefined });
      const records = await store.listCredentials();
      return { store: { dialect: store.dialect, location: store.location }, encryption: box.describe(), providers: records.map((record) => credentials.storedProvider(record)) };
    },
    { create: false },
  );
  const providers = resolveProviders(config, input.env, location.configFile ?? "config", stored?.providers ?? []).map(providerStatus);
  // Breakers and latencies live in the running gateway; ask it, and say so when it is not running.
  const url = gatewayUrl(input, config);
  const health = await askRunningGateway<{ data: DeploymentHealthLine[] }>(input, url, "GET", "/api/health/deployments");
  const gateway = { url, running: health !== undefined, deployments: health?.data ?? null };
  if (wantsJson(input)) {
    printJson(input, { dataDir: location.dataDir, configFile: location.configFile ?? null, store: stored?.store ?? null, encryption: stored?.encryption ?? null, providers, gateway });
    return 0;
  }
  const storeLine = stored === undefined ? `none yet (${location.storeFile} is created by serve or credentials add)` : `${stored.store.dialect} ${stored.store.location} (${stored.providers.length} stored credential${stored.providers.length === 1 ? "" : "s"})`;
  input.stdout.write(
    `data dir:   ${location.dataDir}\nconfig:     ${location.configFile ?? "none (environment and built-in defaults)"}\nstore:      ${storeLine}\nencryption: ${describeEncryption(stored?.encryption)}\n\n`,
  );
  for (const provider of providers) {
    input.stdout.write(
      `${provider.prefix.padEnd(16)} ${provider.kind.padEnd(14)} ${provider.enabled ? "" : "(disabled) "}${safeUrl(provider.baseUrl)}\n` +
        `${"".padEnd(16)} base URL from ${provider.baseUrlFrom}; key ${provider.apiKey || "none"} from ${provider.apiKeyFrom}\n` +
        (provider.unavailable === null ? "" : `${"".padEnd(16)} UNAVAILABLE: ${provider.unavailable}\n`),
    );
  }
  input.stdout.write(`\ngateway:    ${gateway.running ? `running at ${url}` : `not running at ${url} (deployment health is kept by the running gateway)`}\n`);
  for (const deployment of gateway.deployments ?? []) input.stdout.write(`${describeDeployment(deployment)}\n`);
  return 0;
}
