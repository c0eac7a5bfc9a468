/**
 * @module server/console-static
 * Serves the built web console (`dist/console`, made by `npm run build`) at `/`: files by their
 * extension's content type, hashed assets cached for good, `index.html` for the console's pages,
 * and nothing outside the console folder whatever the path says.
 */
import { createHash } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Where the build puts the console. Resolved from this file so it is the same folder whether the
 * code runs from `dist/server/` (the published package, `switchyard serve`) or `src/server/` (tests).
 */
export const CONSOLE_DIR = fileURLToPath(new URL("../../dist/console/", import.meta.url));

/** Vite writes content-hashed file names under `assets/`: a changed file gets a new name. */
const HASHED_ASSET_PREFIX = "assets/";

/** A year, the longest lifetime caches honour (RFC 9111 §5.2.2.1 advises at most one year). */
const IMMUTABLE_CACHE = "public, max-age=31536000, immutable";

/** Everything else (`index.html` above all) is revalidated, so a new build shows at once. */
const REVALIDATE_CACHE = "no-cache";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".map": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".webmanifest": "application/manifest+json",
};

/**
 * Headers for every console response. The console handles provider keys, so it may not be framed
 * (clickjacking) and may load code only from this origin.
 */
const SECURITY_HEADERS = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'",
} as const;

/** Whether a path belongs to the console rather than to the OpenAI API, the admin API or `/health`. */
export function isConsolePath(path: string): boolean {
  for (const reserved of ["/v1", "/api", "/health"]) {
    if (path === reserved || path.startsWith(`${reserved}/`)) return false;
  }
  return true;
}

/**
 * Maps a URL path to a file inside `root`, or undefined when the path is malformed or would leave
 * it (`..`, encoded or not, backslashes, NUL, dot-files). An empty result means the root itself.
 */
export function resolveConsoleFile(root: string, path: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return undefined;
  const segments = decoded.split("/").filter((segment) => segment !== "");
  if (segments.some((segment) => segment.startsWith("."))) return undefined;
  const base = resolve(root);
  const file = resolve(base, ...segments);
  // Belt and braces: the segment checks above already rule out every way out of the root.
  if (file !== base && !file.startsWith(base + sep)) return undefined;
  return file;
}

async function readRegularFile(file: string): Promise<{ body: Buffer; modified: Date } | undefined> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return undefined;
    return { body: await readFile(file), modified: info.mtime };
  } catch {
    return undefined;
  }
}

/**
 * The console's own pages live under this prefix (console/src/router.ts). Only these get
 * index.html: any other unknown path stays a JSON 404, which is what an API client with a wrong
 * path (`/v2/chat`) needs to see.
 */
export const CLIENT_ROUTE_PREFIX = "/settings";

/** A page the browser navigates to (`/settings/models`), as opposed to a missing file (`/settings/x.png`). */
function isClientRoute(path: string): boolean {
  if (path !== "/" && path !== CLIENT_ROUTE_PREFIX && !path.startsWith(`${CLIENT_ROUTE_PREFIX}/`)) return false;
  return !path.slice(path.lastIndexOf("/") + 1).includes(".");
}

/**
 * Answers a GET or HEAD for a console path. Resolves false, having sent nothing, when there is no
 * such file and no built console to fall back to, so the caller answers with its usual 404.
 */
export async function serveConsole(request: IncomingMessage, response: ServerResponse, path: string, root: string = CONSOLE_DIR): Promise<boolean> {
  const file = resolveConsoleFile(root, path);
  if (file === undefined) return false;
  const relative = file.slice(resolve(root).length + 1).split(sep).join("/");
  let found = relative === "" ? undefined : await readRegularFile(file);
  let name = relative;
  if (found === undefined && isClientRoute(path)) {
    name = "index.html";
    found = await readRegularFile(join(root, name));
  }
  if (found === undefined) return false;

  const etag = `"${createHash("sha1").update(found.body).digest("base64url").slice(0, 16)}"`;
  const headers = {
    ...SECURITY_HEADERS,
    "content-type": CONTENT_TYPES[extname(name).toLowerCase()] ?? "application/octet-stream",
    "cache-control": name.startsWith(HASHED_ASSET_PREFIX) ? IMMUTABLE_CACHE : REVALIDATE_CACHE,
    etag,
    "last-modified": found.modified.toUTCString(),
  };
  if (request.headers["if-none-match"] === etag) {
    response.writeHead(304, headers);
    response.end();
    return true;
  }
  response.writeHead(200, { ...headers, "content-length": found.body.length });
  response.end(request.method === "HEAD" ? undefined : found.body);
  return true;
}
