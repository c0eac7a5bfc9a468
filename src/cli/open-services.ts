/**
 * @module cli/open-services
 * What the credential, model and secrets commands work on: the store in the data directory, the
 * SecretBox and the services the admin API uses — opened exactly as `serve` opens them, and
 * always closed again. A running server notices the CLI's changes by polling the store revision.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { SwitchyardConfig } from "../config/config-schema.js";
import { loadConfigFile } from "../config/load-config-file.js";
import { CredentialService } from "../credentials/credential-service.js";
import { ModelService } from "../credentials/model-service.js";
import { SQLITE_FILE_NAME } from "../defaults.js";
import { SecretBox } from "../secrets/secret-box.js";
import { openStore } from "../store/open-store.js";
import type { Store } from "../store/store-types.js";
import { stringFlag } from "./command-helpers.js";
import { ensureDataDir, resolveConfigFile, resolveDataDir } from "./paths.js";
import type { CommandInput } from "./run-cli.js";

/** Where a command's data lives. */
export interface CliLocation {
  readonly dataDir: string;
  /** The config file in effect, if any (flag, SWITCHYARD_CONFIG, or one in the data directory). */
  readonly configFile: string | undefined;
  /** `<dataDir>/switchyard.db`. */
  readonly storeFile: string;
}

/** Everything a store command needs, open. */
export interface CliServices {
  readonly location: CliLocation;
  readonly config: SwitchyardConfig;
  readonly store: Store;
  readonly box: SecretBox;
  readonly credentials: CredentialService;
  readonly models: ModelService;
}

/** Resolves the data directory and config file from `--data-dir`, `--config` and the environment. */
export function resolveLocation(input: CommandInput): CliLocation {
  const dataDir = resolveDataDir(stringFlag(input, "data-dir"), input.env);
  return { dataDir, configFile: resolveConfigFile(stringFlag(input, "config"), input.env, dataDir), storeFile: join(dataDir, SQLITE_FILE_NAME) };
}

/** Loads the config file in effect, or an empty config when there is none. */
export async function loadCliConfig(location: CliLocation): Promise<SwitchyardConfig> {
  return location.configFile === undefined ? {} : loadConfigFile(location.configFile);
}

/**
 * Opens the store, runs `work`, and closes the store whatever happens. With `create: false` a data
 * directory without a store is left untouched and `work` receives undefined (for `status`).
 */
export async function withStore<T>(input: CommandInput, work: (store: Store | undefined, location: CliLocation) => Promise<T>, options: { create?: boolean } = {}): Promise<T> {
  const location = resolveLocation(input);
  if (options.create === false && !existsSync(location.storeFile)) return work(undefined, location);
  ensureDataDir(location.dataDir);
  const store = await openStore({ kind: "sqlite", file: location.storeFile });
  try {
    return await work(store, location);
  } finally {
    await store.close();
  }
}

/**
 * Opens the store, the SecretBox (generating the data-directory key on first use, as `serve` does)
 * and the credential and model services, runs `work`, and closes the store.
 */
export async function withServices<T>(input: CommandInput, work: (services: CliServices) => Promise<T>): Promise<T> {
  const location = resolveLocation(input);
  // The config first: a broken config file should fail before anything is opened or created.
  const config = await loadCliConfig(location);
  return withStore(input, async (store) => {
    if (store === undefined) throw new Error("the store was not opened");
    const box = await SecretBox.open({ env: input.env, dataDir: location.dataDir, meta: store, allowGenerate: true });
    // The CLI exits right after its change; a running server picks it up from the store revision.
    const onChange = async (): Promise<void> => undefined;
    const credentials = new CredentialService({ store, box, env: input.env, config: () => config, onChange });
    const models = new ModelService(credentials, onChange);
    return work({ location, config, store, box, credentials, models });
  });
}
