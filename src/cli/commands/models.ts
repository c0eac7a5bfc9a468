/**
 * @module cli/commands/models
 * `switchyard models list|register|remove|test|default`: registered models and the default model
 * per type, through the same service and schemas as the admin API.
 */
import { modelTypeSchema, registerModelsSchema } from "../../credentials/credential-schemas.js";
import type { ModelType } from "../../store/store-types.js";
import { CliError, EXIT_FAILURE, EXIT_USAGE } from "../cli-error.js";
import { booleanFlag, parseWith, printJson, printTable, stringFlag, wantsJson } from "../command-helpers.js";
import { withServices } from "../open-services.js";
import type { CommandInput } from "../run-cli.js";

const MODEL_TYPES: readonly ModelType[] = ["chat", "embedding", "tts", "stt"];

function modelType(value: string, what: string): ModelType {
  const parsed = modelTypeSchema.safeParse(value);
  if (!parsed.success) throw new CliError(`${what} must be chat, embedding, tts or stt, got '${value}'.`, EXIT_USAGE);
  return parsed.data;
}

/** `models list`. */
export async function modelsListCommand(input: CommandInput): Promise<number> {
  const { data, defaults } = await withServices(input, async ({ models }) => ({ data: await models.list(), defaults: await models.defaults() }));
  if (wantsJson(input)) {
    printJson(input, { data, defaults });
    return 0;
  }
  if (data.length === 0) {
    input.stdout.write("No registered models. Register some with: switchyard models register CREDENTIAL --all\n");
    return 0;
  }
  const defaultFor = (id: string): string => MODEL_TYPES.filter((type) => defaults[type] === id).join(", ");
  const rows = data.map((model) => [model.id, model.type, model.credential, model.upstream_model, defaultFor(model.id) || "-", model.display_name ?? ""]);
  printTable(input, ["MODEL", "TYPE", "CREDENTIAL", "UPSTREAM MODEL", "DEFAULT FOR", "NAME"], rows);
  return 0;
}

/** `models register CREDENTIAL (--all | MODEL… | --custom NAME …)`. */
export async function modelsRegisterCommand(input: CommandInput): Promise<number> {
  const [credential = "", ...names] = input.positionals;
  const custom = stringFlag(input, "custom");
  const customOnly = ["upstream-model", "type", "display-name"].filter((flag) => input.values[flag] !== undefined);
  if (custom === undefined && customOnly.length > 0) throw new CliError(`${customOnly.map((flag) => `--${flag}`).join(", ")} only go with --custom NAME.`, EXIT_USAGE);
  const type = stringFlag(input, "type");
  const upstream = stringFlag(input, "upstream-model");
  const displayName = stringFlag(input, "display-name");
  const body = {
    ...(booleanFlag(input, "all") ? { all: true } : {}),
    ...(names.length === 0 ? {} : { models: names }),
    ...(custom === undefined
      ? {}
      : {
          custom: [
            {
              name: custom,
              ...(upstream === undefined ? {} : { upstream_model: upstream }),
              ...(type === undefined ? {} : { type: modelType(type, "--type") }),
              ...(displayName === undefined ? {} : { display_name: displayName }),
            },
          ],
        }),
  };
  const flagFor = (path: readonly PropertyKey[]): string => (path[0] === "custom" ? `--${String(path[2] ?? "custom").replace(/_/g, "-")}` : path[0] === "models" ? "MODEL" : `--${String(path[0])}`);
  const request = parseWith(registerModelsSchema, body, flagFor);
  const result = await withServices(input, ({ models }) => models.register(credential, request));
  // Re-registering what is already there is fine (scripts re-run); asking for a model the provider does not offer is not.
  const refused = result.skipped.filter((entry) => !entry.reason.startsWith("already"));
  if (wantsJson(input)) printJson(input, result);
  else {
    if (result.registered.length > 0) printTable(input, ["REGISTERED", "TYPE", "UPSTREAM MODEL"], result.registered.map((model) => [model.id, model.type, model.upstream_model]));
    else input.stdout.write("No new models registered.\n");
    for (const entry of result.skipped) input.stdout.write(`skipped ${entry.name}: ${entry.reason}\n`);
  }
  if (refused.length === 0) return 0;
  input.stderr.write(`switchyard: ${refused.map((entry) => `'${entry.name}'`).join(", ")} not registered: ${refused[0]?.reason ?? ""}\n`);
  return EXIT_FAILURE;
}

/** `models remove MODEL_ID`. */
export async function modelsRemoveCommand(input: CommandInput): Promise<number> {
  const id = input.positionals[0] ?? "";
  await withServices(input, ({ models }) => models.remove(id));
  if (wantsJson(input)) printJson(input, { removed: id });
  else input.stdout.write(`Removed model '${id}'.\n`);
  return 0;
}

/** `models test MODEL_ID`: one tiny real request; exit 1 when it fails. */
export async function modelsTestCommand(input: CommandInput): Promise<number> {
  const id = input.positionals[0] ?? "";
  const result = await withServices(input, ({ models }) => models.test(id));
  if (wantsJson(input)) printJson(input, result);
  else if (result.ok) input.stdout.write(`ok: ${result.message}\n`);
  if (result.ok) return 0;
  input.stderr.write(`switchyard: the test of '${id}' failed${result.status === null ? "" : ` (HTTP ${result.status})`}: ${result.message}\n`);
  return EXIT_FAILURE;
}

/** `models default [TYPE [MODEL_ID | --clear]]`: shows all, shows one, sets or clears. */
export async function modelsDefaultCommand(input: CommandInput): Promise<number> {
  const [typeArgument, modelId] = input.positionals;
  const clear = booleanFlag(input, "clear");
  const type = typeArgument === undefined ? undefined : modelType(typeArgument, "TYPE");
  if (clear && (type === undefined || modelId !== undefined)) throw new CliError("--clear takes a TYPE and no MODEL_ID: switchyard models default TYPE --clear", EXIT_USAGE);
  const change = type !== undefined && (clear || modelId !== undefined);
  const defaults = await withServices(input, ({ models }) => (change ? models.setDefault(type, clear ? null : (modelId ?? null)) : models.defaults()));
  const shown = type === undefined ? MODEL_TYPES : [type];
  if (wantsJson(input)) printJson(input, type === undefined || change ? defaults : { [type]: defaults[type] ?? null });
  else {
    if (change) input.stdout.write(clear ? `Cleared the default ${type} model.\n` : `The default ${type} model is now '${modelId ?? ""}'.\n`);
    else printTable(input, ["TYPE", "DEFAULT MODEL"], shown.map((each) => [each, defaults[each] ?? "(none)"]));
  }
  return 0;
}
