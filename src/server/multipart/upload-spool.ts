/**
 * @module server/multipart/upload-spool
 * Holds the bytes of an upload read before they can be forwarded: in memory up to a threshold,
 * then in a private temporary file, so an upload is never held whole in memory.
 */
import type { FileHandle } from "node:fs/promises";
import { mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Bytes read from the temporary file per step when streaming it back; matches fs.createReadStream. */
const FILE_READ_BYTES = 64 * 1024;

/** Options for {@link UploadSpool}. */
export interface UploadSpoolOptions {
  /** Bytes kept in memory; the first append that would pass this moves everything to a file. */
  readonly memoryLimitBytes: number;
  /** Parent of the temporary directory; os.tmpdir() unless a test or deployment says otherwise. */
  readonly directory?: string;
}

/**
 * An append-only byte store that spills to a temporary file (mode 0o600, inside a fresh
 * mkdtemp directory) once it grows past its memory limit. Appends must be awaited one at a time.
 */
export class UploadSpool {
  readonly #memoryLimitBytes: number;
  readonly #directory: string;
  #chunks: Buffer[] = [];
  #length = 0;
  #handle: FileHandle | undefined;
  #temporaryDirectory: string | undefined;
  #filePath: string | undefined;
  #disposal: Promise<void> | undefined;
  /** The file append in flight, so disposal waits for a temporary file still being created. */
  #appending: Promise<void> = Promise.resolve();

  constructor(options: UploadSpoolOptions) {
    this.#memoryLimitBytes = options.memoryLimitBytes;
    this.#directory = options.directory ?? tmpdir();
  }

  /** Total bytes appended so far. */
  get length(): number {
    return this.#length;
  }

  /** Path of the temporary file, once the spool has spilled; for diagnostics and tests. */
  get filePath(): string | undefined {
    return this.#filePath;
  }

  /** Adds bytes at the end, spilling to the temporary file when the memory limit would be passed. */
  append(chunk: Buffer): Promise<void> {
    if (this.#disposal !== undefined) return Promise.reject(new Error("upload spool is disposed"));
    if (this.#handle === undefined && this.#length + chunk.length <= this.#memoryLimitBytes) {
      this.#chunks.push(chunk);
      this.#length += chunk.length;
      return Promise.resolve();
    }
    const appending = this.#appendToFile(chunk);
    this.#appending = appending;
    return appending;
  }

  /** Yields the bytes in [start, end) lazily, one memory chunk or file block per step. */
  async *read(start: number, end: number): AsyncGenerator<Buffer> {
    const handle = this.#handle;
    if (handle === undefined) {
      let chunkStart = 0;
      for (const chunk of this.#chunks) {
        const chunkEnd = chunkStart + chunk.length;
        if (chunkEnd > start && chunkStart < end) {
          yield chunk.subarray(Math.max(start - chunkStart, 0), Math.min(end, chunkEnd) - chunkStart);
        }
        chunkStart = chunkEnd;
      }
      return;
    }
    for (let position = start; position < end; ) {
      // A fresh buffer per block: the consumer may hold it after we read the next one.
      const block = Buffer.allocUnsafe(Math.min(FILE_READ_BYTES, end - position));
      const { bytesRead } = await handle.read(block, 0, block.length, position);
      if (bytesRead === 0) throw new Error("upload spool file is shorter than what was written");
      position += bytesRead;
      yield block.subarray(0, bytesRead);
    }
  }

  /** Releases the memory and deletes the temporary file and directory. Safe to call more than once. */
  dispose(): Promise<void> {
    this.#disposal ??= this.#release();
    return this.#disposal;
  }

  async #appendToFile(chunk: Buffer): Promise<void> {
    const handle = this.#handle ?? (await this.#spill());
    await writeFully(handle, chunk, this.#length);
    this.#length += chunk.length;
  }

  async #spill(): Promise<FileHandle> {
    const temporaryDirectory = await mkdtemp(join(this.#directory, "switchyard-upload-"));
    this.#temporaryDirectory = temporaryDirectory;
    this.#filePath = join(temporaryDirectory, "upload");
    // "wx+" (read-write, exclusive): the directory is fresh, so an existing file would be planted.
    const handle = await open(this.#filePath, "wx+", 0o600);
    this.#handle = handle;
    let position = 0;
    for (const chunk of this.#chunks) {
      await writeFully(handle, chunk, position);
      position += chunk.length;
    }
    this.#chunks = [];
    return handle;
  }

  async #release(): Promise<void> {
    this.#chunks = [];
    await this.#appending.catch(() => undefined);
    const handle = this.#handle;
    this.#handle = undefined;
    // FileHandle.close() waits for a read still in flight, so a destroyed reader cannot race it.
    if (handle !== undefined) await handle.close();
    if (this.#temporaryDirectory !== undefined) {
      await rm(this.#temporaryDirectory, { recursive: true, force: true });
    }
  }
}

/** fs write may in principle write fewer bytes than asked; loop so the file never has a hole. */
async function writeFully(handle: FileHandle, chunk: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, written, chunk.length - written, position + written);
    written += bytesWritten;
  }
}
