/**
 * @module cli/commands/config-validate
 * `switchyard config validate FILE`: validates the file against the schema and resolves its
 * providers (so a missing `env:` variable or a bad URL is caught too).
 */
import { resolve } from "node:path";
import { ConfigError, loadConfigFile } from "../../config/load-config-file.js";
import { resolveProviders } from "../../config/resolve-providers.js";
import type { CommandInput } from "../run-cli.js";

/** Validates one config file; exit code 1 with every problem listed when invalid. */
export async function configValidateCommand(input: CommandInput): Promise<number> {
  const file = resolve(input.positionals[0] ?? "");
  try {
    const config = await loadConfigFile(file);
    resolveProviders(config, input.env, file);
    const providers = Object.keys(config.providers ?? {}).length;
    const models = Object.keys(config.models ?? {}).length;
    if (input.values["json"] === true) input.stdout.write(`${JSON.stringify({ file, valid: true, providers, models })}\n`);
    else input.stdout.write(`${file} is valid: ${providers} provider(s), ${models} model(s).\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    if (input.values["json"] === true) input.stdout.write(`${JSON.stringify({ file: error.file, valid: false, problems: error.problems })}\n`);
    else input.stderr.write(`${error.message}\n`);
    return 1;
  }
}
