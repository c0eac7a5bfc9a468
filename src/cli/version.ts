/**
 * @module cli/version
 * The package version, read from package.json next to the build output.
 */
import { readFileSync } from "node:fs";

/** Switchyard's version string. */
export function packageVersion(): string {
  try {
    const packageJson = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
    return packageJson.version ?? "unknown";
  } catch {
    return "unknown";
  }
}
