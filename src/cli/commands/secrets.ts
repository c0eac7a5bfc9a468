/**
 * @module cli/commands/secrets
 * `switchyard secrets rotate-key`: re-encrypts every stored secret under a new master key. The
 * work, and every safety rule around it, is in secrets/rotate-key; this is its terminal front.
 */
import { ENCRYPTION_KEY_ENV } from "../../secrets/encryption-key.js";
import { rotateKeyCommand } from "../../secrets/rotate-key.js";
import { CliError, EXIT_USAGE } from "../cli-error.js";
import { booleanFlag, exclusiveFlags, printJson, stringFlag, wantsJson } from "../command-helpers.js";
import { withStore } from "../open-services.js";
import { isInteractive, promptSecret, readSecretFromStdin } from "../prompt.js";
import type { CommandInput } from "../run-cli.js";

/** The new key from a flag, stdin, or (when the current key is an environment variable) a prompt typed twice. */
async function newKeyFrom(input: CommandInput): Promise<string | undefined> {
  exclusiveFlags(input, ["new-key", "new-key-stdin"]);
  const flag = stringFlag(input, "new-key");
  if (flag !== undefined) {
    if (flag.trim() === "") throw new CliError("--new-key is empty.", EXIT_USAGE);
    return flag;
  }
  if (booleanFlag(input, "new-key-stdin")) return readSecretFromStdin("New encryption key", input.stdin, input.stderr);
  // Without a new key only a generated key file can be rotated; from the environment, ask for one.
  if (!input.env[ENCRYPTION_KEY_ENV]?.trim() || !isInteractive(input.stdin)) return undefined;
  const first = (await promptSecret("New encryption key (64 hex characters, 32 bytes in base64, or a passphrase; input hidden): ", input.stdin, input.stderr)).trim();
  if (first === "") throw new CliError("No key entered; nothing was changed.");
  // A typo here would leave the secrets sealed with a key nobody knows.
  const again = (await promptSecret("The same key again: ", input.stdin, input.stderr)).trim();
  if (again !== first) throw new CliError("The two keys differ; nothing was changed.");
  return first;
}

/** `secrets rotate-key [--new-key KEY | --new-key-stdin]`. */
export async function secretsRotateKeyCommand(input: CommandInput): Promise<number> {
  const newKey = await newKeyFrom(input);
  const result = await withStore(
    input,
    async (store, location) => {
      if (store === undefined) throw new CliError(`There is no store in ${location.dataDir} yet, so there is nothing to re-encrypt.`);
      return rotateKeyCommand({ store, env: input.env, dataDir: location.dataDir, ...(newKey === undefined ? {} : { newKey }) });
    },
    { create: false },
  );
  if (wantsJson(input)) {
    printJson(input, result);
    return 0;
  }
  const lines = [
    `Rotated the encryption key: ${result.previousKeyId} -> ${result.newKeyId}.`,
    `Re-encrypted ${result.secrets} secret${result.secrets === 1 ? "" : "s"} in ${result.credentials} credential${result.credentials === 1 ? "" : "s"}.`,
    ...(result.keyFile === undefined ? [] : [`The new key is in ${result.keyFile}; back it up: without it the stored credentials cannot be read.`]),
    ...(result.envHint === undefined ? [] : [result.envHint]),
    "Restart any running Switchyard server: it keeps the old key in memory until then.",
  ];
  input.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}
