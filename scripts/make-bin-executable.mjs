// Marks dist/main.js executable, so `./dist/main.js` (and `npm start`) run it through its shebang
// line exactly as the installed `switchyard` command does (npm sets the bit only on install).
import { chmodSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

chmodSync(join(fileURLToPath(new URL("..", import.meta.url)), "dist", "main.js"), 0o755);
