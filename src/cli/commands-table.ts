/**
 * @module cli/commands-table
 * The `switchyard` command table. Each command declares its options once (used for parsing and
 * help); handlers are imported lazily so `switchyard --help` loads nothing else.
 */
import type { CommandInput } from "./run-cli.js";

/** A flag: its type for the parser and its description for help. */
interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly description: string;
  /** The flag may be given several times; its value is then an array of strings. */
  readonly multiple?: boolean;
}

export type Options = Readonly<Record<string, OptionSpec>>;

/** One CLI command. */
export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: Options;
  readonly positionals: { readonly min: number; readonly max: number };
  readonly run: (input: CommandInput) => Promise<number>;
}

const jsonOption: Options = { json: { type: "boolean", description: "Print machine-readable JSON." } };

/** Where the store and config are; every command that reads or writes the store takes these. */
const storeOptions: Options = {
  config: { type: "string", description: "Config file (default as for serve)." },
  "data-dir": { type: "string", description: "Data directory holding switchyard.db and the generated key (default SWITCHYARD_DATA_DIR or ~/.switchyard)." },
  ...jsonOption,
};

/** The data directory and `--json`, for commands that use only the store (keys, admin key). */
const dataDirOptions: Options = {
  "data-dir": { type: "string", description: "Data directory holding switchyard.db (default SWITCHYARD_DATA_DIR or ~/.switchyard)." },
  ...jsonOption,
};

/** Flags shared by `credentials add` and `credentials update`. */
const credentialOptions: Options = {
  "base-url": { type: "string", description: "Base URL, e.g. http://127.0.0.1:8000/v1 (default: the config file, environment or the kind's default)." },
  "api-key": { type: "string", description: "API key. It stays in your shell history; prefer --api-key-stdin or the prompt." },
  "api-key-stdin": { type: "boolean", description: "Read the API key from standard input (for scripts)." },
  "service-url": { type: "string", multiple: true, description: "Per-service base URL, SERVICE=URL with SERVICE chat, embedding, tts or stt." },
  header: { type: "string", multiple: true, description: "Extra request header, Name=Value (values are stored encrypted)." },
  disabled: { type: "boolean", description: "Store the credential switched off: it routes no requests." },
  priority: { type: "string", description: "Routing priority, an integer 0-1000000; lower runs first (default 0)." },
  ...storeOptions,
};

const modelTypes = "chat, embedding, tts or stt";
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: "serve",
    summary: "Start the gateway.",
    usage: "switchyard serve [--host 127.0.0.1] [--port 4000] [--config FILE] [--data-dir DIR] [--shutdown-timeout MS]",
    options: {
      host: { type: "string", description: "Address to bind (default 127.0.0.1, or SWITCHYARD_HOST). Any non-loopback address needs an admin key (SWITCHYARD_ADMIN_KEY or 'switchyard admin-key create')." },
      port: { type: "string", description: "Port (default 4000, or SWITCHYARD_PORT; 0 picks a free port)." },
      config: { type: "string", description: "Config file, JSON or YAML (default SWITCHYARD_CONFIG or DATA_DIR/config.yaml)." },
      "data-dir": { type: "string", description: "Data directory (default SWITCHYARD_DATA_DIR or ~/.switchyard)." },
      "shutdown-timeout": { type: "string", description: "Milliseconds in-flight requests get to finish on SIGINT/SIGTERM (default 10000)." },
    },
    positionals: { min: 0, max: 0 },
    run: async (input) => (await import("./commands/serve.js")).serveCommand(input),
  },
  {
    name: "config validate",
    summary: "Check a config file against the schema and resolve its providers.",
    usage: "switchyard config validate FILE [--json]",
    options: { ...jsonOption },
    positionals: { min: 1, max: 1 },
    run: async (input) => (await import("./commands/config-validate.js")).configValidateCommand(input),
  },
  {
    name: "config schema",
    summary: "Print the config file's JSON Schema.",
    usage: "switchyard config schema",
    options: {},
    positionals: { min: 0, max: 0 },
    run: async (input) => (await import("./commands/config-schema.js")).configSchemaCommand(input),
  },
  {
    name: "status",
    summary: "Show each provider's effective settings and where each came from (keys masked).",
    usage: "switchyard status [--config FILE] [--data-dir DIR] [--url URL] [--json]",
    options: {
      url: { type: "string", description: "The running gateway whose deployment health to show (default SWITCHYARD_URL, else the config's server host and port)." },
      config: { type: "string", description: "Config file (default as for serve)." },
      "data-dir": { type: "string", description: "Data directory (default as for serve)." },
      ...jsonOption,
    },
    positionals: { min: 0, max: 0 },
    run: async (input) => (await import("./commands/status.js")).statusCommand(input),
  },
  {
    name: "credentials add",
    summary: "Store a provider credential (the key is encrypted; prompted for without echo on a terminal).",
    usage: "switchyard credentials add --name NAME --kind KIND [--base-url URL] [--api-key KEY | --api-key-stdin] [--service-url SERVICE=URL]… [--header Name=Value]… [--disabled] [--priority N] [--json]",
    options: {
      name: { type: "string", description: "Credential name; it becomes the model-id prefix (letters, digits, '.', '_', '-')." },
      kind: { type: "string", description: "Provider kind, e.g. openai, groq, ollama, vllm, openai-compat (a wrong one lists every kind)." },
      ...credentialOptions,
    },
    positionals: { min: 0, max: 0 },
    run: async (input) => (await import("./commands/credentials.js")).credentialsAddCommand(input),
  },
  {
    name: "credentials list",
    summary: "List stored credentials (keys masked).",
    usage: "switchyard credentials list [--json]",
    options: storeOptions,
    positionals: { min: 0, max: 0 },
    run: async (input) => (await import("./commands/credentials.js")).credentialsListCommand(input),
  },
  {
    name: "credentials show",
    summary: "Show one stored credential (key masked).",
    usage: "switchyard credentials show NAME|ID [--json]",
    options: storeOptions,
    positionals: { min: 1, max: 1 },
    run: async (input) => (await import("./commands/credentials.js")).credentialsShowCommand(input),
  },
  {
    name: "credentials update",
    summary: "Change a stored credential; a new base URL needs the key entered again.",
    usage: "switchyard credentials update NAME|ID [--name NEW] [--base-url URL | --clear-base-url] [--api-key KEY | --api-key-stdin | --clear-api-key] [--service-url SERVICE=URL]… [--header Name=Value… | --clear-headers] [--enabled | --disabled] [--priority N] [--json]",
    options: {
      name: { type: "string", description: "Rename the credential (its registered models move to the new prefix)." },
      "clear-base-url": { type: "boolean", description: "Forget the stored base URL (config, environment or default apply again)." },
      "clear-api-key": { type: "boolean", description: "Remove the stored API key." },
      "clear-headers": { type: "boolean", description: "Remove every stored extra header." },
      enabled: { type: "boolean", description: "Switch the credential on." },
      ...credentialOptions,
    },
    positionals: { min: 1, max: 1 },
    run: async (input) => (await import("./commands/credentials.js")).credentialsUpdateCommand(input),
  },
  {
    name: "credentials remove",
    summary: "Delete a stored credential and its registered models.",
    usage: "switchyard credentials remove NAME|ID [--yes] [--json]",
    options: { yes: { type: "boolean", description: "Do not ask for confirmation (required when not on a terminal)." }, ...storeOptions },
    positionals: { min: 1, max: 1 },
    run: async (input) => (await import("./commands/credentials.js")).credentialsRemoveCommand(input),
  },
  {
    name: "credentials test",
    summary: "Test a credential's connection and key; exit 1 with a diagnosis when it fails.",
    usage: "switchyard credentials test NAME|ID [--json]",
    options: storeOptions,
    positionals: { min: 1, max: 1 },
    run: async (input) => (await import("./commands/credential-probes.js")).credentialsTestCommand(input),
  },
  {
    name: "credentials discover",
    summary: "List the models the provider offers, marking those already registered.",
    usage: "switchyard credentials discover NAME|ID [--type chat|embedding|tts|stt] [--json]",
    options: { type: { type: "string", description: `Only models of this type: ${modelTypes}.` }, ...storeOptions },
    positionals: { min: 1, max: 1 },
    run: async (input) => (await import("./commands/credential-probes.js")).credentialsDiscoverCommand(input),
  },
  {
    name: "credentials env-status",
    summary: "Show provider settings found in environment variables (keys masked).",
    usage: "switchyard credentials env-status [--json]",
    options: storeOptions,
    positionals: { min: 0, max: 0 },
    run: async (input) => (await import("./commands/credential-probes.js")).credentialsEnvStatusCommand(input),
  },
  {
    name: "credentials migrate-env",
    summary: "Import provider settings from environment variables into the encrypted store.",
    usage: "switchyard credentials migrate-env [--json]",
    options: storeOptions,
    positionals: { min: 0, max: 0 },
    run: async (input) => (await import("./commands/credential-probes.js")).credentialsMigrateEnvCommand(input),
  },
  {
    name: "route explain",
    summary: "Show the deployments a request for MODEL would try, in order, and why (calls no upstream).",
    usage: "switchyard route explain MODEL [--endpoint chat] [--url URL] [--json]",
    options: {
      endpoint: { type: "string", description: "Endpoint the request is for: chat, completions, embeddings, speech or transcriptions (default chat)." },
      url: { type: "string", description: "The running gateway (default SWITCHYARD_URL, else the config's server host and port)." },
      ...storeOptions,
    },
    positionals: { min: 1, max: 1 },
    run: async (input) => (await import("./commands/route.js")).routeExplainCommand(input),
  },
  {
    name: "models list",
    summary: "List registered models and the default per type.",
    usage: "switchyard models list [--json]",
    options: storeOptions,
    positionals: { min: 0, max: 0 },
    run: async (input) => (await import("./commands/models.js")).modelsListCommand(input),
  },
  {
    name: "models register",
    summary: "Register models of a credential: all discovered, a selection, or a custom name.",
    usage: "switchyard models register CREDENTIAL (--all | MODEL… | --custom NAME [--upstream-model X] [--type TYPE] [--display-name TEXT]) [--json]",
    options: {
      all: { type: "boolean", description: "Register every model the provider lists." },
      custom: { type: "string", description: "Register this name even if the provider does not list it." },
      "upstream-model": { type: "string", description: "With --custom: the model name sent upstream (default: the custom name)." },
      type: { type: "string", description: `With --custom: ${modelTypes} (default chat).` },
      "display-name": { type: "string", description: "With --custom: a human-readable name." },
      ...storeOptions,
    },
    positionals: { min: 1, max: Number.POSITIVE_INFINITY },
    run: async (input) => (await import("./commands/models.js")).modelsRegisterCommand(input),
  },
  {
    name: "models remove",
    summary: "Unregister a model.",
    usage: "switchyard models remove MODEL_ID [--json]",
    options: storeOptions,
    positionals: { min: 1, max: 1 },
    run: async (input) => (await import("./commands/models.js")).modelsRemoveCommand(input),
  },
  {
    name: "models test",
    summary: "Send one tiny real request to a registered model; exit 1 when it fails.",
    usage: "switchyard models test MODEL_ID [--json]",
    options: storeOptions,
    positionals: { min: 1, max: 1 },
    run: async (input) => (await import("./commands/models.js")).modelsTestCommand(input),
  },
  {
    name: "models default",
    summary: "Show the default model per type, or set or clear one.",
    usage: "switchyard models default [TYPE [MODEL_ID | --clear]] [--json]",
    options: { clear: { type: "boolean", description: "Clear the default for TYPE." }, ...storeOptions },
    positionals: { min: 0, max: 2 },
    run: async (input) => (await import("./commands/models.js")).modelsDefaultCommand(input),
  },
  {
    name: "secrets rotate-key",
    summary: "Re-encrypt every stored secret under a new encryption key.",
    usage: "switchyard secrets rotate-key [--new-key KEY | --new-key-stdin] [--data-dir DIR] [--json]",
    options: {
      "new-key": { type: "string", description: "The new key (64 hex characters, 32 bytes in base64, or a passphrase); required when the current key comes from SWITCHYARD_ENCRYPTION_KEY. Prefer --new-key-stdin." },
      "new-key-stdin": { type: "boolean", description: "Read the new key from standard input." },
      "data-dir": { type: "string", description: "Data directory (default as for serve)." },
      ...jsonOption,
    },
    positionals: { min: 0, max: 0 },
    run: async (input) => (await import("./commands/secrets.js")).secretsRotateKeyCommand(input),
  },
  {
    name: "admin-key create",
    summary: "Generate the admin key for the admin API and console (needed to listen beyond loopback); printed once.",
    usage: "switchyard admin-key create [--replace] [--data-dir DIR] [--json]",
    options: { replace: { type: "boolean", description: "Replace an existing admin key (the old one stops working)." }, ...dataDirOptions },
    positionals: { min: 0, max: 0 },
    run: async (input) => (await import("./commands/admin-key.js")).adminKeyCreateCommand(input),
  },
  {
    name: "admin-key remove",
    summary: "Remove the stored admin key.",
    usage: "switchyard admin-key remove [--data-dir DIR] [--json]",
    options: dataDirOptions,
    positionals: { min: 0, max: 0 },
    run: async (input) => (await import("./commands/admin-key.js")).adminKeyRemoveCommand(input),
  },
  {
    name: "keys create",
    summary: "Create a gateway key (sk-sy-…) for /v1 clients; printed once.",
    usage: "switchyard keys create --name NAME [--model ID]… [--rpm N] [--tpm N] [--expires-at TIME | --expires-in 30d] [--json]",
    options: {
      name: { type: "string", description: "A name for the key (who or what uses it)." },
      model: { type: "string", multiple: true, description: "A model id the key may use; '<prefix>/*' allows a whole provider (default: every model)." },
      rpm: { type: "string", description: "Requests per minute (default: unlimited)." },
      tpm: { type: "string", description: "Tokens per minute, estimated from each request (default: unlimited)." },
      "expires-at": { type: "string", description: "ISO 8601 time with a time zone after which the key is refused, e.g. 2030-01-31T00:00:00Z." },
      "expires-in": { type: "string", description: "Expire after this long: a number with m, h or d, e.g. 30d." },
      ...dataDirOptions,
    },
    positionals: { min: 0, max: 0 },
    run: async (input) => (await import("./commands/keys.js")).keysCreateCommand(input),
  },
  {
    name: "keys list",
    summary: "List gateway keys (prefixes only, never the keys).",
    usage: "switchyard keys list [--json]",
    options: dataDirOptions,
    positionals: { min: 0, max: 0 },
    run: async (input) => (await import("./commands/keys.js")).keysListCommand(input),
  },
  {
    name: "keys show",
    summary: "Show one gateway key (prefix only).",
    usage: "switchyard keys show ID [--json]",
    options: dataDirOptions,
    positionals: { min: 1, max: 1 },
    run: async (input) => (await import("./commands/keys.js")).keysShowCommand(input),
  },
  {
    name: "keys revoke",
    summary: "Revoke a gateway key for good; clients using it get 401.",
    usage: "switchyard keys revoke ID [--json]",
    options: dataDirOptions,
    positionals: { min: 1, max: 1 },
    run: async (input) => (await import("./commands/keys.js")).keysRevokeCommand(input),
  },
];
