/**
 * @module store/open-sqlite.test
 * What only the SQLite store does: owner-only files, another process's lock, a vanished file.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, rm, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "./open-store.js";
import { StoreUnavailableError, type NewCredential, type Store } from "./store-types.js";

const credential = (name: string): NewCredential => ({
  name,
  kind: "ollama",
  baseUrl: null,
  apiKeyEnvelope: null,
  serviceUrls: {},
  serviceKeysEnvelope: null,
  headersEnvelope: null,
  providerFields: {},
  enabled: true,
  priority: 0,
});

describe("SQLite store", () => {
  let directory: string;
  const opened: Store[] = [];
  const open = async (file: string, busyTimeoutMs?: number): Promise<Store> => {
    const store = await openStore({ kind: "sqlite", file, ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }) });
    opened.push(store);
    return store;
  };

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "switchyard-sqlite-"));
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    await rm(directory, { recursive: true, force: true });
  });

  it("creates the database file, and a missing data directory, readable by the owner only", async () => {
    const file = join(directory, "data", "switchyard.db");
    const store = await open(file);
    await store.createCredential(credential("local"));
    expect(store.location).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(directory, "data")).mode & 0o777).toBe(0o700);
    // SQLite gives its write-ahead log the database file's mode.
    if (existsSync(`${file}-wal`)) expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
  });

  it("gives up with StoreUnavailableError after the busy timeout while another connection holds the write lock, losing nothing", async () => {
    const file = join(directory, "switchyard.db");
    const store = await open(file, 100);
    const kept = await store.createCredential(credential("kept"));

    const other = new BetterSqlite3(file);
    try {
      other.exec("BEGIN EXCLUSIVE");
      other.prepare("insert into meta (key, value) values (?, ?)").run("written-by", "other process");
      const started = performance.now();
      const failure = await store.createCredential(credential("blocked")).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StoreUnavailableError);
      expect((failure as Error).message).toMatch(/is locked by another process \(waited 100 ms\); nothing was changed/);
      expect(performance.now() - started).toBeGreaterThanOrEqual(90);
      // WAL: readers carry on while the other process writes.
      expect(await store.listCredentials()).toEqual([kept]);
      other.exec("COMMIT");
    } finally {
      other.close();
    }

    expect(await store.getMeta("written-by")).toBe("other process");
    await store.createCredential(credential("after"));
    expect((await store.listCredentials()).map((record) => record.name)).toEqual(["after", "kept"]);
  });

  it("reports a deleted database file as unavailable rather than writing where nobody will read", async () => {
    const file = join(directory, "switchyard.db");
    const store = await open(file);
    await store.createCredential(credential("local"));
    await Promise.all([file, `${file}-wal`, `${file}-shm`].map((path) => unlink(path).catch(() => undefined)));
    await expect(store.createCredential(credential("lost"))).rejects.toThrow(StoreUnavailableError);
    await expect(store.revision()).rejects.toThrow(/database file .* is missing or cannot be opened/);
  });

  it("refuses a path whose directory cannot be created", async () => {
    await expect(open("/dev/null/switchyard.db")).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it("refuses a file that is not a SQLite database, leaving it untouched", async () => {
    const file = join(directory, "notes.txt");
    writeFileSync(file, "these are my notes, not a database\n".repeat(100));
    await expect(open(file)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(readFileSync(file, "utf8").startsWith("these are my notes")).toBe(true);
  });

  it("opens a throw-away in-memory store", async () => {
    const store = await open(":memory:");
    await store.createCredential(credential("local"));
    expect(await store.revision()).toBe(1);
  });
});
