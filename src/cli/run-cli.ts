/**
 * @module cli/run-cli
 * The `switchyard` command table. Each command declares its options once (used for parsing and
 * help); handlers are imported lazily so `switchyard --help` loads nothing else.
 */
import { parseArgs } from "node:util";
import { CliError, EXIT_USAGE } from "./cli-error.js";
import { packageVersion } from "./version.js";

/** A flag: its type for the parser and its description for help. */
interface OptionSpec {
  readonly type: "string" | "boolean";
  readonly description: string;
}

type Options = Readonly<Record<string, OptionSpec>>;

/** Parsed flags and positionals handed to a command. */
export interface CommandInput {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Human output. */
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
}

/** One CLI command. */
interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: Options;
  readonly positionals: { readonly min: number; readonly max: number };
  readonly run: (input: CommandInput) => Promise<number>;
}

const jsonOption: Options = { json: { type: "boolean", description: "Print machine-readable JSON." } };

const COMMANDS: readonly CommandSpec[] = [
  {
    name: "serve",
    summary: "Start the gateway.",
    usage: "switchyard serve [--host 127.0.0.1] [--port 4000] [--config FILE] [--data-dir DIR] [--shutdown-timeout MS]",
    options: {
      host: { type: "string", description: "Address to bind (default 127.0.0.1, or SWITCHYARD_HOST)." },
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
    usage: "switchyard status [--config FILE] [--data-dir DIR] [--json]",
    options: {
      config: { type: "string", description: "Config file (default as for serve)." },
      "data-dir": { type: "string", description: "Data directory (default as for serve)." },
      ...jsonOption,
    },
    positionals: { min: 0, max: 0 },
    run: async (input) => (await import("./commands/status.js")).statusCommand(input),
  },
];

function describeOptions(options: Options): string {
  return Object.entries(options)
    .map(([name, option]) => `  --${name}${option.type === "string" ? " VALUE" : ""}\n      ${option.description}`)
    .join("\n");
}

function helpText(): string {
  const lines = COMMANDS.map((command) => `  ${command.name.padEnd(18)} ${command.summary}`);
  return [
    `switchyard ${packageVersion()} — one OpenAI-compatible endpoint for every model server`,
    "",
    "Usage: switchyard <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Run 'switchyard <command> --help' for a command's options. Docs: docs/cli.md",
  ].join("\n");
}

function findCommand(argv: readonly string[]): { command: CommandSpec; rest: string[] } | undefined {
  for (const command of COMMANDS) {
    const words = command.name.split(" ");
    if (words.every((word, index) => argv[index] === word)) return { command, rest: argv.slice(words.length) };
  }
  return undefined;
}

/** Runs the CLI; resolves with the process exit code. */
export async function runCli(argv: readonly string[], io: Pick<CommandInput, "env" | "stdout" | "stderr"> = { env: process.env, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const first = argv[0];
  if (first === undefined || first === "--help" || first === "-h" || first === "help") {
    io.stdout.write(`${helpText()}\n`);
    return first === undefined ? EXIT_USAGE : 0;
  }
  if (first === "--version" || first === "-v") {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const found = findCommand(argv);
  try {
    if (found === undefined) throw new CliError(`Unknown command '${argv.join(" ")}'. Run 'switchyard --help' for the list.`, EXIT_USAGE);
    const { command, rest } = found;
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout.write(`${command.summary}\n\nUsage: ${command.usage}\n${Object.keys(command.options).length > 0 ? `\nOptions:\n${describeOptions(command.options)}\n` : ""}`);
      return 0;
    }
    let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
    try {
      const parserOptions = Object.fromEntries(Object.entries(command.options).map(([name, option]) => [name, { type: option.type }]));
      parsed = parseArgs({ args: rest, options: parserOptions, allowPositionals: true, strict: true }) as typeof parsed;
    } catch (error) {
      throw new CliError(`${(error as Error).message}\nUsage: ${command.usage}`, EXIT_USAGE);
    }
    if (parsed.positionals.length < command.positionals.min || parsed.positionals.length > command.positionals.max) {
      throw new CliError(`Wrong number of arguments.\nUsage: ${command.usage}`, EXIT_USAGE);
    }
    return await command.run({ ...io, values: parsed.values, positionals: parsed.positionals });
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`switchyard: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof Error && error.name === "ConfigError") {
      io.stderr.write(`switchyard: ${error.message}\n`);
      return 1;
    }
    io.stderr.write(`switchyard: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
