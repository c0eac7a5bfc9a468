import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { growthFactorHonoured, youngGenerationSetByOperator } from "./young-generation.js";

const run = promisify(execFile);
const BUILT_MODULE = fileURLToPath(new URL("../../dist/server/young-generation.js", import.meta.url));

/**
 * A child process that keeps ~20 000 objects alive while allocating (what survives scavenges is
 * what makes V8 grow the new space) and reports the largest new space it saw, in MB.
 */
const WORKLOAD = `
import { getHeapSpaceStatistics } from "node:v8";
const capMb = Number(process.argv[1]);
if (capMb > 0) (await import(${JSON.stringify(BUILT_MODULE)})).capYoungGeneration(capMb, 5);
const newSpaceMb = () => getHeapSpaceStatistics().find((space) => space.space_name === "new_space").space_size / 1048576;
const kept = [];
let largest = 0;
for (let round = 0; round < 150; round += 1) {
  for (let index = 0; index < 20000; index += 1) {
    kept.push({ index, text: "item " + index + " of round " + round });
    if (kept.length > 20000) kept.splice(0, 10000);
  }
  largest = Math.max(largest, newSpaceMb());
  await new Promise((resolve) => setImmediate(resolve));
}
console.log(largest);
`;

async function largestNewSpaceMb(capMb: number): Promise<number> {
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", WORKLOAD, String(capMb)], { timeout: 30_000 });
  return Number(stdout.trim());
}

describe("young generation cap", () => {
  it.runIf(growthFactorHonoured())("lets the new space grow past the cap without it, and holds it at the cap with it", async () => {
    const [uncapped, capped] = await Promise.all([largestNewSpaceMb(0), largestNewSpaceMb(4)]);
    // V8's default on 64-bit Node 20 is two 16 MB semi-spaces.
    expect(uncapped).toBeGreaterThan(16);
    // Two 4 MB semi-spaces, with room for one growth step already under way when the cap is reached.
    expect(capped).toBeLessThanOrEqual(16);
  });

  it("is applied only on the V8 it was measured on", () => {
    expect(growthFactorHonoured("11.3.244.8-node.38")).toBe(true);
    expect(growthFactorHonoured("12.4.254.21-node.33")).toBe(false);
    expect(growthFactorHonoured("13.6.233.10-node.1")).toBe(false);
  });

  it("stands aside when node was given its own young-generation size", () => {
    expect(youngGenerationSetByOperator(["--max-semi-space-size=8"], undefined)).toBe(true);
    expect(youngGenerationSetByOperator([], "--enable-source-maps --max_semi_space_size=32")).toBe(true);
    expect(youngGenerationSetByOperator(["--enable-source-maps"], "--max-old-space-size=512")).toBe(false);
    expect(youngGenerationSetByOperator([], undefined)).toBe(false);
  });
});
