/**
 * @module upstream/undici-runtime
 * The undici values the gateway runs on — `Pool`, `buildConnector` and the `request` helper —
 * loaded from their own CommonJS files rather than from undici's index. The index loads fetch, WebSocket, the cache
 * store, the mock agent and the rest (~110 modules): measured on Node 20, a process that requires
 * the index sits ~9 MB higher than one that requires only these two, and every serving process
 * pays it (docs/performance.md). undici has no `exports` map, so these paths are public; if a
 * future undici moves them, the index is loaded instead. Types still come from "undici".
 *
 * The index is also what adds `request()`, `stream()` and the rest to every dispatcher's
 * prototype; without it a pool has only `dispatch()`, so calls go through {@link requestFrom}.
 */
import { createRequire } from "node:module";
import type * as Undici from "undici";

const require = createRequire(import.meta.url);

function load<T>(path: string, pick: (index: typeof Undici) => T): T {
  try {
    return require(path) as T;
  } catch {
    return pick(require("undici") as typeof Undici);
  }
}

/** undici's connection pool class. */
export const Pool: typeof Undici.Pool = load("undici/lib/dispatcher/pool.js", (index) => index.Pool);
/** undici's default connector factory. */
export const buildConnector: typeof Undici.buildConnector = load("undici/lib/core/connect.js", (index) => index.buildConnector);

type RequestHelper = (this: Undici.Dispatcher, options: Undici.Dispatcher.RequestOptions) => Promise<Undici.Dispatcher.ResponseData>;
const apiRequest: RequestHelper = load("undici/lib/api/api-request.js", (index) => index.Dispatcher.prototype.request as RequestHelper);

/** `dispatcher.request(options)`: one request whose body is read by the caller. */
export function requestFrom(dispatcher: Undici.Dispatcher, options: Undici.Dispatcher.RequestOptions): Promise<Undici.Dispatcher.ResponseData> {
  return apiRequest.call(dispatcher, options);
}
