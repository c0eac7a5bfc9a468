import { describe, expect, it } from "vitest";
import type { MultipartScanOutcome } from "./multipart-field-scanner.js";
import { MAX_FIELD_VALUE_BYTES, MAX_PART_HEADER_BYTES, MultipartFieldScanner, parseHeaderValue } from "./multipart-field-scanner.js";

const BOUNDARY = "----formdata-test-42";

class MalformedError extends Error {}

function scanner(): MultipartFieldScanner {
  return new MultipartFieldScanner({
    boundary: BOUNDARY,
    fieldName: "model",
    onMalformed: (reason) => new MalformedError(reason),
  });
}

/** Feeds chunks until the scanner decides; "end" means it still waited when the input ran out. */
function scan(chunks: readonly Buffer[]): MultipartScanOutcome | "end" {
  const instance = scanner();
  for (const chunk of chunks) {
    const outcome = instance.write(chunk);
    if (outcome.kind !== "pending") return outcome;
  }
  return "end";
}

function part(disposition: string, content: string, extraHeaders = ""): string {
  return `--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${extraHeaders}\r\n${content}\r\n`;
}

const BODY = Buffer.from(
  "preamble text\r\n" +
    part('form-data; name="file"; filename="model"', "RIFF\r\n--not-the-boundary\r\n\r\n", "Content-Type: audio/wav\r\n") +
    part('form-data; name="model_name"', "decoy") +
    part('form-data; name="model"', "ollama/whisper-1") +
    part('form-data; name="language"', "en") +
    `--${BOUNDARY}--\r\n`,
  "latin1",
);
const VALUE_START = BODY.indexOf("ollama/whisper-1");

function expectModelAt(outcome: MultipartScanOutcome | "end", value: string, start: number): void {
  expect(outcome).toEqual({
    kind: "field",
    value: Buffer.from(value),
    valueStart: start,
    valueEnd: start + Buffer.byteLength(value),
  });
}

describe("MultipartFieldScanner", () => {
  it("finds the model value, skipping a preamble, a file named model and a model_name field", () => {
    expectModelAt(scan([BODY]), "ollama/whisper-1", VALUE_START);
  });

  it("finds the value however the body is split into two chunks", () => {
    for (let offset = 0; offset <= BODY.length; offset += 1) {
      expectModelAt(scan([BODY.subarray(0, offset), BODY.subarray(offset)]), "ollama/whisper-1", VALUE_START);
    }
  });

  it("finds the value when the body arrives one byte at a time", () => {
    const bytes = Array.from({ length: BODY.length }, (_, index) => BODY.subarray(index, index + 1));
    expectModelAt(scan(bytes), "ollama/whisper-1", VALUE_START);
  });

  it("accepts a body that starts with the boundary, an unquoted name and transport padding", () => {
    const body = Buffer.from(`--${BOUNDARY} \t\r\ncontent-disposition: Form-Data; NAME=model\r\n\r\nm\r\n--${BOUNDARY}--`);
    expectModelAt(scan([body]), "m", body.indexOf("\r\n\r\nm") + 4);
  });

  it("reports an empty model value", () => {
    const body = Buffer.from(part('form-data; name="model"', "") + `--${BOUNDARY}--`);
    const start = body.indexOf("\r\n\r\n") + 4;
    expectModelAt(scan([body]), "", start);
  });

  it("skips a part without headers", () => {
    const body = Buffer.from(`--${BOUNDARY}\r\n\r\nx\r\n` + part('form-data; name="model"', "m") + `--${BOUNDARY}--`);
    expectModelAt(scan([body]), "m", body.lastIndexOf("\r\n\r\nm") + 4);
  });

  it("reports the closing delimiter when no part is named model", () => {
    const body = Buffer.from(part('form-data; name="file"; filename="model"', "x") + `--${BOUNDARY}--\r\n`);
    expect(scan([body])).toEqual({ kind: "closed" });
  });

  it("keeps waiting, without holding the content, when the closing delimiter never comes", () => {
    const body = Buffer.from(part('form-data; name="file"', "x".repeat(100_000)));
    const instance = scanner();
    expect(instance.write(body)).toEqual({ kind: "pending" });
    expect(instance.errorAtEnd()).toBeInstanceOf(MalformedError);
    expect(instance.errorAtEnd().message).toMatch(/closing boundary/);
  });

  it("says when the body has no boundary at all", () => {
    const instance = scanner();
    expect(instance.write(Buffer.from("just text"))).toEqual({ kind: "pending" });
    expect(instance.errorAtEnd().message).toMatch(/no boundary/);
  });

  it("refuses a header section longer than the limit, even in small chunks", () => {
    const body = Buffer.from(`--${BOUNDARY}\r\nX-Padding: ${"a".repeat(MAX_PART_HEADER_BYTES)}\r\n\r\n`);
    expect(() => scan([body])).toThrow(MalformedError);
    const chunks = Array.from({ length: Math.ceil(body.length / 100) }, (_, index) => body.subarray(index * 100, index * 100 + 100));
    expect(() => scan(chunks)).toThrow(/headers exceed/);
  });

  it("refuses a model value longer than the limit, before it ends", () => {
    const start = Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="model"\r\n\r\n`);
    expect(() => scan([start, Buffer.alloc(MAX_FIELD_VALUE_BYTES + 100, "m")])).toThrow(/exceeds/);
    const exact = Buffer.concat([start, Buffer.alloc(MAX_FIELD_VALUE_BYTES, "m"), Buffer.from(`\r\n--${BOUNDARY}--`)]);
    expect(scan([exact])).toMatchObject({ kind: "field", valueStart: start.length });
  });

  it("refuses bytes after a boundary that are neither padding nor a line break", () => {
    const body = Buffer.from(`--${BOUNDARY}xyz\r\nContent-Disposition: form-data; name="model"\r\n\r\nm\r\n`);
    expect(() => scan([body])).toThrow(/unexpected bytes/);
  });
});

describe("parseHeaderValue", () => {
  it("lower-cases the type and parameter names and unquotes values", () => {
    const parsed = parseHeaderValue(' Form-Data ; Name="a b"; FILENAME=c.wav ');
    expect(parsed.type).toBe("form-data");
    expect([...parsed.parameters]).toEqual([
      ["name", "a b"],
      ["filename", "c.wav"],
    ]);
  });

  it("does not split at a semicolon or equals sign inside quotes", () => {
    const parsed = parseHeaderValue('form-data; filename="x; name=model"; name="file"');
    expect(parsed.parameters.get("name")).toBe("file");
    expect(parsed.parameters.get("filename")).toBe("x; name=model");
  });

  it("treats a backslash as literal, as browsers and undici write it", () => {
    const parsed = parseHeaderValue('form-data; filename="C:\\dir\\"; name="model"');
    expect(parsed.parameters.get("filename")).toBe("C:\\dir\\");
    expect(parsed.parameters.get("name")).toBe("model");
  });

  it("keeps the first of repeated parameters and drops one with an unterminated quote", () => {
    expect(parseHeaderValue('form-data; name="a"; name="b"').parameters.get("name")).toBe("a");
    expect(parseHeaderValue('form-data; name="model').parameters.has("name")).toBe(false);
  });
});
