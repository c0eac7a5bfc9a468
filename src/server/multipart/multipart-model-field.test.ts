import { once } from "node:events";
import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ReadModelFieldOptions } from "./multipart-model-field.js";
import { multipartBoundary, readMultipartModelField } from "./multipart-model-field.js";

const BOUNDARY = "----formdata-undici-0123456789";

class TooLargeError extends Error {}
class MalformedError extends Error {}

let parent = "";

beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), "multipart-model-field-test-"));
});

afterEach(async () => {
  await rm(parent, { recursive: true, force: true });
});

function options(overrides: Partial<ReadModelFieldOptions> = {}): ReadModelFieldOptions {
  return {
    boundary: BOUNDARY,
    maxBytes: 10 * 1024 * 1024,
    temporaryDirectory: parent,
    onTooLarge: () => new TooLargeError("too large"),
    onMalformed: (reason) => new MalformedError(reason),
    ...overrides,
  };
}

interface Part {
  readonly name: string;
  readonly filename?: string;
  readonly content: Buffer | string;
}

function multipartBody(parts: readonly Part[], closing = `--${BOUNDARY}--\r\n`): Buffer {
  const pieces: Buffer[] = [];
  for (const part of parts) {
    const filename = part.filename === undefined ? "" : `; filename="${part.filename}"\r\nContent-Type: application/octet-stream`;
    pieces.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"${filename}\r\n\r\n`));
    pieces.push(Buffer.from(part.content));
    pieces.push(Buffer.from("\r\n"));
  }
  pieces.push(Buffer.from(closing));
  return Buffer.concat(pieces);
}

/** Bytes that are not all alike, with CR, LF and dashes, so a scanner bug shows. */
function audio(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = 12345;
  for (let index = 0; index < length; index += 1) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    bytes[index] = [0x0d, 0x0a, 0x2d][state % 7] ?? state % 256;
  }
  return bytes;
}

/** A source handing out exactly the given chunks, one per _read, recording how many it gave. */
class RecordingSource extends Readable {
  readonly #chunks: readonly Buffer[];
  handedOut = 0;

  constructor(chunks: readonly Buffer[]) {
    // highWaterMark 1: Node buffers at most one chunk ahead, so chunk boundaries stay as given.
    super({ highWaterMark: 1 });
    this.#chunks = chunks;
  }

  override _read(): void {
    const chunk = this.#chunks[this.handedOut];
    this.handedOut += 1;
    this.push(chunk ?? null);
  }
}

function chop(body: Buffer, size: number): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += size) chunks.push(body.subarray(offset, offset + size));
  return chunks;
}

/** mulberry32: a seeded generator, so a failing random chunking can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Buffer.equals, not toEqual: vitest's deep diff of large buffers is slow. */
function expectSameBytes(actual: Buffer, expected: Buffer, message?: string): void {
  expect(actual.length, message).toBe(expected.length);
  expect(actual.equals(expected), message).toBe(true);
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe("readMultipartModelField", () => {
  it("spills a file part larger than the memory limit to a private temp file and forwards the bytes with only the model replaced", async () => {
    const file = audio(50 * 1024);
    const parts = (model: string): Part[] => [
      { name: "file", filename: "speech.wav", content: file },
      { name: "model", content: model },
      { name: "response_format", content: "json" },
    ];
    const input = multipartBody(parts("ollama/whisper-1"));
    const source = new RecordingSource(chop(input, 4096));
    const field = await readMultipartModelField(source, options({ memoryLimitBytes: 1024 }));
    expect(field?.model).toBe("ollama/whisper-1");

    const [directory, ...others] = await readdir(parent);
    expect(others).toEqual([]);
    const spoolFile = join(parent, directory ?? "", "upload");
    expect((await stat(spoolFile)).mode & 0o777).toBe(0o600);

    const body = field?.body("whisper-1") ?? Readable.from([]);
    const closed = once(body, "close");
    expectSameBytes(await readAll(body), multipartBody(parts("whisper-1")));
    await closed;
    expect(await readdir(parent)).toEqual([]);
  });

  it("forwards without a temp file when the model comes first", async () => {
    const rest = audio(20 * 1024);
    const input = multipartBody([
      { name: "model", content: "ollama/whisper-1" },
      { name: "file", filename: "a.wav", content: rest },
    ]);
    const field = await readMultipartModelField(new RecordingSource(chop(input, 512)), options({ memoryLimitBytes: 1024 }));
    expect(await readdir(parent)).toEqual([]);
    const output = await readAll(field?.body("whisper-1") ?? Readable.from([]));
    expectSameBytes(output, multipartBody([
      { name: "model", content: "whisper-1" },
      { name: "file", filename: "a.wav", content: rest },
    ]));
  });

  it("finds a delimiter split across every possible chunk boundary", async () => {
    const parts = (model: string): Part[] => [
      { name: "file", filename: "x.wav", content: "\r\n--\r\n-" },
      { name: "model", content: model },
      { name: "language", content: "en" },
    ];
    const input = multipartBody(parts("ollama/whisper-1"));
    const expected = multipartBody(parts("whisper-1"));
    for (let offset = 1; offset < input.length; offset += 1) {
      const source = new RecordingSource([input.subarray(0, offset), input.subarray(offset)]);
      const field = await readMultipartModelField(source, options({ memoryLimitBytes: 16 }));
      expect(field?.model, `split at ${offset}`).toBe("ollama/whisper-1");
      expect(await readAll(field?.body("whisper-1") ?? Readable.from([])), `split at ${offset}`).toEqual(expected);
    }
    expect(await readdir(parent)).toEqual([]);
  });

  it("forwards the same bytes for random chunkings (seeded), with a preamble and an epilogue", async () => {
    const file = audio(3000);
    const parts = (model: string): Part[] => [
      { name: "file", filename: "x.wav", content: file },
      { name: "model", content: model },
    ];
    const wrap = (body: Buffer): Buffer => Buffer.concat([Buffer.from("preamble\r\n"), body, Buffer.from("epilogue")]);
    const input = wrap(multipartBody(parts("ollama/whisper-1")));
    const expected = wrap(multipartBody(parts("whisper-1")));
    const random = seededRandom(7);
    for (let round = 0; round < 50; round += 1) {
      const chunks: Buffer[] = [];
      for (let offset = 0; offset < input.length; ) {
        const size = 1 + Math.floor(random() * 300);
        chunks.push(input.subarray(offset, offset + size));
        offset += size;
      }
      const field = await readMultipartModelField(new RecordingSource(chunks), options({ memoryLimitBytes: 1024 }));
      expectSameBytes(await readAll(field?.body("whisper-1") ?? Readable.from([])), expected, `round ${round}`);
    }
    expect(await readdir(parent)).toEqual([]);
  });

  it("resolves undefined, leaving no temp file, when there is no model part", async () => {
    const input = multipartBody([
      { name: "file", filename: "model", content: audio(5000) },
      { name: "language", content: "en" },
    ]);
    const field = await readMultipartModelField(new RecordingSource(chop(input, 1000)), options({ memoryLimitBytes: 1024 }));
    expect(field).toBeUndefined();
    expect(await readdir(parent)).toEqual([]);
  });

  it("does not mistake a model_name field for the model", async () => {
    const input = multipartBody([
      { name: "model_name", content: "decoy" },
      { name: "model", content: "ollama/whisper-1" },
    ]);
    const field = await readMultipartModelField(new RecordingSource([input]), options());
    expect(field?.model).toBe("ollama/whisper-1");
    await field?.dispose();
  });

  it("rejects with the onTooLarge error, cleaning up, when the upload passes maxBytes before the model", async () => {
    const input = multipartBody([
      { name: "file", filename: "a.wav", content: audio(10_000) },
      { name: "model", content: "ollama/whisper-1" },
    ]);
    const reading = readMultipartModelField(new RecordingSource(chop(input, 1000)), options({ maxBytes: 5000, memoryLimitBytes: 1024 }));
    await expect(reading).rejects.toBeInstanceOf(TooLargeError);
    expect(await readdir(parent)).toEqual([]);
  });

  it("rejects at once, reading nothing, when the declared length passes maxBytes", async () => {
    const source = new RecordingSource([Buffer.alloc(10)]);
    await expect(readMultipartModelField(source, options({ maxBytes: 5000, declaredLength: 5001 }))).rejects.toBeInstanceOf(TooLargeError);
    expect(source.handedOut).toBe(0);
  });

  it("errors the body with the onTooLarge error when the rest of the upload passes maxBytes", async () => {
    const input = multipartBody([
      { name: "model", content: "ollama/whisper-1" },
      { name: "file", filename: "a.wav", content: audio(10_000) },
    ]);
    const field = await readMultipartModelField(new RecordingSource(chop(input, 1000)), options({ maxBytes: 5000 }));
    await expect(readAll(field?.body("whisper-1") ?? Readable.from([]))).rejects.toBeInstanceOf(TooLargeError);
  });

  it("rejects as malformed, cleaning up, when the closing boundary never comes", async () => {
    const input = multipartBody([{ name: "file", filename: "a.wav", content: audio(4000) }], "");
    const reading = readMultipartModelField(new RecordingSource(chop(input, 1000)), options({ memoryLimitBytes: 1024 }));
    await expect(reading).rejects.toBeInstanceOf(MalformedError);
    expect(await readdir(parent)).toEqual([]);
  });

  it("rejects as malformed when the model value is longer than 4 KiB", async () => {
    const input = multipartBody([{ name: "model", content: "m".repeat(5000) }]);
    await expect(readMultipartModelField(new RecordingSource(chop(input, 1000)), options())).rejects.toThrow(/exceeds/);
  });

  it("rejects with the source's error, cleaning up, when the client goes away mid-upload", async () => {
    const source = new Readable({ read() {} });
    source.push(multipartBody([{ name: "file", filename: "a.wav", content: audio(3000) }], ""));
    const reading = readMultipartModelField(source, options({ memoryLimitBytes: 1024 }));
    setImmediate(() => source.destroy(new Error("aborted")));
    await expect(reading).rejects.toThrow("aborted");
    expect(await readdir(parent)).toEqual([]);
  });

  it("computes the forwarded content length from the declared one", async () => {
    const input = multipartBody([
      { name: "file", filename: "a.wav", content: audio(2000) },
      { name: "model", content: "ollama/whisper-1" },
    ]);
    const field = await readMultipartModelField(new RecordingSource([input]), options({ declaredLength: input.length }));
    expect(field?.contentLength("whisper-1")).toBe(input.length - "ollama/".length);
    expect(field?.contentLength("große-modell")).toBe(input.length - "ollama/whisper-1".length + Buffer.byteLength("große-modell"));
    const output = await readAll(field?.body("whisper-1") ?? Readable.from([]));
    expect(output.length).toBe(field?.contentLength("whisper-1"));

    const undeclared = await readMultipartModelField(new RecordingSource([input]), options());
    expect(undeclared?.contentLength("whisper-1")).toBeUndefined();
    await undeclared?.dispose();
  });

  it("errors the body when the upload's length differs from the declared one", async () => {
    const input = multipartBody([{ name: "model", content: "ollama/whisper-1" }]);
    const field = await readMultipartModelField(new RecordingSource([input]), options({ declaredLength: input.length + 10 }));
    await expect(readAll(field?.body("whisper-1") ?? Readable.from([]))).rejects.toThrow(/content-length/);
  });

  it("does not read the rest of the upload until the body is consumed", async () => {
    const input = multipartBody([
      { name: "model", content: "ollama/whisper-1" },
      { name: "file", filename: "a.wav", content: audio(100 * 1024) },
    ]);
    const chunks = chop(input, 1024);
    const source = new RecordingSource(chunks);
    const field = await readMultipartModelField(source, options());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(source.handedOut).toBeLessThan(5);

    const body = field?.body("whisper-1") ?? Readable.from([]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(source.handedOut).toBeLessThan(5);

    await once(body, "readable");
    expect(source.handedOut).toBeLessThan(chunks.length / 2);
    expect((await readAll(body)).length).toBe(input.length - "ollama/".length);
    expect(source.handedOut).toBe(chunks.length + 1);
  });

  it("forwards a body built by FormData exactly as a client library sends it, file before model", async () => {
    const form = new FormData();
    const file = audio(70_000);
    form.append("file", new File([file], "speech.wav", { type: "audio/wav" }));
    form.append("model", "ollama/whisper-1");
    form.append("language", "en");
    const request = new Request("http://gateway.test/v1/audio/transcriptions", { method: "POST", body: form });
    const contentType = request.headers.get("content-type") ?? undefined;
    const input = Buffer.from(await request.arrayBuffer());
    const boundary = multipartBoundary(contentType);
    expect(boundary).toBeDefined();

    const field = await readMultipartModelField(
      new RecordingSource(chop(input, 16 * 1024)),
      options({ boundary: boundary ?? "", declaredLength: input.length, memoryLimitBytes: 8 * 1024 }),
    );
    expect(field?.model).toBe("ollama/whisper-1");
    const output = await readAll(field?.body("whisper-1") ?? Readable.from([]));
    expect(output.length).toBe(field?.contentLength("whisper-1"));

    const forwarded = await new Response(output, { headers: { "content-type": contentType ?? "" } }).formData();
    expect(forwarded.get("model")).toBe("whisper-1");
    expect(forwarded.get("language")).toBe("en");
    const forwardedFile = forwarded.get("file");
    expect(forwardedFile).toBeInstanceOf(File);
    expectSameBytes(Buffer.from(await (forwardedFile as File).arrayBuffer()), file);
    expect(await readdir(parent)).toEqual([]);
  });

  it("lets body() be taken once, refuses CR or LF in the new model, and disposes idempotently", async () => {
    const input = multipartBody([{ name: "model", content: "ollama/whisper-1" }]);
    const field = await readMultipartModelField(new RecordingSource([input]), options());
    expect(() => field?.body("a\r\n--x")).toThrow(TypeError);
    field?.body("whisper-1").destroy();
    expect(() => field?.body("whisper-1")).toThrow(/already/);
    await field?.dispose();
    await field?.dispose();

    const disposed = await readMultipartModelField(new RecordingSource([input]), options());
    await disposed?.dispose();
    expect(() => disposed?.body("whisper-1")).toThrow(/dispose/);
  });

  it("deletes the temp file when the consumer destroys the body part-way", async () => {
    const input = multipartBody([
      { name: "file", filename: "a.wav", content: audio(20_000) },
      { name: "model", content: "ollama/whisper-1" },
      { name: "tail", filename: "b.wav", content: audio(20_000) },
    ]);
    const field = await readMultipartModelField(new RecordingSource(chop(input, 1000)), options({ memoryLimitBytes: 1024 }));
    expect(await readdir(parent)).toHaveLength(1);
    const body = field?.body("whisper-1") ?? Readable.from([]);
    await once(body, "readable");
    body.destroy();
    await once(body, "close");
    expect(await readdir(parent)).toEqual([]);
  });
});

describe("multipartBoundary", () => {
  it("reads a quoted or unquoted boundary from a multipart/form-data content type", () => {
    expect(multipartBoundary("multipart/form-data; boundary=----formdata-undici-01")).toBe("----formdata-undici-01");
    expect(multipartBoundary('Multipart/Form-Data; charset=utf-8; Boundary="a b:c"')).toBe("a b:c");
  });

  it("returns undefined for other types, a missing boundary or one RFC 2046 forbids", () => {
    expect(multipartBoundary(undefined)).toBeUndefined();
    expect(multipartBoundary("application/json")).toBeUndefined();
    expect(multipartBoundary("multipart/mixed; boundary=abc")).toBeUndefined();
    expect(multipartBoundary("multipart/form-data")).toBeUndefined();
    expect(multipartBoundary('multipart/form-data; boundary=""')).toBeUndefined();
    expect(multipartBoundary(`multipart/form-data; boundary=${"a".repeat(71)}`)).toBeUndefined();
    expect(multipartBoundary('multipart/form-data; boundary="ends in space "')).toBeUndefined();
  });
});
