/**
 * @module errors/normalize-upstream-error-secrets.test
 * An upstream error body is never relayed raw: only its message (and type, param, code) is kept,
 * each scrubbed of the provider's stored secrets and of anything shaped like a key.
 */
import { describe, expect, it } from "vitest";
import { normalizeUpstreamError } from "./normalize-upstream-error.js";

const STORED = "local-box-token-without-prefix";
const FOREIGN = "sk-ant-api03-ForeignKey0123456789abcdef";

function normalize(status: number, body: string, contentType = "application/json") {
  return normalizeUpstreamError({ status, contentType, body: Buffer.from(body, "utf8"), provider: "box", secrets: [STORED] });
}

describe("normalizeUpstreamError keeps secrets out", () => {
  it("keeps only the four OpenAI fields of a JSON body, dropping everything else it carried", () => {
    const body = JSON.stringify({ error: { message: "bad key", type: "auth", param: null, code: "invalid_api_key", request: { headers: { authorization: `Bearer ${STORED}` } } }, debug: { key: STORED } });
    const result = normalize(401, body);
    expect(result).toEqual({ error: { message: "bad key", type: "auth", param: null, code: "invalid_api_key" } });
  });

  it("scrubs the stored key and foreign key shapes from the message, type, param and code", () => {
    const body = JSON.stringify({ error: { message: `You sent ${STORED} and ${FOREIGN}`, type: `type ${STORED}`, param: FOREIGN, code: `x-api-key: ${STORED}` } });
    const text = JSON.stringify(normalize(401, body));
    expect(text).not.toContain(STORED);
    expect(text).not.toContain(FOREIGN);
  });

  it("never relays an HTML error page: at most its title, scrubbed", () => {
    const page = `<!DOCTYPE html><html><head><title>401 for Bearer ${STORED}</title></head><body><pre>Authorization: Bearer ${STORED}\nx-api-key: ${FOREIGN}</pre></body></html>`;
    const result = normalize(401, page, "text/html");
    expect(result.error.message).toBe("Upstream provider 'box' answered HTTP 401 with an HTML page (\"401 for Bearer [redacted]\").");
  });

  it("scrubs plain-text and unrecognised JSON bodies that are quoted whole", () => {
    expect(normalize(500, `Traceback: auth failed for ${STORED} via ?key=AIzaShortKey`, "text/plain").error.message).toBe("Traceback: auth failed for [redacted] via ?key=[redacted]");
    expect(normalize(500, JSON.stringify({ trace: [`token=${STORED}`] })).error.message).not.toContain(STORED);
  });
});
