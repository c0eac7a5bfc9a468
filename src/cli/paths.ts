/**
 * @module cli/paths
 * Where the data directory and the default config file are.
 */
import { existsSync, mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { DEFAULT_DATA_DIR_NAME } from "../defaults.js";

/** The data directory: flag, then `SWITCHYARD_DATA_DIR`, then `~/.switchyard`. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const fromEnv = env["SWITCHYARD_DATA_DIR"]?.trim();
  return resolve(flag ?? (fromEnv ? fromEnv : join(homedir(), DEFAULT_DATA_DIR_NAME)));
}

/** Creates the data directory, readable by its owner only. */
export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
}

/** The config file: flag, then `SWITCHYARD_CONFIG`, then `config.yaml|yml|json` in the data directory, else none. */
export function resolveConfigFile(flag: string | undefined, env: NodeJS.ProcessEnv, dataDir: string): string | undefined {
  const explicit = flag ?? env["SWITCHYARD_CONFIG"]?.trim();
  if (explicit !== undefined && explicit !== "") return resolve(explicit);
  return ["config.yaml", "config.yml", "config.json"].map((name) => join(dataDir, name)).find((file) => existsSync(file));
}
