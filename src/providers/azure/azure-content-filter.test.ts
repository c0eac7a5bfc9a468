import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { convertAzureError, describeFilteredCompletion, filteredCategories } from "./azure-content-filter.js";

function fixture(name: string): Buffer {
  return readFileSync(new URL(`../../../test/fixtures/${name}`, import.meta.url));
}

describe("convertAzureError", () => {
  it("turns a content-filter 400 into an OpenAI error that names the category", () => {
    expect(convertAzureError({ status: 400, contentType: "application/json", body: fixture("azure-error-content-filter.json"), secrets: [] })).toEqual({
      status: 400,
      contentFilter: true,
      body: {
        error: {
          message: "Azure OpenAI's content filter blocked the prompt (sexual (high)). Rephrase the prompt, or change the content filter configuration of the Azure deployment.",
          type: "invalid_request_error",
          param: "prompt",
          code: "content_filter",
        },
      },
    });
  });

  it("reads the jailbreak filter, which has no severity", () => {
    const converted = convertAzureError({ status: 400, body: fixture("azure-error-content-filter-jailbreak.json"), secrets: [] });
    expect(converted.body.error.message).toContain("blocked the prompt (jailbreak).");
  });

  it("reads the inner_error / content_filter_results variant", () => {
    const converted = convertAzureError({ status: 400, body: fixture("azure-error-content-filter-inner-error.json"), secrets: [] });
    expect(converted).toMatchObject({ contentFilter: true, body: { error: { code: "content_filter", message: expect.stringContaining("(jailbreak)") } } });
  });

  it("normalises Azure's other {code, message} errors, keeping status and code", () => {
    expect(convertAzureError({ status: 404, contentType: "application/json", body: fixture("azure-error-deployment-not-found.json"), secrets: [] })).toEqual({
      status: 404,
      contentFilter: false,
      body: {
        error: {
          message: "The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.",
          type: "not_found_error",
          param: null,
          code: "DeploymentNotFound",
        },
      },
    });
  });

  it("never echoes the key", () => {
    const key = "0123456789abcdef0123456789abcdef";
    const body = JSON.stringify({ error: { code: "401", message: `Access denied due to invalid subscription key ${key}.` } });
    expect(JSON.stringify(convertAzureError({ status: 401, body, secrets: [key] }))).not.toContain(key);
  });
});

describe("filteredCategories and describeFilteredCompletion", () => {
  it("lists only filtered categories, with severity when given", () => {
    expect(filteredCategories({ hate: { filtered: false, severity: "safe" }, violence: { filtered: true, severity: "medium" }, jailbreak: { filtered: true, detected: true } })).toEqual([
      "violence (medium)",
      "jailbreak",
    ]);
    expect(filteredCategories(undefined)).toEqual([]);
  });

  it("says what cut a completion short, and nothing for a normal one", () => {
    const filtered = { choices: [{ index: 0, finish_reason: "content_filter", message: { role: "assistant" }, content_filter_results: { violence: { filtered: true, severity: "high" } } }] };
    expect(describeFilteredCompletion(filtered)).toBe("violence (high)");
    expect(describeFilteredCompletion({ choices: [{ index: 0, finish_reason: "content_filter" }] })).toBe("unspecified category");
    expect(describeFilteredCompletion({ choices: [{ index: 0, finish_reason: "stop" }] })).toBeUndefined();
  });
});
