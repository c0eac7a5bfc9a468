/**
 * @module cli/commands/serve
 * `switchyard serve`: starts the gateway, prints where it listens and which providers it found,
 * and shuts down gracefully on SIGINT/SIGTERM (a second signal exits at once).
 */
import { isLoopbackHost } from "../../auth/loopback.js";
import { createGateway, type Gateway } from "../../gateway/create-gateway.js";
import { DEFAULT_MAX_SEMI_SPACE_MB } from "../../defaults.js";
import { holdYoungGeneration } from "../../server/young-generation.js";
import { createLogger } from "../../observability/logger.js";
import { safeUrl } from "../../secrets/safe-url.js";
import { CliError, EXIT_USAGE } from "../cli-error.js";
import { ensureDataDir, resolveConfigFile, resolveDataDir } from "../paths.js";
import type { CommandInput } from "../run-cli.js";
import { packageVersion } from "../version.js";

function integerOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) throw new CliError(`${name} must be an integer from ${min} to ${max}, got '${value}'.`, EXIT_USAGE);
  return parsed;
}

/** A flag, else a non-empty environment variable (an empty variable counts as unset). */
function flagOrEnv(flag: unknown, env: NodeJS.ProcessEnv, variable: string): string | undefined {
  if (typeof flag === "string") return flag;
  const value = env[variable]?.trim();
  return value ? value : undefined;
}

/** Reports, after start-up, which providers answered their model list. */
async function reportProviders(gateway: Gateway, out: NodeJS.WritableStream): Promise<void> {
  const { data, skipped } = await gateway.listModels();
  const counts = new Map<string, number>();
  for (const model of data) {
    const prefix = model.id.slice(0, model.id.indexOf("/"));
    counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
  }
  const reachable = [...counts].map(([prefix, count]) => `${prefix} (${count} model${count === 1 ? "" : "s"})`);
  out.write(`Providers answering: ${reachable.length > 0 ? reachable.join(", ") : "none yet"}\n`);
  for (const entry of skipped) out.write(`  not reachable: ${entry.provider}: ${entry.reason}\n`);
}

/** Runs the server until a signal stops it. */
export async function serveCommand(input: CommandInput): Promise<number> {
  const { values, env, stdout } = input;
  const dataDir = resolveDataDir(values["data-dir"] as string | undefined, env);
  ensureDataDir(dataDir);
  const configFile = resolveConfigFile(values["config"] as string | undefined, env, dataDir);
  const port = integerOption(flagOrEnv(values["port"], env, "SWITCHYARD_PORT"), typeof values["port"] === "string" ? "--port" : "SWITCHYARD_PORT", 0, 65_535);
  const shutdownTimeoutMs = integerOption(values["shutdown-timeout"] as string | undefined, "--shutdown-timeout", 0, 3_600_000);
  const host = flagOrEnv(values["host"], env, "SWITCHYARD_HOST");
  const semiSpaceMb = integerOption(flagOrEnv(undefined, env, "SWITCHYARD_MAX_SEMI_SPACE_MB"), "SWITCHYARD_MAX_SEMI_SPACE_MB", 0, 1_024) ?? DEFAULT_MAX_SEMI_SPACE_MB;
  const logger = createLogger();

  const gateway = await createGateway({ ...(configFile === undefined ? {} : { config: configFile, watchConfig: true }), env, logger, dataDir });
  const listening = await gateway.listen({ ...(host === undefined ? {} : { host }), ...(port === undefined ? {} : { port }) }).catch(async (error: unknown) => {
    await gateway.close({ timeoutMs: 0 });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EADDRINUSE") throw new CliError(`Port ${port ?? "4000"} on ${host ?? "127.0.0.1"} is already in use. Stop the other server or pass --port (0 picks a free port).`);
    if (code === "EADDRNOTAVAIL") throw new CliError(`Cannot bind to ${host ?? "127.0.0.1"}: no such address on this machine. Check --host.`);
    throw error;
  });

  stdout.write(`Switchyard ${packageVersion()} listening on ${listening.url}  (OpenAI base URL: ${listening.url}/v1)\n`);
  stdout.write(`Config: ${configFile ?? "none (environment and built-in defaults)"}   Data dir: ${dataDir}\n`);
  if (!isLoopbackHost(listening.host)) {
    // listen() has already refused to get here without an admin key.
    stdout.write(`Listening on ${listening.host}, reachable from other machines: the admin API needs the admin key, and /v1 needs a gateway key ('switchyard keys create').\n`);
  }
  stdout.write("Providers (prefix, kind, base URL, where the URL came from):\n");
  for (const provider of gateway.providers) {
    stdout.write(`  ${`${provider.name}/`.padEnd(16)} ${provider.displayName.padEnd(26)} ${safeUrl(provider.baseUrl).padEnd(44)} ${provider.baseUrlSource}${provider.enabled ? "" : "  [disabled]"}\n`);
  }
  // 0 leaves V8's own sizing; node's --max-semi-space-size, when given, wins (server/young-generation.ts).
  const releaseYoungGeneration = holdYoungGeneration(semiSpaceMb, env["NODE_OPTIONS"]);
  reportProviders(gateway, stdout).catch((error: unknown) => logger.warn({ err: String(error) }, "could not list providers' models at start-up"));

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) {
        stdout.write(`Received ${signal} again; exiting now.\n`);
        process.exit(1);
      }
      stopping = true;
      stdout.write(`Received ${signal}; letting requests under way finish${shutdownTimeoutMs === undefined ? "" : ` (up to ${shutdownTimeoutMs} ms)`}…\n`);
      gateway.close(shutdownTimeoutMs === undefined ? {} : { timeoutMs: shutdownTimeoutMs }).then(
        () => {
          releaseYoungGeneration?.();
          stdout.write("Switchyard stopped.\n");
          resolve(0);
        },
        (error: unknown) => {
          input.stderr.write(`switchyard: error during shutdown: ${String(error)}\n`);
          resolve(1);
        },
      );
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
