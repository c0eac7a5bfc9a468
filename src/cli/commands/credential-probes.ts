/**
 * @module cli/commands/credential-probes
 * `switchyard credentials test|discover|env-status|migrate-env`: talking to a stored credential's
 * provider, and bringing keys from environment variables into the encrypted store.
 */
import { modelTypeSchema } from "../../credentials/credential-schemas.js";
import { envStatus, migrateFromEnv } from "../../credentials/env-migration.js";
import { CliError, EXIT_FAILURE, EXIT_USAGE } from "../cli-error.js";
import { printJson, printTable, stringFlag, wantsJson } from "../command-helpers.js";
import { withServices } from "../open-services.js";
import type { CommandInput } from "../run-cli.js";

/** `credentials test NAME|ID`: exit 1, with the diagnosis, when the provider cannot be used. */
export async function credentialsTestCommand(input: CommandInput): Promise<number> {
  const target = input.positionals[0] ?? "";
  const result = await withServices(input, ({ credentials }) => credentials.test(target));
  if (wantsJson(input)) printJson(input, result);
  else if (result.ok) input.stdout.write(`ok: ${result.diagnosis}\n`);
  if (result.ok) return 0;
  input.stderr.write(`switchyard: the test of '${target}' failed${result.status === undefined ? "" : ` (HTTP ${result.status})`}: ${result.diagnosis}\n`);
  return EXIT_FAILURE;
}

/** `credentials discover NAME|ID [--type T]`. */
export async function credentialsDiscoverCommand(input: CommandInput): Promise<number> {
  const target = input.positionals[0] ?? "";
  const typeFlag = stringFlag(input, "type");
  const type = typeFlag === undefined ? undefined : modelTypeSchema.safeParse(typeFlag);
  if (type !== undefined && !type.success) throw new CliError(`--type must be chat, embedding, tts or stt, got '${typeFlag ?? ""}'.`, EXIT_USAGE);
  const models = (await withServices(input, ({ credentials }) => credentials.discover(target))).filter((model) => type === undefined || model.type === type.data);
  if (wantsJson(input)) {
    printJson(input, { data: models });
    return 0;
  }
  if (models.length === 0) {
    input.stdout.write(`'${target}' lists no ${type === undefined ? "" : `${type.data} `}models.\n`);
    return 0;
  }
  const rows = models.map((model) => [model.id, model.type, model.registered ? "yes" : "no", model.contextWindow === undefined ? "-" : String(model.contextWindow), model.displayName ?? ""]);
  printTable(input, ["MODEL", "TYPE", "REGISTERED", "CONTEXT", "NAME"], rows);
  input.stdout.write(`\nRegister them with: switchyard models register ${target} --all   (or name the ones you want)\n`);
  return 0;
}

/** `credentials env-status`: what `migrate-env` would import; values masked, never printed. */
export async function credentialsEnvStatusCommand(input: CommandInput): Promise<number> {
  const found = await withServices(input, ({ credentials }) => envStatus(credentials, input.env));
  if (wantsJson(input)) printJson(input, { data: found });
  else if (found.length === 0) input.stdout.write("No provider settings found in environment variables.\n");
  else {
    const rows = found.map((entry) => [
      entry.name,
      entry.variables.join(", "),
      entry.has_api_key ? (entry.api_key_mask ?? "…") : "none",
      entry.base_url ?? "-",
      entry.already_stored ? "yes (import skips it)" : "no",
    ]);
    printTable(input, ["PROVIDER", "VARIABLES", "KEY", "BASE URL", "STORED"], rows);
    const pending = found.filter((entry) => !entry.already_stored).length;
    if (pending > 0) input.stdout.write(`\nImport ${pending === 1 ? "it" : `these ${pending}`} into the encrypted store with: switchyard credentials migrate-env\n`);
  }
  return 0;
}

/** `credentials migrate-env`: one report line per provider; exit 1 when any import failed. */
export async function credentialsMigrateEnvCommand(input: CommandInput): Promise<number> {
  const results = await withServices(input, ({ credentials }) => migrateFromEnv(credentials, input.env));
  const failed = results.filter((result) => result.status === "failed").length;
  if (wantsJson(input)) printJson(input, { results });
  else if (results.length === 0) input.stdout.write("Nothing to import: no provider settings found in environment variables.\n");
  else {
    printTable(input, ["PROVIDER", "RESULT", "DETAIL"], results.map((result) => [result.name, result.status.replace("_", " "), result.reason ?? (result.credential_id === undefined ? "" : `credential ${result.credential_id}`)]));
    const imported = results.filter((result) => result.status === "imported").length;
    input.stdout.write(`\n${imported} imported, ${results.length - imported - failed} already present, ${failed} failed.\n`);
    if (imported > 0) input.stdout.write("The stored credentials now take precedence over those variables; you can remove the keys from your environment.\n");
  }
  if (failed === 0) return 0;
  input.stderr.write(`switchyard: ${failed} provider${failed === 1 ? "" : "s"} could not be imported; see the report above.\n`);
  return EXIT_FAILURE;
}
