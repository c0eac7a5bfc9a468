/**
 * @module test/integration/outbound-namespace.test
 * The one outbound-policy test that watches real connection attempts to the metadata address. It
 * creates a private network namespace whose loopback also carries 169.254.169.254, so nothing can
 * leave the machine, and runs test/support/outbound-namespace-probe.mjs inside it against the
 * built code in dist/ (`npm test` builds first). The probe's own listener on 169.254.169.254 must
 * count zero connections. Skipped, with the reason, where namespaces cannot be created (no
 * CAP_SYS_ADMIN, no `ip`) or dist/ is missing; the namespace is always deleted afterwards.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";

const run = promisify(execFile);
const IP = "/usr/sbin/ip";
const NAMESPACE = `switchyard-outbound-${process.pid}`;
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const PROBE = join(REPO_ROOT, "test", "support", "outbound-namespace-probe.mjs");
const BUILT = join(REPO_ROOT, "dist", "security", "outbound-connector.js");

let skipReason: string | undefined;
let created = false;

beforeAll(async () => {
  if (!existsSync(BUILT)) {
    skipReason = "dist/ has no build of src/security; run `npm run build` first (`npm test` does)";
    return;
  }
  if (!existsSync(IP)) {
    skipReason = `${IP} is not installed`;
    return;
  }
  try {
    await run(IP, ["netns", "add", NAMESPACE]);
    created = true;
    await run(IP, ["netns", "exec", NAMESPACE, IP, "link", "set", "lo", "up"]);
    await run(IP, ["netns", "exec", NAMESPACE, IP, "addr", "add", "169.254.169.254/32", "dev", "lo"]);
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
    skipReason = `cannot set up a network namespace (needs root or CAP_SYS_ADMIN): ${detail}`;
  }
});

afterAll(async () => {
  if (created) await run(IP, ["netns", "del", NAMESPACE]).catch(() => undefined);
});

it("never connects to 169.254.169.254, whatever the notation, DNS answer, rebinding or redirect", async (context) => {
  if (skipReason !== undefined) context.skip(skipReason);
  // An explicit, minimal environment: the probe must not pick up SWITCHYARD_* or provider variables.
  const { stdout } = await run(IP, ["netns", "exec", NAMESPACE, process.execPath, PROBE], {
    cwd: REPO_ROOT,
    env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: process.env["HOME"] ?? "/tmp" },
    timeout: 60_000,
  }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`probe failed:\n${error.stdout ?? ""}\n${error.stderr ?? ""}`);
  });
  const report = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as { controlConnections: number; metadataConnections: number; checks: number; failures: string[] };
  expect(report.failures).toEqual([]);
  // The listener was reachable (the control connection counted), and the gateway code never reached it.
  expect(report.controlConnections).toBe(1);
  expect(report.metadataConnections).toBe(0);
  expect(report.checks).toBeGreaterThan(20);
}, 90_000);
