import { describe, expect, it } from "vitest";
import { createAzureDeploymentMap } from "./azure-deployments.js";
import { AZURE_DEFAULT_API_VERSION, azureHeaders, createAzureUrlBuilder } from "./azure-endpoint.js";
import { GatewayError } from "../../errors/gateway-error.js";

describe("createAzureUrlBuilder: dated api-version form", () => {
  const builder = createAzureUrlBuilder("https://my-resource.openai.azure.com", { kind: "deployments", apiVersion: AZURE_DEFAULT_API_VERSION });

  it("puts the deployment in the path and the api-version in the query", () => {
    expect(builder.url("chat", "gpt-4o-prod")).toBe("https://my-resource.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21");
    expect(builder.url("embeddings", "text-embedding-3-small")).toBe("https://my-resource.openai.azure.com/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-10-21");
    expect(builder.url("transcriptions", "whisper")).toBe("https://my-resource.openai.azure.com/openai/deployments/whisper/audio/transcriptions?api-version=2024-10-21");
    expect(builder.deploymentInBody).toBe(false);
  });

  it("lists the resource's models without a deployment", () => {
    expect(builder.url("models", "ignored")).toBe("https://my-resource.openai.azure.com/openai/models?api-version=2024-10-21");
  });

  it("accepts an endpoint pasted with its /openai path or a trailing slash", () => {
    for (const endpoint of ["https://my-resource.openai.azure.com/", "https://my-resource.openai.azure.com/openai/v1", "https://my-resource.openai.azure.com/openai/deployments/x/chat/completions?api-version=1"]) {
      expect(createAzureUrlBuilder(endpoint, { kind: "deployments", apiVersion: "2025-04-01-preview" }).url("chat", "d")).toBe(
        "https://my-resource.openai.azure.com/openai/deployments/d/chat/completions?api-version=2025-04-01-preview",
      );
    }
  });

  it("refuses a deployment name that would change the path", () => {
    for (const name of ["../admin", "a/b", "x?y", "", ".."]) {
      expect(() => builder.url("chat", name)).toThrow(GatewayError);
    }
    expect(builder.url("chat", "gpt-4.1")).toContain("/deployments/gpt-4.1/");
  });

  it("refuses an api-version Azure would not know", () => {
    expect(() => createAzureUrlBuilder("https://r.openai.azure.com", { kind: "deployments", apiVersion: "latest" })).toThrow(TypeError);
  });
});

describe("createAzureUrlBuilder: v1 form", () => {
  it("needs no api-version and leaves the deployment to the body", () => {
    const builder = createAzureUrlBuilder("https://my-resource.openai.azure.com", { kind: "v1" });
    expect(builder.url("chat", "gpt-4o-prod")).toBe("https://my-resource.openai.azure.com/openai/v1/chat/completions");
    expect(builder.url("models", "")).toBe("https://my-resource.openai.azure.com/openai/v1/models");
    expect(builder.deploymentInBody).toBe(true);
  });

  it("adds api-version=preview when asked", () => {
    expect(createAzureUrlBuilder("https://r.openai.azure.com/openai/v1/", { kind: "v1", apiVersion: "preview" }).url("chat", "d")).toBe("https://r.openai.azure.com/openai/v1/chat/completions?api-version=preview");
    expect(() => createAzureUrlBuilder("https://r.openai.azure.com", { kind: "v1", apiVersion: "2024-10-21" })).toThrow(TypeError);
  });
});

describe("azureHeaders", () => {
  it("sends the key as api-key and never as a Bearer token", () => {
    expect(azureHeaders("azure-key")).toEqual({ "api-key": "azure-key" });
    expect(azureHeaders(undefined)).toEqual({});
  });
});

describe("createAzureDeploymentMap", () => {
  it("maps client model names to deployments and falls back to the name itself", () => {
    const map = createAzureDeploymentMap({ "gpt-4o": "prod-4o-eu", "gpt-4o-mini": "mini" });
    expect(map.deploymentFor("gpt-4o")).toBe("prod-4o-eu");
    expect(map.deploymentFor("gpt-4o-mini")).toBe("mini");
    expect(map.deploymentFor("o3")).toBe("o3");
  });

  it("refuses a deployment name that cannot be a path segment when the config loads", () => {
    expect(() => createAzureDeploymentMap({ "gpt-4o": "prod/4o" })).toThrow(/gpt-4o/);
  });
});
