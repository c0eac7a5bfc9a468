/**
 * @module cli/commands/credentials
 * `switchyard credentials add|list|show|update|remove`: stored credentials managed from the
 * terminal through the same service and schemas as the admin API. Keys are read from a flag, from
 * stdin or from a no-echo prompt, and only ever shown masked.
 */
import type { CredentialView } from "../../credentials/credential-views.js";
import type { EncryptionDescription } from "../../secrets/secret-box.js";
import { getProviderKind } from "../../providers/registry.js";
import { CliError, EXIT_FAILURE, EXIT_USAGE } from "../cli-error.js";
import { booleanFlag, exclusiveFlags, printFields, printJson, printTable, stringFlag, wantsJson } from "../command-helpers.js";
import { createInputFromFlags, movesBaseUrl, updateInputFromFlags } from "../credential-flags.js";
import { withServices } from "../open-services.js";
import { confirm, isInteractive, promptSecret, readSecretFromStdin } from "../prompt.js";
import type { CommandInput } from "../run-cli.js";

/** The key from `--api-key` or `--api-key-stdin`, if either was given. */
async function keyFromFlags(input: CommandInput): Promise<string | undefined> {
  const flag = stringFlag(input, "api-key");
  if (flag !== undefined) return flag;
  if (booleanFlag(input, "api-key-stdin")) return readSecretFromStdin("API key", input.stdin, input.stderr);
  return undefined;
}

function keyColumn(view: CredentialView): string {
  if (view.secrets_error !== null) return "unreadable";
  return view.has_api_key ? (view.api_key_mask ?? "…") : "none";
}

function lastTestText(view: CredentialView): string {
  const test = view.last_test;
  if (test === null) return "never";
  return `${test.ok ? "ok" : "failed"}${test.latencyMs === null ? "" : ` ${test.latencyMs} ms`} (${test.at})`;
}

/**
 * Warns, on stderr, when stored secrets cannot be read; resolves with the exit code (1 then), so
 * scripts notice a wrong or missing encryption key even though the listing itself succeeded.
 */
export function reportUnreadable(input: CommandInput, views: readonly CredentialView[], encryption: EncryptionDescription): number {
  const unreadable = views.filter((view) => view.secrets_error !== null);
  if (unreadable.length === 0) return 0;
  const names = unreadable.map((view) => `'${view.name}'`).join(", ");
  const reason = encryption.status === "ok" ? unreadable[0]?.secrets_error : encryption.message;
  input.stderr.write(`switchyard: the secrets of ${names} cannot be read: ${reason ?? "unknown reason"}\n`);
  return EXIT_FAILURE;
}

/** Refuses before prompting for a key that could not be stored (wrong or missing encryption key). */
function requireUsableBox(encryption: EncryptionDescription): void {
  if (encryption.status !== "ok") throw new CliError(encryption.message ?? `The encryption key is ${encryption.status}.`);
}

/** `credentials add`. */
export async function credentialsAddCommand(input: CommandInput): Promise<number> {
  exclusiveFlags(input, ["api-key", "api-key-stdin"]);
  // Check every other flag before asking for a key, so nobody types a key only to hear of a typo.
  createInputFromFlags(input, undefined);
  const given = await keyFromFlags(input);
  const kind = getProviderKind(stringFlag(input, "kind") ?? "");
  const needsKey = kind !== undefined && !kind.local && kind.defaults.apiKey === undefined;
  const view = await withServices(input, async ({ credentials, box }) => {
    let apiKey = given;
    if (apiKey === undefined && needsKey && isInteractive(input.stdin)) {
      // Ask only once the key can actually be stored: a wrong encryption key would refuse it.
      requireUsableBox(box.describe());
      const typed = (await promptSecret(`API key for ${kind.displayName} (input hidden; Enter for none): `, input.stdin, input.stderr)).trim();
      apiKey = typed === "" ? undefined : typed;
    }
    return credentials.create(createInputFromFlags(input, apiKey));
  });
  if (wantsJson(input)) {
    printJson(input, view);
    return 0;
  }
  const key = view.has_api_key ? `key ${view.api_key_mask ?? "…"}` : "no key";
  input.stdout.write(`Added credential '${view.name}' (${view.kind}, ${key}) -> ${view.effective_base_url ?? "base URL unresolved"}\n`);
  if (!view.has_api_key && needsKey) input.stdout.write(`No key stored: requests use the config file's or the environment's key for ${view.kind}, if any.\n`);
  input.stdout.write(`Next: switchyard credentials test ${view.name}   then   switchyard models register ${view.name} --all\n`);
  return 0;
}

/** `credentials list`. */
export async function credentialsListCommand(input: CommandInput): Promise<number> {
  const { views, encryption } = await withServices(input, async ({ credentials, box }) => ({ views: await credentials.list(), encryption: box.describe() }));
  if (wantsJson(input)) printJson(input, { data: views, encryption });
  else if (views.length === 0) input.stdout.write("No stored credentials. Add one with: switchyard credentials add --name NAME --kind KIND\n");
  else {
    const rows = views.map((view) => [
      view.name,
      view.kind,
      view.enabled ? "yes" : "no",
      keyColumn(view),
      view.effective_base_url ?? view.base_url ?? "-",
      lastTestText(view),
    ]);
    printTable(input, ["NAME", "KIND", "ENABLED", "KEY", "BASE URL", "LAST TEST"], rows);
  }
  return reportUnreadable(input, views, encryption);
}

/** `credentials show NAME|ID`. */
export async function credentialsShowCommand(input: CommandInput): Promise<number> {
  const target = input.positionals[0] ?? "";
  const { view, encryption } = await withServices(input, async ({ credentials, box }) => ({ view: await credentials.get(target), encryption: box.describe() }));
  if (wantsJson(input)) printJson(input, view);
  else {
    const serviceUrls = Object.entries(view.service_urls).map(([service, url]) => `${service}=${url}`);
    const test = view.last_test;
    printFields(input, [
      ["name", view.name],
      ["id", view.id],
      ["kind", view.kind],
      ["enabled", view.enabled ? "yes" : "no"],
      ["priority", String(view.priority)],
      ["base URL", view.base_url ?? `not stored (in effect: ${view.effective_base_url ?? "unresolved"})`],
      ["API key", keyColumn(view)],
      ["service URLs", serviceUrls.length === 0 ? "none" : serviceUrls.join(", ")],
      ["service keys", view.service_keys.length === 0 ? "none" : `${view.service_keys.join(", ")} (stored, hidden)`],
      ["headers", view.header_names.length === 0 ? "none" : `${view.header_names.join(", ")} (values hidden)`],
      ["last test", test === null ? "never" : `${lastTestText(view)}: ${test.message}`],
      ["version", String(view.version)],
      ["created", view.created_at],
      ["updated", view.updated_at],
    ]);
  }
  return reportUnreadable(input, [view], encryption);
}

/** `credentials update NAME|ID`. */
export async function credentialsUpdateCommand(input: CommandInput): Promise<number> {
  const target = input.positionals[0] ?? "";
  exclusiveFlags(input, ["api-key", "api-key-stdin", "clear-api-key"]);
  let body = updateInputFromFlags(input, undefined);
  const apiKey = await keyFromFlags(input);
  if (apiKey !== undefined) body = updateInputFromFlags(input, apiKey);
  if (Object.keys(body).length === 0) throw new CliError("Nothing to change: give at least one flag (see 'switchyard credentials update --help').", EXIT_USAGE);
  const view = await withServices(input, async ({ credentials, box }) => {
    if (body.api_key === undefined && isInteractive(input.stdin)) {
      // On a terminal, ask for the key the service would otherwise refuse the move without.
      const record = await credentials.record(target);
      if (record.apiKeyEnvelope !== null && movesBaseUrl(body, record.baseUrl)) {
        requireUsableBox(box.describe());
        const typed = (await promptSecret(`The base URL changes, so enter the API key for '${record.name}' again (input hidden): `, input.stdin, input.stderr)).trim();
        if (typed === "") throw new CliError("No key entered; nothing was changed.");
        body = updateInputFromFlags(input, typed);
      }
    }
    return credentials.update(target, body);
  });
  if (wantsJson(input)) printJson(input, view);
  else input.stdout.write(`Updated credential '${view.name}' (${view.kind}, key ${keyColumn(view)}) -> ${view.effective_base_url ?? "base URL unresolved"}\n`);
  return 0;
}

/** `credentials remove NAME|ID`: asks first on a terminal; elsewhere only with `--yes`. */
export async function credentialsRemoveCommand(input: CommandInput): Promise<number> {
  const target = input.positionals[0] ?? "";
  const yes = booleanFlag(input, "yes");
  if (!yes && !isInteractive(input.stdin)) {
    throw new CliError(`Refusing to remove credential '${target}' without confirmation: standard input is not a terminal, so pass --yes.`, EXIT_USAGE);
  }
  const removed = await withServices(input, async ({ credentials, models }) => {
    const view = await credentials.get(target);
    if (!yes) {
      const count = (await models.list()).filter((model) => model.credential_id === view.id).length;
      const question = `Remove credential '${view.name}' (${view.kind}) and its ${count} registered model${count === 1 ? "" : "s"}?`;
      if (!(await confirm(question, input.stdin, input.stderr))) throw new CliError("Nothing was removed.");
    }
    await credentials.remove(view.id);
    return { id: view.id, name: view.name };
  });
  if (wantsJson(input)) printJson(input, { removed });
  else input.stdout.write(`Removed credential '${removed.name}' and its registered models.\n`);
  return 0;
}
