/**
 * @module cli/commands/keys
 * `switchyard keys create|list|show|revoke`: gateway keys (`sk-sy-…`) for `/v1` clients, through
 * the same service and schema as the admin API. A new key is printed once; lists show its prefix.
 */
import { createGatewayKeySchema } from "../../auth/gateway-key-schema.js";
import { GatewayKeyService, type GatewayKeyView } from "../../auth/gateway-key-service.js";
import { CliError, EXIT_USAGE } from "../cli-error.js";
import { exclusiveFlags, listFlag, parseWith, printFields, printJson, printTable, stringFlag, wantsJson } from "../command-helpers.js";
import { withStore } from "../open-services.js";
import type { CommandInput } from "../run-cli.js";

const DURATION_UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--expires-in 30d` (m, h or d) as an ISO time from now. */
export function expiryFromDuration(text: string, now = Date.now()): string {
  const match = /^(\d+)\s*([mhd])$/i.exec(text.trim());
  const amount = match?.[1];
  const unit = match?.[2];
  if (amount === undefined || unit === undefined || Number(amount) <= 0) {
    throw new CliError(`--expires-in must be a number with m, h or d (e.g. 90m, 12h, 30d), got '${text}'.`, EXIT_USAGE);
  }
  return new Date(now + Number(amount) * (DURATION_UNITS[unit.toLowerCase()] ?? 0)).toISOString();
}

function integerFlag(input: CommandInput, name: string): number | undefined {
  const text = stringFlag(input, name);
  if (text === undefined) return undefined;
  // Not checked here: the schema rejects NaN and fractions with a message naming the flag.
  return Number(text);
}

const FLAG_FOR: Readonly<Record<string, string>> = { name: "--name", models: "--model", rpm: "--rpm", tpm: "--tpm", expires_at: "--expires-at" };

function withService<T>(input: CommandInput, work: (service: GatewayKeyService) => Promise<T>): Promise<T> {
  return withStore(input, async (store) => {
    if (store === undefined) throw new CliError("the store was not opened");
    return work(new GatewayKeyService({ store }));
  });
}

function limitText(value: number | null): string {
  return value === null ? "-" : String(value);
}

/** `keys create --name NAME [--model ID]… [--rpm N] [--tpm N] [--expires-at TIME | --expires-in 30d]`. */
export async function keysCreateCommand(input: CommandInput): Promise<number> {
  exclusiveFlags(input, ["expires-at", "expires-in"]);
  const expiresIn = stringFlag(input, "expires-in");
  const models = listFlag(input, "model");
  const body = {
    name: stringFlag(input, "name") ?? "",
    ...(models.length === 0 ? {} : { models }),
    ...(stringFlag(input, "rpm") === undefined ? {} : { rpm: integerFlag(input, "rpm") }),
    ...(stringFlag(input, "tpm") === undefined ? {} : { tpm: integerFlag(input, "tpm") }),
    ...(expiresIn !== undefined ? { expires_at: expiryFromDuration(expiresIn) } : stringFlag(input, "expires-at") === undefined ? {} : { expires_at: stringFlag(input, "expires-at") }),
  };
  if (body.name === "") throw new CliError("--name is required.", EXIT_USAGE);
  const parsed = parseWith(createGatewayKeySchema, body, (path) => FLAG_FOR[String(path[0])] ?? String(path[0]));
  const created = await withService(input, (service) => service.create(parsed));
  if (wantsJson(input)) {
    printJson(input, created);
    return 0;
  }
  input.stdout.write(
    [
      `Created gateway key '${created.name}' (id ${created.id}). The key — shown only this once:`,
      "",
      `  ${created.key}`,
      "",
      "Clients send it as 'Authorization: Bearer <key>' (the OpenAI SDKs' api_key). Only a keyed hash of it is stored.",
      "",
    ].join("\n"),
  );
  return 0;
}

/** `keys list`. */
export async function keysListCommand(input: CommandInput): Promise<number> {
  const keys = await withService(input, (service) => service.list());
  if (wantsJson(input)) {
    printJson(input, { data: keys });
    return 0;
  }
  if (keys.length === 0) {
    input.stdout.write("No gateway keys. Create one with 'switchyard keys create --name NAME'.\n");
    return 0;
  }
  const rows = keys.map((key) => [key.id, key.name, key.keyPrefix, key.status, key.models === null ? "all" : key.models.join(","), limitText(key.rpm), limitText(key.tpm), key.expiresAt ?? "never"]);
  printTable(input, ["ID", "NAME", "KEY", "STATUS", "MODELS", "RPM", "TPM", "EXPIRES"], rows);
  return 0;
}

function printKey(input: CommandInput, key: GatewayKeyView): void {
  printFields(input, [
    ["id", key.id],
    ["name", key.name],
    ["key", key.keyPrefix],
    ["status", key.status],
    ["models", key.models === null ? "all" : key.models.join(", ")],
    ["rpm", limitText(key.rpm)],
    ["tpm", limitText(key.tpm)],
    ["expires", key.expiresAt ?? "never"],
    ["revoked", key.revokedAt ?? "no"],
    ["created", key.createdAt],
  ]);
}

/** `keys show ID`. */
export async function keysShowCommand(input: CommandInput): Promise<number> {
  const key = await withService(input, (service) => service.get(input.positionals[0] ?? ""));
  if (wantsJson(input)) printJson(input, key);
  else printKey(input, key);
  return 0;
}

/** `keys revoke ID`. */
export async function keysRevokeCommand(input: CommandInput): Promise<number> {
  const key = await withService(input, (service) => service.revoke(input.positionals[0] ?? ""));
  if (wantsJson(input)) printJson(input, key);
  else input.stdout.write(`Revoked gateway key '${key.name}' (${key.keyPrefix}). A running server refuses it within seconds.\n`);
  return 0;
}
