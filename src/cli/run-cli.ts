/**
 * @module cli/run-cli
 * Runs the `switchyard` CLI: finds the command in the table (cli/commands-table.ts), parses its
 * flags, prints help, and turns failures into one line and an exit code.
 */
import { parseArgs } from "node:util";
import { CliError, EXIT_USAGE } from "./cli-error.js";
import { COMMANDS, type CommandSpec, type Options } from "./commands-table.js";
import { packageVersion } from "./version.js";

/** A parsed flag: a string, a boolean, or (for `multiple` flags) every string given. */
export type OptionValue = string | boolean | string[] | undefined;

/** Standard input as the commands use it: piped secrets, and prompts when it is a terminal. */
export type CommandStdin = NodeJS.ReadableStream & { readonly isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };

/** Parsed flags and positionals handed to a command. */
export interface CommandInput {
  readonly values: Readonly<Record<string, OptionValue>>;
  readonly positionals: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Human output. */
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: CommandStdin;
}

/** The process streams and environment {@link runCli} works with; `stdin` defaults to `process.stdin`. */
export type CliIo = Pick<CommandInput, "env" | "stdout" | "stderr"> & { readonly stdin?: CommandStdin };

/** Errors whose message is already a complete, secret-free sentence for the user. */
const USER_FACING_ERRORS = new Set(["ConfigError", "GatewayError", "DiscoveryError", "StoreUnavailableError", "StoreConflictError", "StoreDuplicateError", "StoreNotFoundError"]);

function describeOptions(options: Options): string {
  return Object.entries(options)
    .map(([name, option]) => `  --${name}${option.type === "string" ? " VALUE" : ""}${option.multiple === true ? " (repeatable)" : ""}\n      ${option.description}`)
    .join("\n");
}

function helpText(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const lines = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
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
export async function runCli(argv: readonly string[], io: CliIo = { env: process.env, stdout: process.stdout, stderr: process.stderr }): Promise<number> {
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
    let parsed: { values: Record<string, OptionValue>; positionals: string[] };
    try {
      const parserOptions = Object.fromEntries(Object.entries(command.options).map(([name, option]) => [name, { type: option.type, multiple: option.multiple === true }]));
      parsed = parseArgs({ args: rest, options: parserOptions, allowPositionals: true, strict: true }) as typeof parsed;
    } catch (error) {
      throw new CliError(`${(error as Error).message}\nUsage: ${command.usage}`, EXIT_USAGE);
    }
    if (parsed.positionals.length < command.positionals.min || parsed.positionals.length > command.positionals.max) {
      throw new CliError(`Wrong number of arguments.\nUsage: ${command.usage}`, EXIT_USAGE);
    }
    return await command.run({ env: io.env, stdout: io.stdout, stderr: io.stderr, stdin: io.stdin ?? process.stdin, values: parsed.values, positionals: parsed.positionals });
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`switchyard: ${error.message}\n`);
      return error.exitCode;
    }
    // These carry messages written for users (the store's and services' own words); compared by
    // name so that `--help` need not load the modules that define them.
    if (error instanceof Error && USER_FACING_ERRORS.has(error.name)) {
      io.stderr.write(`switchyard: ${error.message}\n`);
      return 1;
    }
    io.stderr.write(`switchyard: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
