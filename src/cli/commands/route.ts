/**
 * @module cli/commands/route
 * `switchyard route explain MODEL`: the deployments a request for MODEL would try, in order, and why
 * each is in, skipped or chosen — without calling any upstream. Breaker and rate-limit state live in
 * the running gateway, so it asks that gateway (`--url`, or the config's host and port) first and
 * falls back to an explanation from the config and store alone, saying so.
 */
import { existsSync } from "node:fs";
import { createGateway } from "../../gateway/create-gateway.js";
import type { RouteExplanation } from "../../gateway/routing-admin.js";
import type { Endpoint } from "../../providers/types.js";
import { CliError } from "../cli-error.js";
import { printJson, printTable, stringFlag, wantsJson } from "../command-helpers.js";
import { askRunningGateway, gatewayUrl } from "../gateway-client.js";
import { loadCliConfig, resolveLocation } from "../open-services.js";
import type { CommandInput } from "../run-cli.js";

const ENDPOINTS: readonly Endpoint[] = ["chat", "completions", "embeddings", "speech", "transcriptions"];

/** The answer of explain, with where it came from. */
interface Explained {
  readonly source: "running gateway" | "config and store (gateway not reachable: breaker and rate-limit state unknown)";
  readonly explanation: RouteExplanation;
}

async function explainOffline(input: CommandInput, model: string, endpoint: Endpoint): Promise<RouteExplanation> {
  const location = resolveLocation(input);
  const gateway = await createGateway({
    env: input.env,
    ...(location.configFile === undefined ? {} : { config: location.configFile }),
    // Only an existing store is opened: explaining must not create one.
    ...(existsSync(location.storeFile) ? { dataDir: location.dataDir } : {}),
  });
  try {
    return await gateway.explainRoute(model, endpoint);
  } finally {
    await gateway.close({ timeoutMs: 0 });
  }
}

/** Explains the route for a model. */
export async function routeExplainCommand(input: CommandInput): Promise<number> {
  const model = input.positionals[0];
  if (model === undefined) throw new CliError("Name the model or route to explain: switchyard route explain MODEL.");
  const endpoint = (stringFlag(input, "endpoint") ?? "chat") as Endpoint;
  if (!ENDPOINTS.includes(endpoint)) throw new CliError(`--endpoint must be one of ${ENDPOINTS.join(", ")}.`);
  const config = await loadCliConfig(resolveLocation(input));
  const url = gatewayUrl(input, config);
  const remote = await askRunningGateway<RouteExplanation>(input, url, "POST", "/api/route/explain", { model, endpoint });
  const explained: Explained =
    remote === undefined
      ? { source: "config and store (gateway not reachable: breaker and rate-limit state unknown)", explanation: await explainOffline(input, model, endpoint) }
      : { source: "running gateway", explanation: remote };
  if (wantsJson(input)) {
    printJson(input, { source: explained.source, ...explained.explanation });
    return 0;
  }
  const { explanation } = explained;
  input.stdout.write(
    `${model}${explanation.resolved === model ? "" : ` → ${explanation.resolved}`} (${explanation.kind}, ${endpoint}); from the ${explained.source === "running gateway" ? `running gateway at ${url}` : explained.source}\n` +
      `strategy: ${explanation.strategies.map((entry) => `${entry.via}: ${entry.strategy}`).join("; ")}\n` +
      (explanation.routeLimited === null ? "" : `NOTE: ${explanation.routeLimited}\n`) +
      "\n",
  );
  printTable(
    input,
    ["#", "DEPLOYMENT", "VIA", "STATUS", "BREAKER", "WHY"],
    explanation.candidates.map((candidate) => [String(candidate.position), candidate.deployment, candidate.via, candidate.status, candidate.breaker, candidate.reason]),
  );
  for (const unusable of explanation.unusable) input.stdout.write(`unusable: ${unusable.target}: ${unusable.reason}\n`);
  input.stdout.write(`\n${explanation.note}\n`);
  return 0;
}
