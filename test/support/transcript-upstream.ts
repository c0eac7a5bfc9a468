/**
 * @module test/support/transcript-upstream
 * One `node:http` double on 127.0.0.1:0 that stands in for every OpenAI-wire provider kind at once,
 * replaying the transcripts in test/fixtures/ byte for byte. Each kind gets its own base path
 * (`/<kind>/v1`); the request's `model` names the scenario (`chat`, `stream`, `tools`,
 * `tools-stream`, `error`, `cancel`), so a gateway with one provider per kind can run every
 * scenario against every kind through one server.
 *
 * A kind without its own transcript for a scenario gets OpenAI's (`openai-<scenario>`), which
 * test/fixtures/openai-wire-fixtures.md records. Kinds with a wire of their own (Anthropic's
 * Messages API at `/<kind>/v1/messages`, Azure) replay their native transcripts where
 * {@link NATIVE_TRANSCRIPTS} names one (test/fixtures/anthropic-fixtures.md, azure-fixtures.md). Streams are written one event per write, a tick
 * apart, so the gateway sees real chunk boundaries.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { fileURLToPath } from "node:url";

const FIXTURES = fileURLToPath(new URL("../fixtures/", import.meta.url));

/** A request as the double received it. */
export interface TranscriptRequest {
  readonly kind: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  /** The fixture replayed for it. */
  readonly fixture: string;
  /** Settles when the answer ended (`completed`) or the client went away first (`client-aborted`). */
  readonly outcome: Promise<"completed" | "client-aborted">;
}

/** A running double. */
export interface TranscriptUpstream {
  readonly url: string;
  /** The base URL a provider of `kind` points at. */
  baseUrl(kind: string): string;
  readonly requests: TranscriptRequest[];
  /** Resolves once at least `count` requests have arrived. */
  waitForRequests(count: number): Promise<void>;
  /** The fixture file a kind replays for a scenario (own or OpenAI's), for expectations. */
  fixtureFor(kind: string, scenario: string, options?: { includeUsage?: boolean; base64?: boolean }): string;
  close(): Promise<void>;
}

type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every fixture by file name, read once. */
function loadFixtures(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const name of readdirSync(FIXTURES)) if (/\.(json|sse)$/.test(name)) files.set(name, readFileSync(`${FIXTURES}${name}`));
  return files;
}

/** Splits an SSE transcript after each blank line, keeping every byte. */
export function sseEvents(bytes: Buffer): Buffer[] {
  const events: Buffer[] = [];
  let start = 0;
  for (let index = bytes.indexOf("\n\n"); index >= 0; index = bytes.indexOf("\n\n", start)) {
    events.push(bytes.subarray(start, index + 2));
    start = index + 2;
  }
  if (start < bytes.length) events.push(bytes.subarray(start));
  return events;
}

const FILES = loadFixtures();

/** A fixture's bytes. */
export function fixtureBytes(name: string): Buffer {
  const bytes = FILES.get(name);
  if (bytes === undefined) throw new Error(`no fixture ${name}`);
  return bytes;
}

/**
 * The native transcripts of kinds with a wire of their own, by scenario. Azure's cancel stays on OpenAI's stream: its first event is the
 * prompt-filter chunk the gateway filters out, so a double that stalls after it would send nothing.
 */
export const NATIVE_TRANSCRIPTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  anthropic: {
    chat: "anthropic-message-text.json",
    stream: "anthropic-text.sse",
    cancel: "anthropic-text.sse",
    tools: "anthropic-message-tool-use.json",
    "tools-stream": "anthropic-tool-use.sse",
    error: "anthropic-error-404.json",
  },
  azure: { stream: "azure-stream-prompt-filter.sse", error: "azure-error-content-filter.json" },
};

/** Statuses of error transcripts whose name does not carry one (Azure's are named for what they show). */
const ERROR_STATUS: Readonly<Record<string, number>> = { "azure-error-content-filter.json": 400 };

/** The status a JSON transcript is replayed with. */
export function fixtureStatus(name: string): number {
  return ERROR_STATUS[name] ?? Number(/-error-(\d{3})\.json$/.exec(name)?.[1] ?? 200);
}

function own(kind: string, name: string): string | undefined {
  return FILES.has(`${kind}-${name}`) ? `${kind}-${name}` : undefined;
}

/** The transcript a kind replays for a scenario: its own, or OpenAI's when it has none. */
export function fixtureFor(kind: string, scenario: string, options: { includeUsage?: boolean; base64?: boolean } = {}): string {
  const native = NATIVE_TRANSCRIPTS[kind]?.[scenario === "stream" && options.includeUsage === true ? "usage-stream" : scenario];
  if (native !== undefined) return native;
  switch (scenario) {
    case "models":
      return own(kind, "models.json") ?? "openai-models.json";
    case "embeddings":
      return (options.base64 === true ? own(kind, "embeddings-base64.json") : undefined) ?? own(kind, "embeddings.json") ?? "openai-embeddings.json";
    case "stream":
    case "cancel":
      if (options.includeUsage === true) return own(kind, "usage-stream.sse") ?? own(kind, "stream.sse") ?? "openai-usage-stream.sse";
      return own(kind, "stream.sse") ?? "openai-stream.sse";
    case "chat":
    case "tools":
      return own(kind, `${scenario}.json`) ?? `openai-${scenario}.json`;
    case "tools-stream":
      return own(kind, "tools-stream.sse") ?? "openai-tools-stream.sse";
    case "error":
      return [...FILES.keys()].find((name) => name.startsWith(`${kind}-error-`) && name.endsWith(".json")) ?? "openai-error-404.json";
    default:
      throw new Error(`no scenario '${scenario}'`);
  }
}

/** Starts the double. */
export async function startTranscriptUpstream(): Promise<TranscriptUpstream> {
  const requests: TranscriptRequest[] = [];
  const sockets = new Set<Socket>();
  const waiters: Array<() => void> = [];

  async function replay(response: ServerResponse, fixture: string, stallAfterFirst: boolean): Promise<void> {
    const bytes = fixtureBytes(fixture);
    if (fixture.endsWith(".json")) {
      response.writeHead(fixtureStatus(fixture), { "content-type": "application/json", "content-length": bytes.length });
      response.end(bytes);
      return;
    }
    response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const events = sseEvents(bytes);
    for (const [index, event] of events.entries()) {
      if (index > 0) await new Promise((resolve) => setImmediate(resolve));
      if (response.destroyed) return;
      response.write(event);
      // The cancel scenario: one event, then silence until the client leaves.
      if (stallAfterFirst) return;
    }
    response.end();
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const match = /^\/([^/]+)\/v1\/(.*)$/.exec((request.url ?? "/").split("?")[0] ?? "/");
      const kind = match?.[1] ?? "";
      const path = `/${match?.[2] ?? ""}`;
      let body: unknown;
      try {
        body = chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        body = undefined;
      }
      const record = isRecord(body) ? body : {};
      const streamOptions = record["stream_options"];
      const includeUsage = isRecord(streamOptions) && streamOptions["include_usage"] === true;
      const scenario = path === "/models" ? "models" : path === "/embeddings" ? "embeddings" : String(record["model"] ?? "");
      let fixture: string;
      try {
        fixture = fixtureFor(kind, scenario, { includeUsage, base64: record["encoding_format"] === "base64" });
      } catch (error) {
        response.writeHead(404, { "content-type": "text/plain" });
        response.end((error as Error).message);
        return;
      }
      const outcome = new Promise<"completed" | "client-aborted">((resolve) => {
        response.on("close", () => resolve(response.writableFinished ? "completed" : "client-aborted"));
      });
      requests.push({ kind, path, headers: request.headers, body, fixture, outcome });
      for (const wake of waiters.splice(0)) wake();
      replay(response, fixture, scenario === "cancel").catch(() => response.destroy());
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseUrl: (kind) => `${url}/${kind}/v1`,
    requests,
    async waitForRequests(count) {
      while (requests.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    },
    fixtureFor,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
