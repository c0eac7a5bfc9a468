/**
 * @module discovery/list-anthropic-models.test
 * One page of Anthropic's `GET /v1/models` (wire-quirks.md §9a, docs.anthropic.com models-list).
 */
import { describe, expect, it } from "vitest";
import { parseAnthropicModelPage } from "./list-anthropic-models.js";

describe("parseAnthropicModelPage", () => {
  it("reads the documented page shape", () => {
    const json = {
      data: [{ created_at: "2024-06-20T00:00:00Z", display_name: "Claude 3.5 Sonnet", id: "claude-3-5-sonnet-latest", type: "model" }],
      first_id: "claude-3-5-sonnet-latest",
      has_more: false,
      last_id: "claude-3-5-sonnet-latest",
    };
    expect(parseAnthropicModelPage(json)).toEqual({
      models: [{ id: "claude-3-5-sonnet-latest", type: "chat", displayName: "Claude 3.5 Sonnet" }],
      hasMore: false,
      lastId: "claude-3-5-sonnet-latest",
    });
  });

  it("falls back to the last model's id as the cursor when last_id is missing", () => {
    const json = { data: [{ id: "claude-a", type: "model" }, { id: "claude-b", type: "model" }], has_more: true };
    expect(parseAnthropicModelPage(json)).toMatchObject({ hasMore: true, lastId: "claude-b" });
  });

  it("returns undefined for Anthropic's error shape", () => {
    expect(parseAnthropicModelPage({ type: "error", error: { type: "authentication_error", message: "invalid x-api-key" }, request_id: "req_1" })).toBeUndefined();
  });
});
