/**
 * @module discovery/test-connection
 * "Test connection" (SPEC §3): one call to the provider's list endpoint, reported as reachability,
 * auth, latency and a plain-language diagnosis — refused, DNS, TLS, timeout, 401/403, a wrong path
 * such as a missing `/v1`, a model still loading, an HTML page instead of the API. It never throws
 * for a failed connection; it does reject when the caller's signal aborts.
 */
import { listWithSession } from "./discover-models.js";
import { DiscoveryError } from "./discovery-error.js";
import { toDiscoveryInput, type DiscoveryTarget } from "./discovery-input.js";
import type { ConnectionTestResult, DiscoveryOptions } from "./discovery-types.js";
import { ListSession } from "./list-session.js";
import { redactSecrets } from "../secrets/redact-secrets.js";

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** Tests that a provider is reachable, accepts the key and lists models. */
export async function testConnection(target: DiscoveryTarget, options: DiscoveryOptions = {}): Promise<ConnectionTestResult> {
  const session = new ListSession(toDiscoveryInput(target), options);
  try {
    const models = await listWithSession(session);
    const latency = session.latencyMs === null ? "" : ` in ${session.latencyMs} ms`;
    const diagnosis =
      models.length === 0
        ? `Connected to ${session.host}${latency}, but it lists no models yet: pull, download or load one on the server.`
        : `Connected to ${session.host}${latency}; it lists ${plural(models.length, "model")}.`;
    return { ok: true, code: "ok", latencyMs: session.latencyMs, ...(session.status === undefined ? {} : { status: session.status }), modelCount: models.length, diagnosis };
  } catch (error) {
    if (!(error instanceof DiscoveryError)) throw error;
    const status = error.status ?? session.status;
    return {
      ok: false,
      code: error.code,
      latencyMs: session.latencyMs,
      ...(status === undefined ? {} : { status }),
      // Diagnoses are built without header values; this pass guards against one slipping in later.
      diagnosis: redactSecrets(error.message, session.secrets),
    };
  } finally {
    await session.close();
  }
}
