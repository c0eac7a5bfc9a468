/**
 * @module cli/commands/admin-key
 * `switchyard admin-key create|remove`: generates the admin key that guards the admin API and the
 * console (required to listen beyond loopback), prints it once, and stores only its keyed hash.
 * A running server picks the change up from the store revision within seconds.
 */
import { ADMIN_KEY_ENV, ADMIN_KEY_HASH_META_KEY } from "../../auth/admin-key.js";
import { generateAdminKey } from "../../auth/key-material.js";
import { loadKeyHasher } from "../../auth/stored-key-hasher.js";
import { CliError } from "../cli-error.js";
import { booleanFlag, printJson, wantsJson } from "../command-helpers.js";
import { withStore } from "../open-services.js";
import type { CommandInput } from "../run-cli.js";

/** Says on stderr that the environment's key wins, when it is set. */
function warnIfShadowed(input: CommandInput): void {
  if (input.env[ADMIN_KEY_ENV]?.trim()) {
    input.stderr.write(`switchyard: note: ${ADMIN_KEY_ENV} is set, and while it is, it is the admin key and the stored one is not used.\n`);
  }
}

/** `admin-key create [--replace]`. */
export async function adminKeyCreateCommand(input: CommandInput): Promise<number> {
  const replace = booleanFlag(input, "replace");
  const result = await withStore(input, async (store) => {
    if (store === undefined) throw new CliError("the store was not opened");
    const hasher = await loadKeyHasher(store);
    return store.transaction(async (inner) => {
      const existing = await inner.getMeta(ADMIN_KEY_HASH_META_KEY);
      const replaced = existing !== undefined && existing !== "";
      if (replaced && !replace) {
        throw new CliError("An admin key already exists. Pass --replace to generate a new one (the old key and its console sessions stop working).");
      }
      const key = generateAdminKey();
      await inner.setMeta(ADMIN_KEY_HASH_META_KEY, hasher.hash(key));
      return { key, replaced };
    });
  });
  if (wantsJson(input)) {
    printJson(input, { adminKey: result.key, replaced: result.replaced });
  } else {
    input.stdout.write(
      [
        `${result.replaced ? "Replaced the admin key. The new" : "The"} admin key — shown only this once; keep it in a password manager:`,
        "",
        `  ${result.key}`,
        "",
        "Only a keyed hash of it is stored. Send it as 'Authorization: Bearer <key>' to /api, or log in to the console with it.",
        "A running server uses it within seconds.",
        "",
      ].join("\n"),
    );
  }
  warnIfShadowed(input);
  return 0;
}

/** `admin-key remove`. */
export async function adminKeyRemoveCommand(input: CommandInput): Promise<number> {
  const removed = await withStore(
    input,
    async (store) => {
      if (store === undefined) return false;
      const existing = await store.getMeta(ADMIN_KEY_HASH_META_KEY);
      if (existing === undefined || existing === "") return false;
      // The Store has no meta delete; an empty value means "no admin key".
      await store.setMeta(ADMIN_KEY_HASH_META_KEY, "");
      return true;
    },
    { create: false },
  );
  if (wantsJson(input)) printJson(input, { removed });
  else input.stdout.write(removed ? "Removed the stored admin key. Servers listening beyond loopback refuse admin requests until a new one is set.\n" : "There is no stored admin key.\n");
  warnIfShadowed(input);
  return 0;
}
