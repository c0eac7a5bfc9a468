/**
 * @module server/openai/transcriptions-endpoint
 * `POST /v1/audio/transcriptions`: a multipart upload, routed by its `model` field and streamed
 * upstream with only that field's value changed. Parts before the model (the SDKs send the file
 * first) are spooled — in memory up to a threshold, then on disk — never held whole in memory.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { authorizeModel } from "../../auth/request-key.js";
import { MULTIPART_SPOOL_MEMORY_BYTES } from "../../defaults.js";
import { GatewayError } from "../../errors/gateway-error.js";
import { multipartBoundary, readMultipartModelField } from "../multipart/multipart-model-field.js";
import { checkDeclaredLength } from "../read-body.js";
import type { ServerContext } from "../server-context.js";
import { relayExchange } from "./relay-exchange.js";

/** Handles one transcription upload end to end. */
export async function handleTranscriptions(context: ServerContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const contentType = request.headers["content-type"];
  const boundary = multipartBoundary(contentType);
  if (boundary === undefined || contentType === undefined) {
    throw new GatewayError(
      "unsupported_media_type",
      `Expected a 'multipart/form-data' upload with a boundary, got ${contentType === undefined ? "no Content-Type" : `'${contentType}'`}.`,
    );
  }
  const limit = context.limits.maxUploadBytes;
  const declaredLength = checkDeclaredLength(request, limit);
  const field = await readMultipartModelField(request, {
    boundary,
    maxBytes: limit,
    ...(declaredLength === undefined ? {} : { declaredLength }),
    memoryLimitBytes: MULTIPART_SPOOL_MEMORY_BYTES,
    onTooLarge: () => new GatewayError("body_too_large", `Upload is larger than the limit of ${limit} bytes.`, { headers: { connection: "close" } }),
    onMalformed: (reason) => new GatewayError("invalid_request", `The multipart upload is malformed: ${reason}.`),
  });
  if (field === undefined) {
    throw new GatewayError("missing_model", "You must provide a model field ('<provider>/<model>') in the form.", { param: "model" });
  }
  try {
    authorizeModel(request, field.model);
    const plan = context.state.planner.plan(field.model, "transcriptions");
    // The upload streams through once, so only the first deployment in the plan's order is tried.
    await relayExchange(context, response, {
      endpoint: "transcriptions",
      method: "POST",
      plan,
      repeatable: false,
      estimatedTokens: 0,
      body: (route) => field.body(route.upstreamModel),
      headers: (route) => {
        const length = field.contentLength(route.upstreamModel);
        const headers: Record<string, string> = { ...route.target.baseHeaders, "content-type": contentType };
        if (length !== undefined) headers["content-length"] = String(length);
        return headers;
      },
    });
  } finally {
    await field.dispose();
  }
}
