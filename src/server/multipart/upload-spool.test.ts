import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UploadSpool } from "./upload-spool.js";

let parent = "";

beforeEach(async () => {
  parent = await mkdtemp(join(tmpdir(), "upload-spool-test-"));
});

afterEach(async () => {
  await rm(parent, { recursive: true, force: true });
});

async function collect(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}

function bytes(length: number, seed: number): Buffer {
  const buffer = Buffer.alloc(length);
  for (let index = 0; index < length; index += 1) buffer[index] = (index * 31 + seed) % 256;
  return buffer;
}

/** Buffer.equals, not toEqual: vitest's deep diff of 200 KB buffers takes a second. */
function expectSameBytes(actual: Buffer, expected: Buffer): void {
  expect(actual.length).toBe(expected.length);
  expect(actual.equals(expected)).toBe(true);
}

describe("UploadSpool", () => {
  it("keeps bytes in memory while they fit under the limit", async () => {
    const spool = new UploadSpool({ memoryLimitBytes: 100, directory: parent });
    await spool.append(bytes(60, 1));
    await spool.append(bytes(40, 2));
    expect(spool.length).toBe(100);
    expect(spool.filePath).toBeUndefined();
    expect(await readdir(parent)).toEqual([]);
    expect(await collect(spool.read(50, 70))).toEqual(Buffer.concat([bytes(60, 1), bytes(40, 2)]).subarray(50, 70));
    await spool.dispose();
  });

  it("moves everything to a private temporary file once the limit would be passed", async () => {
    const spool = new UploadSpool({ memoryLimitBytes: 100, directory: parent });
    const all = Buffer.concat([bytes(60, 1), bytes(60, 2), bytes(200_000, 3)]);
    await spool.append(all.subarray(0, 60));
    await spool.append(all.subarray(60, 120));
    await spool.append(all.subarray(120));
    const filePath = spool.filePath;
    expect(filePath).toBeDefined();
    expect(filePath?.startsWith(parent)).toBe(true);
    expect((await stat(filePath ?? "")).mode & 0o777).toBe(0o600);
    expectSameBytes(await readFile(filePath ?? ""), all);
    expectSameBytes(await collect(spool.read(0, all.length)), all);
    expectSameBytes(await collect(spool.read(59, 70_001)), all.subarray(59, 70_001));
    expect(await collect(spool.read(5, 5))).toEqual(Buffer.alloc(0));
    await spool.dispose();
  });

  it("deletes the temporary directory on dispose, and a second dispose is harmless", async () => {
    const spool = new UploadSpool({ memoryLimitBytes: 10, directory: parent });
    await spool.append(bytes(50, 4));
    expect(await readdir(parent)).toHaveLength(1);
    await spool.dispose();
    await spool.dispose();
    expect(await readdir(parent)).toEqual([]);
  });

  it("refuses appends after dispose", async () => {
    const spool = new UploadSpool({ memoryLimitBytes: 10, directory: parent });
    await spool.dispose();
    await expect(spool.append(bytes(5, 5))).rejects.toThrow(/disposed/);
  });

  it("waits for a spill in flight before deleting, so no temporary file is left behind", async () => {
    const spool = new UploadSpool({ memoryLimitBytes: 10, directory: parent });
    const appending = spool.append(bytes(50, 6));
    const disposing = spool.dispose();
    await appending;
    await disposing;
    expect(await readdir(parent)).toEqual([]);
  });
});
