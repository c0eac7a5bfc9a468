/**
 * @module credentials/provider-probe
 * Talking to a provider on a user's behalf: test the connection, list its models, and test one
 * model with a tiny real request. Each call uses its own short-lived connection pool, so probing a
 * new or misconfigured server never disturbs the pools that serve traffic.
 */
import type { ProviderSettings } from "../config/resolve-providers.js";
import { discoverModels, testConnection, type ConnectionTestResult, type DiscoveredModel } from "../discovery/index.js";
import { normalizeUpstreamError } from "../errors/normalize-upstream-error.js";
import type { Endpoint } from "../providers/types.js";
import type { ModelType } from "../store/store-types.js";
import { classifyUpstreamFailure } from "../upstream/classify-failure.js";
import { PoolRegistry } from "../upstream/pool-registry.js";
import { GatewayError } from "../errors/gateway-error.js";
import { describeRefusal, findOutboundRefusal, type OutboundPolicy } from "../security/outbound-policy.js";
import { readLimited } from "../upstream/read-limited.js";
import { buildUpstreamTarget } from "../upstream/upstream-target.js";
import { requestFrom } from "../upstream/undici-runtime.js";

/** Result of a connection test. */
export type ConnectionProbe = ConnectionTestResult;
/** A model the provider lists. */
export type ProbedModel = DiscoveredModel;

/** Result of a model test. */
export interface ModelProbe {
  ok: boolean;
  latency_ms: number | null;
  status: number | null;
  /** Plain language; the upstream's own error message when it refused. */
  message: string;
}

/** How long a model test may take: long enough for a local server to load a small model. */
const MODEL_TEST_TIMEOUT_MS = 120_000;

/** Largest answer read from a model test. */
const MODEL_TEST_MAX_BYTES = 4 * 1024 * 1024;

/** Tests reachability and auth through the provider's model list. */
export function probeConnection(settings: ProviderSettings, outbound?: OutboundPolicy): Promise<ConnectionProbe> {
  return testConnection(settings, { outbound });
}

/** The provider's own model list, classified. */
export function probeModels(settings: ProviderSettings, outbound?: OutboundPolicy): Promise<ProbedModel[]> {
  return discoverModels(settings, { outbound });
}

/** A 0.1 s silent 16 kHz mono WAV: the smallest valid audio for a transcription test. */
function silentWav(): Buffer {
  const samples = 1_600;
  const header = Buffer.alloc(44);
  header.write("RIFF", 0);
  header.writeUInt32LE(36 + samples * 2, 4);
  header.write("WAVEfmt ", 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(16_000, 24);
  header.writeUInt32LE(32_000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36);
  header.writeUInt32LE(samples * 2, 40);
  return Buffer.concat([header, Buffer.alloc(samples * 2)]);
}

function testRequest(settings: ProviderSettings, model: string, type: ModelType): { endpoint: Endpoint; body: string | Buffer; contentType: string } {
  switch (type) {
    case "embedding":
      return { endpoint: "embeddings", body: JSON.stringify({ model, input: "Switchyard model test" }), contentType: "application/json" };
    case "tts":
      return { endpoint: "speech", body: JSON.stringify({ model, input: "OK", voice: "alloy" }), contentType: "application/json" };
    case "stt": {
      const boundary = "switchyard-model-test";
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\n${model}\r\n`),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="test.wav"\r\nContent-Type: audio/wav\r\n\r\n`),
        silentWav(),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return { endpoint: "transcriptions", body, contentType: `multipart/form-data; boundary=${boundary}` };
    }
    case "chat": {
      // OpenAI's newer models refuse `max_tokens`; the other kinds mostly ignore `max_completion_tokens`.
      const limit = settings.kind.id === "openai" ? { max_completion_tokens: 16 } : { max_tokens: 8 };
      return { endpoint: "chat", body: JSON.stringify({ model, messages: [{ role: "user", content: "Reply with the word OK." }], ...limit }), contentType: "application/json" };
    }
  }
}

/** Sends one tiny real request to a model and says how it went. */
export async function probeModel(settings: ProviderSettings, upstreamModel: string, type: ModelType, outbound?: OutboundPolicy): Promise<ModelProbe> {
  const pools = new PoolRegistry({ policy: outbound });
  const { endpoint, body, contentType } = testRequest(settings, upstreamModel, type);
  if (!settings.kind.endpoints.has(endpoint)) {
    return { ok: false, latency_ms: null, status: null, message: `${settings.kind.displayName} does not serve ${endpoint} requests, so a ${type} model cannot be tested here.` };
  }
  const target = buildUpstreamTarget(settings, endpoint, pools);
  const started = performance.now();
  try {
    const response = await requestFrom(target.pool, {
      path: target.path,
      method: "POST",
      headers: { ...target.baseHeaders, "content-type": contentType },
      body,
      signal: AbortSignal.timeout(MODEL_TEST_TIMEOUT_MS),
      headersTimeout: MODEL_TEST_TIMEOUT_MS,
      bodyTimeout: MODEL_TEST_TIMEOUT_MS,
    });
    const answer = await readLimited(response.body, MODEL_TEST_MAX_BYTES);
    const latency = Math.round(performance.now() - started);
    if (response.statusCode >= 200 && response.statusCode < 300) {
      return { ok: true, latency_ms: latency, status: response.statusCode, message: `The model answered in ${latency} ms.` };
    }
    const contentTypeHeader = response.headers["content-type"];
    const error = normalizeUpstreamError({
      status: response.statusCode,
      contentType: Array.isArray(contentTypeHeader) ? contentTypeHeader[0] : contentTypeHeader,
      body: answer,
      provider: settings.name,
      secrets: target.secrets,
    });
    return { ok: false, latency_ms: latency, status: response.statusCode, message: error.error.message };
  } catch (error) {
    // A refused address is the admin's to fix: say which and why, as a 400 (the inference message hides it).
    const refusal = findOutboundRefusal(error);
    if (refusal !== undefined) throw new GatewayError("forbidden_base_url", `The model test was not sent: ${describeRefusal(refusal)}`, { cause: error });
    return { ok: false, latency_ms: null, status: null, message: classifyUpstreamFailure(error, target).message };
  } finally {
    await pools.destroy();
  }
}
