/**
 * @module config/load-config-file
 * Reads a JSON or YAML config file and validates it. Errors name the file, the path inside it and
 * the reason, one per line.
 */
import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import type { z } from "zod";
import type { SwitchyardConfig } from "./config-schema.js";
import { zodIssueDetail } from "./zod-issue.js";

/** A config file that could not be read, parsed or validated. */
export class ConfigError extends Error {
  readonly file: string;
  readonly problems: readonly string[];

  constructor(file: string, problems: readonly string[]) {
    super(`Invalid config ${file}:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
    this.name = "ConfigError";
    this.file = file;
    this.problems = problems;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(top level)";
  return path.map((part) => (typeof part === "number" ? `[${part}]` : String(part))).join(".").replace(/\.\[/g, "[");
}

/** Describes zod issues as `path: reason` lines. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${formatPath(issue.path)}: ${zodIssueDetail(issue)}`);
}

/**
 * Validates an already-parsed config value. The schema (and zod, ~15 MB of resident memory) is
 * loaded on first use, so a gateway running on environment variables alone never pays for it.
 */
export async function parseConfig(value: unknown, file = "<inline config>"): Promise<SwitchyardConfig> {
  const { configSchema } = await import("./config-schema.js");
  const result = configSchema.safeParse(value ?? {});
  if (!result.success) throw new ConfigError(file, describeIssues(result.error.issues));
  return result.data;
}

/**
 * Parses config text as YAML (a superset of JSON) or strict JSON for `.json` files. The YAML
 * parser is loaded only when needed: it costs ~9 MB of resident memory.
 */
export async function parseConfigText(text: string, file: string): Promise<SwitchyardConfig> {
  let value: unknown;
  const isJson = extname(file).toLowerCase() === ".json";
  const yaml = isJson ? undefined : await import("yaml");
  try {
    value = yaml === undefined ? JSON.parse(text) : yaml.parse(text);
  } catch (error) {
    if (yaml !== undefined && error instanceof yaml.YAMLParseError) {
      const where = error.linePos?.[0];
      throw new ConfigError(file, [`${where ? `line ${where.line}, column ${where.col}: ` : ""}${error.message.split("\n")[0] ?? "YAML syntax error"}`]);
    }
    // Some of V8's messages quote part of the text, which may be a key: then say only where it broke.
    const reason = (error as Error).message;
    const position = /position (\d+)/.exec(reason)?.[1];
    throw new ConfigError(file, [`not valid JSON: ${!reason.includes('"') ? reason : `syntax error${position === undefined ? "" : ` at character ${position}`}`}`]);
  }
  return parseConfig(value, file);
}

/** Reads and validates a config file. */
export async function loadConfigFile(file: string): Promise<SwitchyardConfig> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(file, [code === "ENOENT" ? "file not found" : `cannot read: ${code ?? String(error)}`]);
  }
  return parseConfigText(text, file);
}
