// Writes schema/switchyard.config.schema.json from the zod config schema in the build output,
// so the published JSON Schema can never drift from what the loader accepts.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { configJsonSchema } from "../dist/config/config-schema.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "schema", "switchyard.config.schema.json");
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
