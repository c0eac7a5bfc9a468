/**
 * @module console/api/client
 * Calls the admin API. Failures become {@link ApiError} with the server's own plain-language
 * message (its bodies are OpenAI-style `{"error":{"message","code","param"}}`), so pages can show
 * them as they are.
 */

/** A failed admin API call. `status` 0 means the server could not be reached at all. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly param: string | null;

  constructor(status: number, code: string, message: string, param: string | null = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.param = param;
  }
}

/** Fired when any call answers 401: the session ended (or never began), so the app shows the login form. */
export const UNAUTHORIZED_EVENT = "switchyard-unauthorized";

function describeStatus(status: number, statusText: string): string {
  if (status === 502 || status === 504) return `A proxy in front of Switchyard answered ${status}; is Switchyard running?`;
  return `Switchyard answered ${status}${statusText ? ` ${statusText}` : ""} without an explanation.`;
}

async function toApiError(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown; code?: unknown; param?: unknown } };
    const error = body.error;
    if (error && typeof error.message === "string") {
      return new ApiError(response.status, typeof error.code === "string" ? error.code : "error", error.message, typeof error.param === "string" ? error.param : null);
    }
  } catch {
    // Not JSON: an HTML page from a proxy, or an empty body; described by status below.
  }
  return new ApiError(response.status, "error", describeStatus(response.status, response.statusText));
}

/** Sends one request to the admin API and returns its parsed JSON (undefined for 204). */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers: body === undefined ? { accept: "application/json" } : { accept: "application/json", "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, "network_error", "Cannot reach Switchyard. Is the server still running?");
  }
  if (!response.ok) {
    const error = await toApiError(response);
    if (response.status === 401 && path !== "/api/session") window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
    throw error;
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** Like {@link api}, but undefined when the route does not exist (404), for features that may not be there. */
export async function optionalApi<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
  try {
    return await api<T>(method, path, body);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}

/** A path segment for an id that may contain `/` (model ids do; the API accepts them raw or encoded). */
export function encodeId(id: string): string {
  return encodeURIComponent(id);
}

/** The message to show for anything thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
