/**
 * @module discovery/list-azure-deployments.test
 * Azure OpenAI's data-plane deployments list (api-version 2022-12-01): `{data:[{id, model, owner,
 * status, object:"deployment"}]}`. The shape comes from that api-version's published OpenAPI file;
 * wire-quirks.md §13 marks the data-plane list as unverified on the wire.
 */
import { describe, expect, it } from "vitest";
import { parseAzureDeployments } from "./list-azure-deployments.js";

describe("parseAzureDeployments", () => {
  it("lists deployment names, classified by the model behind each", () => {
    const json = {
      data: [
        { scale_settings: { scale_type: "standard" }, model: "gpt-4o", owner: "organization-owner", id: "prod-chat", status: "succeeded", created_at: 1700000000, updated_at: 1700000000, object: "deployment" },
        { model: "text-embedding-3-large", owner: "organization-owner", id: "embedder", status: "succeeded", object: "deployment" },
        { model: "whisper", id: "whisper", status: "succeeded", object: "deployment" },
      ],
      object: "list",
    };
    expect(parseAzureDeployments(json)).toEqual([
      { id: "prod-chat", type: "chat", displayName: "prod-chat (gpt-4o)", ownedBy: "organization-owner" },
      { id: "embedder", type: "embedding", displayName: "embedder (text-embedding-3-large)", ownedBy: "organization-owner" },
      { id: "whisper", type: "stt" },
    ]);
  });

  it("returns undefined for Azure's error shape", () => {
    expect(parseAzureDeployments({ error: { code: "401", message: "Access denied due to invalid subscription key." } })).toBeUndefined();
  });
});
