/**
 * @module test/conformance/conformance-kit
 * The one list of conformance scenarios (STYLE.md §20), the kinds they run against (every kind;
 * Anthropic and Azure replay their native transcripts where they have one, and
 * test/integration/native-wires.test.ts covers their wire in more depth), what each transcript
 * should produce, the support matrix, and the shared setup: one transcript double and one gateway
 * with a provider per kind, both on 127.0.0.1.
 */
import type { UsageEvent } from "../../src/compat/usage.js";
import type { ProviderConfig } from "../../src/config/config-schema.js";
import { PROVIDER_KINDS } from "../../src/providers/registry.js";
import type { ProviderKind } from "../../src/providers/types.js";
import { startGateway, type TestGateway } from "../support/start-gateway.js";
import { fixtureBytes, fixtureFor, fixtureStatus, startTranscriptUpstream, type TranscriptUpstream } from "../support/transcript-upstream.js";

/** The scenarios, in matrix order. */
export const SCENARIOS = ["chat", "stream", "tools", "tools-stream", "embeddings", "models", "errors", "usage-in-stream", "cancel"] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** Every kind the suite runs against. */
export const CONFORMANCE_KINDS: readonly ProviderKind[] = PROVIDER_KINDS;

/** What every transcript says (test/fixtures/openai-wire-fixtures.md). */
export const EXPECTED = {
  text: "The capital of France is Paris.",
  reasoning: "The user asks for a capital.",
  tool: { name: "get_weather", arguments: { city: "Paris" } },
  embedding: [0.5, -0.25, 0.125, 0.0625],
  usage: { promptTokens: 14, completionTokens: 8, totalTokens: 22 },
} as const;

/** What a kind's transcripts say, where they are not the OpenAI-wire ones of {@link EXPECTED}. */
export interface KindExpectations {
  readonly chatText: string;
  readonly toolArguments: Readonly<Record<string, unknown>>;
  readonly toolStreamArguments: Readonly<Record<string, unknown>>;
  /** The usage of a stream the client asked usage of. */
  readonly usage: { readonly promptTokens: number; readonly completionTokens: number; readonly totalTokens: number };
  /** Whether the gateway learns a stream's usage when the client did not ask for it. */
  readonly streamUsageKnown: boolean;
}

/** Anthropic's documented examples (test/fixtures/anthropic-fixtures.md); its streams always carry usage. */
const ANTHROPIC_EXPECTED: KindExpectations = {
  chatText: "Hi! My name is Claude.",
  toolArguments: { location: "San Francisco, CA", unit: "celsius" },
  toolStreamArguments: { location: "San Francisco, CA" },
  usage: { promptTokens: 25, completionTokens: 15, totalTokens: 40 },
  streamUsageKnown: true,
};

/** What a kind's transcripts should produce. */
export function expectedFor(kind: ProviderKind): KindExpectations {
  if (kind.id === "anthropic") return ANTHROPIC_EXPECTED;
  return {
    chatText: EXPECTED.text,
    toolArguments: EXPECTED.tool.arguments,
    toolStreamArguments: EXPECTED.tool.arguments,
    usage: EXPECTED.usage,
    streamUsageKnown: kind.parameters?.streamUsage !== undefined,
  };
}

/** Text of the stream transcripts that do not say {@link EXPECTED}'s (Azure's is a public capture's: test/fixtures/azure-fixtures.md). */
const STREAM_TEXT: Readonly<Record<string, string>> = { "anthropic-text.sse": "Hello!", "azure-stream-prompt-filter.sse": " date)\n\n" };

/**
 * The text a replayed stream transcript carries. Which one a kind replays can depend on whether the
 * gateway or the client asked for usage (Azure's own stream has none), so tests pass the fixture the
 * double recorded.
 */
export function streamTextOf(fixture: string | undefined): string {
  return (fixture === undefined ? undefined : STREAM_TEXT[fixture]) ?? EXPECTED.text;
}

/** The status a kind's error transcript is replayed with. */
export function errorStatus(kind: ProviderKind): number {
  return fixtureStatus(scenarioFixture(kind, "errors"));
}

/** The tool every tools scenario offers. */
export const WEATHER_TOOL = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather in a city",
    parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
  },
} as const;

/** A phrase of each kind's error transcript that must survive normalisation into the OpenAI shape. */
export const ERROR_PHRASES: Readonly<Record<string, string>> = {
  ollama: 'model "error" not found',
  vllm: "does not exist",
  llamacpp: "exceeds the available context size",
  localai: "model not found",
  tgi: "Input validation error",
  "textgen-webui": "List should have at least 1 item",
  groq: "does not exist",
  openrouter: "requires more credits",
  mistral: "Extra inputs are not permitted",
  deepseek: "Insufficient Balance",
  gemini: "Unknown name",
  anthropic: "The requested resource could not be found",
  azure: "content filter",
};

/** Whether a kind serves what a scenario needs. */
export function supports(kind: ProviderKind, scenario: Scenario): boolean {
  return scenario === "embeddings" ? kind.endpoints.has("embeddings") : true;
}

/** The fixture a scenario replays for a kind. */
export function scenarioFixture(kind: ProviderKind, scenario: Scenario): string {
  const name = scenario === "errors" ? "error" : scenario === "usage-in-stream" ? "stream" : scenario;
  return fixtureFor(kind.id, name, { includeUsage: scenario === "usage-in-stream" && kind.parameters?.streamUsage === "include-usage" });
}

/** True when a kind's transcript for a scenario carries reasoning text. */
export function hasReasoning(kind: ProviderKind, scenario: Scenario): boolean {
  return /"reasoning(_content)?":\s*"/.test(fixtureBytes(scenarioFixture(kind, scenario)).toString("utf8"));
}

/**
 * One matrix cell: `✓` passes on the kind's own transcript, `✓*` on OpenAI's (the kind has no
 * documented difference), `–` not served by the kind, `unknown` usage that the kind cannot be
 * asked for (recorded as unknown, never zero).
 */
export function matrixCell(kind: ProviderKind, scenario: Scenario): string {
  if (!supports(kind, scenario)) return "–";
  if (scenario === "usage-in-stream" && !expectedFor(kind).streamUsageKnown) return "unknown";
  if (scenario === "cancel") return "✓";
  return scenarioFixture(kind, scenario).startsWith(`${kind.id}-`) || kind.id === "openai" ? "✓" : "✓*";
}

/** The support matrix as a markdown table. */
export function supportMatrix(): string {
  const header = `| kind | ${SCENARIOS.join(" | ")} |`;
  const rule = `| --- | ${SCENARIOS.map(() => "---").join(" | ")} |`;
  const rows = CONFORMANCE_KINDS.map((kind) => `| \`${kind.id}\` | ${SCENARIOS.map((scenario) => matrixCell(kind, scenario)).join(" | ")} |`);
  return [header, rule, ...rows].join("\n");
}

/** The running double and gateway of one suite file. */
export interface ConformanceRig {
  readonly upstream: TranscriptUpstream;
  readonly gateway: TestGateway;
  /** Every usage event the gateway reported, in order. */
  readonly usage: UsageEvent[];
  close(): Promise<void>;
}

/** Starts one double and one gateway with a provider per kind (named after the kind). */
export async function startConformanceRig(): Promise<ConformanceRig> {
  const upstream = await startTranscriptUpstream();
  const usage: UsageEvent[] = [];
  const providers: Record<string, ProviderConfig> = {};
  for (const kind of CONFORMANCE_KINDS) providers[kind.id] = { kind: kind.id, baseUrl: upstream.baseUrl(kind.id), apiKey: "sk-conformance-upstream" };
  const gateway = await startGateway({
    config: { providers, routing: { maxAttempts: 1 } },
    onUsage: (event) => usage.push(event),
  });
  return {
    upstream,
    gateway,
    usage,
    async close() {
      await gateway.close();
      await upstream.close();
    },
  };
}

/** Resolves when `promise` does, or rejects after `ms` (a cancelled upstream must notice quickly). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms).unref())]);
}
