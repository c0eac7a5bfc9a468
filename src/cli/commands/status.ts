/**
 * @module cli/commands/status
 * `switchyard status`: each provider's effective base URL and key, and where each came from.
 * Keys are masked.
 */
import { loadConfigFile } from "../../config/load-config-file.js";
import { resolveProviders } from "../../config/resolve-providers.js";
import { maskSecret } from "../../secrets/mask.js";
import { resolveConfigFile, resolveDataDir } from "../paths.js";
import type { CommandInput } from "../run-cli.js";

/** Prints the provider table (or JSON). */
export async function statusCommand(input: CommandInput): Promise<number> {
  const dataDir = resolveDataDir(input.values["data-dir"] as string | undefined, input.env);
  const configFile = resolveConfigFile(input.values["config"] as string | undefined, input.env, dataDir);
  const config = configFile === undefined ? {} : await loadConfigFile(configFile);
  const providers = resolveProviders(config, input.env, configFile ?? "config").map((provider) => {
    const chat = provider.services.chat;
    return {
      prefix: `${provider.name}/`,
      kind: provider.kind.id,
      enabled: provider.enabled,
      baseUrl: chat.baseUrl.value,
      baseUrlFrom: `${chat.baseUrl.source}: ${chat.baseUrl.origin}`,
      apiKey: maskSecret(chat.apiKey.value),
      apiKeyFrom: chat.apiKey.value === undefined ? "none" : `${chat.apiKey.source}: ${chat.apiKey.origin}`,
    };
  });
  if (input.values["json"] === true) {
    input.stdout.write(`${JSON.stringify({ dataDir, configFile: configFile ?? null, providers }, null, 2)}\n`);
    return 0;
  }
  input.stdout.write(`data dir: ${dataDir}\nconfig:   ${configFile ?? "none (environment and built-in defaults)"}\n\n`);
  for (const provider of providers) {
    input.stdout.write(
      `${provider.prefix.padEnd(16)} ${provider.kind.padEnd(14)} ${provider.enabled ? "" : "(disabled) "}${provider.baseUrl}\n` +
        `${"".padEnd(16)} base URL from ${provider.baseUrlFrom}; key ${provider.apiKey || "none"} from ${provider.apiKeyFrom}\n`,
    );
  }
  return 0;
}
