/**
 * @module cli/credential-flags
 * Turns `credentials add|update` flags into the admin API's request bodies and validates them with
 * the same strict schemas, so the CLI and the API accept exactly the same credentials.
 */
import { createCredentialSchema, updateCredentialSchema, type CreateCredentialInput, type UpdateCredentialInput } from "../credentials/credential-schemas.js";
import { CliError, EXIT_USAGE } from "./cli-error.js";
import { booleanFlag, exclusiveFlags, listFlag, parseWith, splitPair, stringFlag } from "./command-helpers.js";
import type { CommandInput } from "./run-cli.js";

const SERVICES = ["chat", "embedding", "tts", "stt"] as const;

/** Names the flag a schema path came from: `service_urls.chat` → `--service-url chat`. */
function flagFor(path: readonly PropertyKey[]): string {
  const [field, key] = path.map(String);
  switch (field) {
    case "service_urls":
      return key === undefined ? "--service-url" : `--service-url ${key}`;
    case "headers":
      return key === undefined ? "--header" : `--header ${key}`;
    default:
      return `--${(field ?? "").replace(/_/g, "-")}`;
  }
}

/** `--priority` as a number; the schema then checks its range. */
function priority(input: CommandInput): { priority: number } | Record<string, never> {
  const value = stringFlag(input, "priority");
  if (value === undefined) return {};
  if (!/^-?\d+$/.test(value.trim())) throw new CliError(`--priority must be a whole number from 0 to 1000000, got '${value}'.`, EXIT_USAGE);
  return { priority: Number(value) };
}

/** `--service-url SERVICE=URL`, repeatable; with `allowClear`, `SERVICE=` clears that service's URL. */
function serviceUrls(input: CommandInput, allowClear: boolean): Record<string, string | null> {
  const urls: Record<string, string | null> = {};
  for (const pair of listFlag(input, "service-url")) {
    const [service, url] = splitPair("service-url", pair);
    if (!(SERVICES as readonly string[]).includes(service)) {
      throw new CliError(`--service-url: unknown service '${service}'; use chat, embedding, tts or stt.`, EXIT_USAGE);
    }
    if (url.trim() === "" && !allowClear) throw new CliError(`--service-url ${service}: give a URL.`, EXIT_USAGE);
    urls[service] = url.trim() === "" ? null : url.trim();
  }
  return urls;
}

/** `--header Name=Value`, repeatable. */
function headers(input: CommandInput): Record<string, string> {
  return Object.fromEntries(listFlag(input, "header").map((pair) => splitPair("header", pair)));
}

function nonEmpty<K extends string, V>(key: K, value: Record<string, V>): Partial<Record<K, Record<string, V>>> {
  return Object.keys(value).length === 0 ? {} : ({ [key]: value } as Partial<Record<K, Record<string, V>>>);
}

/** Validates the flags of `credentials add`; `apiKey` is passed separately because it may come from a prompt. */
export function createInputFromFlags(input: CommandInput, apiKey: string | undefined): CreateCredentialInput {
  const name = stringFlag(input, "name");
  const kind = stringFlag(input, "kind");
  if (name === undefined || kind === undefined) throw new CliError(`${name === undefined ? "--name" : "--kind"} is required.`, EXIT_USAGE);
  const baseUrl = stringFlag(input, "base-url");
  const body = {
    name,
    kind,
    ...(baseUrl === undefined ? {} : { base_url: baseUrl }),
    ...(apiKey === undefined ? {} : { api_key: apiKey }),
    ...nonEmpty("service_urls", serviceUrls(input, false)),
    ...nonEmpty("headers", headers(input)),
    ...(booleanFlag(input, "disabled") ? { enabled: false } : {}),
    ...priority(input),
  };
  return parseWith(createCredentialSchema, body, flagFor);
}

/** Validates the flags of `credentials update`; `apiKey` undefined leaves the key as it is. */
export function updateInputFromFlags(input: CommandInput, apiKey: string | undefined): UpdateCredentialInput {
  exclusiveFlags(input, ["base-url", "clear-base-url"]);
  exclusiveFlags(input, ["api-key", "api-key-stdin", "clear-api-key"]);
  exclusiveFlags(input, ["header", "clear-headers"]);
  exclusiveFlags(input, ["enabled", "disabled"]);
  const name = stringFlag(input, "name");
  const baseUrl = stringFlag(input, "base-url");
  const body = {
    ...(name === undefined ? {} : { name }),
    ...(booleanFlag(input, "clear-base-url") ? { base_url: null } : baseUrl === undefined ? {} : { base_url: baseUrl }),
    ...(apiKey !== undefined ? { api_key: apiKey } : booleanFlag(input, "clear-api-key") ? { api_key: null } : {}),
    ...nonEmpty("service_urls", serviceUrls(input, true)),
    ...(booleanFlag(input, "clear-headers") ? { headers: null } : nonEmpty("headers", headers(input))),
    ...(booleanFlag(input, "enabled") ? { enabled: true } : booleanFlag(input, "disabled") ? { enabled: false } : {}),
    ...priority(input),
  };
  return parseWith(updateCredentialSchema, body, flagFor);
}

/** True when the update flags would change the main base URL (so the stored key must be re-entered). */
export function movesBaseUrl(update: UpdateCredentialInput, current: string | null): boolean {
  return update.base_url !== undefined && (update.base_url ?? null) !== current;
}
