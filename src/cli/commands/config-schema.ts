/**
 * @module cli/commands/config-schema
 * `switchyard config schema`: prints the JSON Schema of the config file.
 */
import { configJsonSchema } from "../../config/config-schema.js";
import type { CommandInput } from "../run-cli.js";

/** Prints the schema to stdout. */
export async function configSchemaCommand(input: CommandInput): Promise<number> {
  input.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  return 0;
}
