/**
 * @module errors/openai-error-body
 * The OpenAI error body `{"error":{"message","type","param","code"}}`. All four keys are always
 * present (`null` where empty), because the OpenAPI spec marks them required and strict clients
 * check for them.
 */
import { redactSecrets } from "../secrets/redact-secrets.js";
import { GatewayError } from "./gateway-error.js";

/** The JSON shape of every error Switchyard returns. */
export interface OpenAIErrorBody {
  error: {
    message: string;
    type: string;
    param: string | null;
    code: string | null;
  };
}

/**
 * Builds the OpenAI error body for a gateway error. The message goes through the one redaction
 * function: some messages quote what a client or upstream sent (a Content-Type, a model id, a URL).
 */
export function toOpenAIErrorBody(error: GatewayError): OpenAIErrorBody {
  return { error: { message: redactSecrets(error.message), type: error.type, param: error.param, code: error.clientCode } };
}

/** Anything thrown, as a GatewayError; unknown errors become a generic 500 without internals. */
export function asGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError("internal_error", "Internal error in Switchyard; see the server log.", { cause: error });
}
