/**
 * @module secrets/safe-url.test
 * URLs in messages keep scheme, host and path and lose user-info, query and fragment.
 */
import { describe, expect, it } from "vitest";
import { safeUrl } from "./safe-url.js";

describe("safeUrl", () => {
  it("drops user-info, query and fragment", () => {
    expect(safeUrl("https://user:pass@api.example.test:8443/v1beta/openai?key=AIza123#frag")).toBe("https://api.example.test:8443/v1beta/openai");
  });

  it("keeps a bare origin without adding a slash, and a path as it is", () => {
    expect(safeUrl("http://127.0.0.1:11434")).toBe("http://127.0.0.1:11434");
    expect(safeUrl("http://127.0.0.1:11434/")).toBe("http://127.0.0.1:11434/");
    expect(safeUrl("http://localhost:1234/v1")).toBe("http://localhost:1234/v1");
  });

  it("cuts the same parts from text that is not a valid URL", () => {
    expect(safeUrl("ftp://user:secret@host name/x?key=abc")).toBe("ftp://host name/x");
    expect(safeUrl("not a url?token=abc")).toBe("not a url");
  });

  it("still scrubs a key that sits in the path", () => {
    expect(safeUrl("http://proxy.test/sk-abcdefghijklmnopqrstuv/v1")).toBe("http://proxy.test/[redacted]/v1");
  });
});
