/**
 * @module server/multipart/multipart-model-field
 * Reads a multipart/form-data upload only as far as its `model` field, so the caller can route it,
 * then streams the same bytes upstream with only the model value replaced. The official OpenAI SDKs
 * send the `file` part first, so what precedes the field is spooled (memory, then a temp file).
 */
import { Readable } from "node:stream";
import { MULTIPART_SPOOL_MEMORY_BYTES } from "../../defaults.js";
import { MultipartFieldScanner, parseHeaderValue } from "./multipart-field-scanner.js";
import { UploadSpool } from "./upload-spool.js";

/** The `model` field of an upload, and the means to forward the upload with another model. */
export interface MultipartModelField {
  /** The model value the client sent (decoded as UTF-8). */
  readonly model: string;
  /**
   * The upload with the model value replaced. Streams spooled bytes, then the rest of `source`,
   * pulled only as the consumer reads. Counts all bytes it produces from source; if the total upload
   * exceeds `maxBytes` it errors the stream with the error returned by options.onTooLarge(). Can be
   * called once (the source is consumed). Destroying the returned stream does not destroy `source`.
   * @throws TypeError if `newModel` contains CR or LF, which could forge a multipart delimiter.
   */
  body(newModel: string): Readable;
  /** Byte length of body(newModel) when the source's total length is known (from content-length), else undefined. */
  contentLength(newModel: string): number | undefined;
  /** Deletes the temp file (if any); safe to call more than once. Done automatically when body() ends or errors. */
  dispose(): Promise<void>;
}

/** Options for {@link readMultipartModelField}. */
export interface ReadModelFieldOptions {
  /** From the content-type header; see {@link multipartBoundary}. */
  readonly boundary: string;
  /** Whole upload limit, in bytes. */
  readonly maxBytes: number;
  /** Content-length of the upload if the client sent one. */
  readonly declaredLength?: number;
  /** Spool threshold: bytes before the model field kept in memory before spilling to a file. */
  readonly memoryLimitBytes?: number;
  /** Parent directory of the spool's temporary directory; os.tmpdir() by default. */
  readonly temporaryDirectory?: string;
  /** Error to throw or emit when the upload exceeds maxBytes. */
  readonly onTooLarge: () => Error;
  /** Error to throw for bad multipart (no closing boundary, oversized headers or model value, …). */
  readonly onMalformed: (reason: string) => Error;
}

/**
 * Reads `source` (an http.IncomingMessage or any Readable) until the `model` part's value is complete,
 * spooling what it has read. Resolves with the field; resolves `undefined` if the upload ended without a
 * `model` part (all temp files cleaned up). Rejects with onTooLarge()/onMalformed() errors (cleaning up),
 * or with the source's own error if it fails or closes early.
 * After it resolves, `source` is paused and not read further until body() is consumed; the caller
 * must call body() or dispose(). When it resolves `undefined` because the closing delimiter was seen,
 * an epilogue may remain unread in `source`.
 */
export async function readMultipartModelField(
  source: Readable,
  options: ReadModelFieldOptions,
): Promise<MultipartModelField | undefined> {
  if (options.declaredLength !== undefined && options.declaredLength > options.maxBytes) throw options.onTooLarge();
  const scanner = new MultipartFieldScanner({
    boundary: options.boundary,
    fieldName: "model",
    onMalformed: options.onMalformed,
  });
  const spool = new UploadSpool({
    memoryLimitBytes: options.memoryLimitBytes ?? MULTIPART_SPOOL_MEMORY_BYTES,
    ...(options.temporaryDirectory === undefined ? {} : { directory: options.temporaryDirectory }),
  });
  const reader = new SourceChunkReader(source);
  try {
    for (;;) {
      const chunk = await reader.next();
      if (chunk === null) throw scanner.errorAtEnd();
      if (spool.length + chunk.length > options.maxBytes) throw options.onTooLarge();
      const outcome = scanner.write(chunk);
      if (outcome.kind === "closed") {
        reader.detach();
        await spool.dispose();
        return undefined;
      }
      await spool.append(chunk);
      if (outcome.kind === "field") {
        return new SpooledModelField({
          model: outcome.value.toString("utf8"),
          valueStart: outcome.valueStart,
          valueEnd: outcome.valueEnd,
          spool,
          reader,
          options,
        });
      }
    }
  } catch (error) {
    reader.detach();
    await spool.dispose();
    throw error;
  }
}

/** RFC 2046 §5.1.1: 1–70 characters from a restricted set, not ending in a space. */
const BOUNDARY_PATTERN = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

/** Extracts the boundary from a content-type header value (quoted or not), or undefined if not multipart/form-data. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const { type, parameters } = parseHeaderValue(contentType);
  if (type !== "multipart/form-data") return undefined;
  const boundary = parameters.get("boundary");
  return boundary !== undefined && BOUNDARY_PATTERN.test(boundary) ? boundary : undefined;
}

interface SpooledModelFieldState {
  readonly model: string;
  readonly valueStart: number;
  readonly valueEnd: number;
  readonly spool: UploadSpool;
  readonly reader: SourceChunkReader;
  readonly options: ReadModelFieldOptions;
}

class SpooledModelField implements MultipartModelField {
  readonly model: string;
  readonly #state: SpooledModelFieldState;
  #bodyTaken = false;
  #disposal: Promise<void> | undefined;

  constructor(state: SpooledModelFieldState) {
    this.model = state.model;
    this.#state = state;
  }

  body(newModel: string): Readable {
    if (/[\r\n]/.test(newModel)) throw new TypeError("model name must not contain CR or LF");
    if (this.#bodyTaken) throw new Error("body() was already called; the upload can be read once");
    if (this.#disposal !== undefined) throw new Error("body() called after dispose()");
    this.#bodyTaken = true;
    return new ReplacedModelBody(produceBody(this.#state, newModel), () => this.dispose());
  }

  contentLength(newModel: string): number | undefined {
    const { declaredLength } = this.#state.options;
    if (declaredLength === undefined) return undefined;
    return declaredLength - (this.#state.valueEnd - this.#state.valueStart) + Buffer.byteLength(newModel, "utf8");
  }

  dispose(): Promise<void> {
    this.#state.reader.detach();
    this.#disposal ??= this.#state.spool.dispose();
    return this.#disposal;
  }
}

async function* produceBody(state: SpooledModelFieldState, newModel: string): AsyncGenerator<Buffer> {
  const { spool, reader, options } = state;
  yield* spool.read(0, state.valueStart);
  yield Buffer.from(newModel, "utf8");
  yield* spool.read(state.valueEnd, spool.length);
  let total = spool.length;
  for (;;) {
    const chunk = await reader.next();
    if (chunk === null) break;
    total += chunk.length;
    if (total > options.maxBytes) throw options.onTooLarge();
    yield chunk;
  }
  // contentLength() was computed from the declared length; a body of another size would make the
  // upstream request lie about its length, so fail it rather than send it.
  if (options.declaredLength !== undefined && total !== options.declaredLength) {
    throw options.onMalformed(`upload was ${total} bytes but content-length declared ${options.declaredLength}`);
  }
}

/** A Readable over an async generator that asks for the next chunk only when Node calls _read(). */
class ReplacedModelBody extends Readable {
  readonly #chunks: AsyncGenerator<Buffer>;
  readonly #release: () => Promise<void>;

  constructor(chunks: AsyncGenerator<Buffer>, release: () => Promise<void>) {
    super();
    this.#chunks = chunks;
    this.#release = release;
  }

  override _read(): void {
    this.#nextNonEmpty().then(
      (chunk) => {
        if (!this.destroyed) this.push(chunk);
      },
      (error: unknown) => this.destroy(asError(error)),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // Runs after 'end' too (autoDestroy), so the temp file goes however the stream finishes.
    this.#release().then(
      () => callback(error),
      (releaseError: unknown) => callback(error ?? asError(releaseError)),
    );
  }

  /** Skips empty chunks: pushing a zero-length Buffer does not count as progress for a Readable. */
  async #nextNonEmpty(): Promise<Buffer | null> {
    for (;;) {
      const result = await this.#chunks.next();
      if (result.done === true) return null;
      if (result.value.length > 0) return result.value;
    }
  }
}

/**
 * Pulls chunks from a paused Readable with read(), waiting on 'readable' when it has none. It keeps
 * its listeners from the scan until the body finishes, so an error while the caller resolves the
 * route is recorded, not thrown as an unhandled 'error' event.
 */
class SourceChunkReader {
  readonly #source: Readable;
  #ended: boolean;
  #failure: Error | undefined;
  #detached = false;
  #wake: (() => void) | undefined;

  constructor(source: Readable) {
    this.#source = source;
    this.#ended = source.readableEnded;
    this.#failure = source.errored ?? undefined;
    if (this.#failure === undefined && source.destroyed && !this.#ended) this.#failure = prematureClose();
    source.on("readable", this.#notify);
    source.on("end", this.#onEnd);
    source.on("error", this.#onError);
    source.on("close", this.#onClose);
  }

  /** The next chunk, or null once the source has ended. */
  async next(): Promise<Buffer | null> {
    for (;;) {
      if (this.#detached) throw new Error("upload reader was released");
      if (this.#failure !== undefined) throw this.#failure;
      const chunk: unknown = this.#source.read();
      if (chunk !== null) return asBuffer(chunk);
      if (this.#ended) return null;
      // read() returning null schedules 'readable' or 'end', so the wake-up cannot be missed.
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  /** Removes the listeners, leaving the source paused; a pending next() rejects. */
  detach(): void {
    if (this.#detached) return;
    this.#detached = true;
    this.#source.off("readable", this.#notify);
    this.#source.off("end", this.#onEnd);
    this.#source.off("error", this.#onError);
    this.#source.off("close", this.#onClose);
    this.#notify();
  }

  readonly #notify = (): void => {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  };

  readonly #onEnd = (): void => {
    this.#ended = true;
    this.#notify();
  };

  readonly #onError = (error: Error): void => {
    this.#failure ??= error;
    this.#notify();
  };

  readonly #onClose = (): void => {
    if (!this.#ended) this.#failure ??= prematureClose();
    this.#notify();
  };
}

/** The same error Node's stream.finished() reports for a stream closed before it ended. */
function prematureClose(): Error {
  return Object.assign(new Error("Premature close"), { code: "ERR_STREAM_PREMATURE_CLOSE" });
}

function asBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === "string") return Buffer.from(chunk, "utf8");
  throw new TypeError("multipart source produced a chunk that is not bytes");
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
