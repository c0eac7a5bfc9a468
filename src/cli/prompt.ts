/**
 * @module cli/prompt
 * Reading secrets and answers from the user: a no-echo prompt for keys on a terminal, a yes/no
 * confirmation, and reading a piped key from standard input. Prompts go to stderr so that
 * `--json` output on stdout stays clean.
 */
import { createInterface } from "node:readline";
import { CliError, EXIT_USAGE } from "./cli-error.js";
import type { CommandStdin } from "./run-cli.js";

/** A piped key longer than this is a mistake (a file piped by accident), not a key. */
const MAX_STDIN_SECRET_BYTES = 64 * 1024;

const CTRL_C = "\u0003";
const CTRL_D = "\u0004";
const ESCAPE = "\u001b";
const BACKSPACE = "\u0008";
const DELETE = "\u007f";

/** True when a person is at the keyboard (standard input is a terminal). */
export function isInteractive(stdin: CommandStdin): boolean {
  return stdin.isTTY === true;
}

/**
 * Asks for a secret without echoing it: the terminal is put in raw mode and each keystroke is read
 * by hand (Enter ends, Backspace deletes, Ctrl-C cancels). Nothing typed is ever written back.
 */
export async function promptSecret(question: string, stdin: CommandStdin, output: NodeJS.WritableStream): Promise<string> {
  const setRawMode = stdin.setRawMode?.bind(stdin);
  if (setRawMode === undefined || !isInteractive(stdin)) {
    throw new CliError("Cannot prompt for a secret: standard input is not a terminal. Pipe it in with the matching --…-stdin flag.", EXIT_USAGE);
  }
  output.write(question);
  setRawMode(true);
  stdin.resume();
  return new Promise<string>((resolve, reject) => {
    let answer: string[] = [];
    const finish = (error?: CliError): void => {
      stdin.removeListener("data", onData);
      setRawMode(false);
      stdin.pause();
      output.write("\n");
      if (error === undefined) resolve(answer.join(""));
      else reject(error);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const character of chunk.toString()) {
        if (character === "\r" || character === "\n" || character === CTRL_D) return finish();
        if (character === CTRL_C) return finish(new CliError("Cancelled."));
        // Arrow and function keys arrive as one escape sequence per chunk; none belongs in a key.
        if (character === ESCAPE) return;
        if (character === BACKSPACE || character === DELETE) answer = answer.slice(0, -1);
        else if (character >= " ") answer.push(character);
      }
    };
    stdin.on("data", onData);
  });
}

/** Asks a yes/no question on the terminal; only `y` or `yes` (any case) means yes. */
export async function confirm(question: string, stdin: CommandStdin, output: NodeJS.WritableStream): Promise<boolean> {
  const lines = createInterface({ input: stdin, output, terminal: true });
  try {
    const answer = await new Promise<string>((resolve) => lines.question(`${question} [y/N] `, resolve));
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    lines.close();
  }
}

/**
 * Reads a secret piped to standard input (`printf %s "$KEY" | switchyard … --api-key-stdin`),
 * trimming the newline `echo` adds. On a terminal it prompts without echo instead.
 */
export async function readSecretFromStdin(what: string, stdin: CommandStdin, output: NodeJS.WritableStream): Promise<string> {
  if (isInteractive(stdin)) return promptSecret(`${what} (input hidden): `, stdin, output);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > MAX_STDIN_SECRET_BYTES) throw new CliError(`Standard input is longer than ${MAX_STDIN_SECRET_BYTES} bytes; expected only the ${what.toLowerCase()}.`, EXIT_USAGE);
    chunks.push(bytes);
  }
  const secret = Buffer.concat(chunks).toString("utf8").trim();
  if (secret === "") throw new CliError(`Nothing was read from standard input; expected the ${what.toLowerCase()}.`, EXIT_USAGE);
  return secret;
}
