/**
 * @module cli/command-helpers
 * Small pieces every store command shares: typed flag access, zod validation that names the flag
 * at fault, aligned tables and JSON output.
 */
import { zodIssueDetail } from "../config/zod-issue.js";
import { toSnakeCase } from "../server/admin/snake-case.js";
import type { z } from "zod";
import { CliError, EXIT_USAGE } from "./cli-error.js";
import type { CommandInput } from "./run-cli.js";

/** A string flag, or undefined when absent. */
export function stringFlag(input: CommandInput, name: string): string | undefined {
  const value = input.values[name];
  return typeof value === "string" ? value : undefined;
}

/** A boolean flag; absent is false. */
export function booleanFlag(input: CommandInput, name: string): boolean {
  return input.values[name] === true;
}

/** A repeatable string flag; absent is an empty list. */
export function listFlag(input: CommandInput, name: string): string[] {
  const value = input.values[name];
  return Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
}

/** True when `--json` was given. */
export function wantsJson(input: CommandInput): boolean {
  return booleanFlag(input, "json");
}

/** Throws a usage error (exit 2) when more than one of the named flags is set. */
export function exclusiveFlags(input: CommandInput, names: readonly string[]): void {
  const given = names.filter((name) => input.values[name] !== undefined && input.values[name] !== false);
  if (given.length > 1) throw new CliError(`${given.map((name) => `--${name}`).join(" and ")} cannot be used together.`, EXIT_USAGE);
}

/**
 * Validates CLI input with the admin API's own schema. `flagFor` maps a field path
 * (`service_urls.chat`) to the flag the user typed, so the message names what to fix.
 */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, flagFor: (path: readonly PropertyKey[]) => string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const message = zodIssueDetail(issue);
    return issue.path.length === 0 ? message : `${flagFor(issue.path)}: ${message}`;
  });
  throw new CliError(`${problems.join("; ")}.`, EXIT_USAGE);
}

/** Prints `value` as indented JSON on stdout. */
export function printJson(input: CommandInput, value: unknown): void {
  // The same field names as the admin API (snake_case), so scripts can use either.
  input.stdout.write(`${JSON.stringify(toSnakeCase(value), null, 2)}\n`);
}

/** Prints rows as columns aligned under a header; the last column is not padded. */
export function printTable(input: CommandInput, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join("  ")
      .trimEnd();
  input.stdout.write(`${[line(header), ...rows.map(line)].join("\n")}\n`);
}

/** Prints `label: value` lines with the values aligned. */
export function printFields(input: CommandInput, fields: readonly (readonly [string, string])[]): void {
  const width = Math.max(...fields.map(([label]) => label.length)) + 1;
  input.stdout.write(`${fields.map(([label, value]) => `${`${label}:`.padEnd(width)} ${value}`).join("\n")}\n`);
}

/** Splits `KEY=VALUE` at the first `=`; a usage error names the flag when there is none. */
export function splitPair(flag: string, pair: string): [string, string] {
  const at = pair.indexOf("=");
  // The value is not echoed: for --header it may well be a key.
  if (at <= 0) throw new CliError(`--${flag} expects NAME=VALUE.`, EXIT_USAGE);
  return [pair.slice(0, at).trim(), pair.slice(at + 1)];
}
