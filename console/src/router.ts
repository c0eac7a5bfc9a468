/**
 * @module console/router
 * A very small history router: the server answers every console path with index.html
 * (src/server/console-static.ts), and this picks the page. Pages live under `/settings/` so that
 * none collides with the OpenAI routes Switchyard also serves without `/v1` (`/models`).
 */
import { useSyncExternalStore } from "react";

const NAVIGATE_EVENT = "switchyard-navigate";

function subscribe(callback: () => void): () => void {
  window.addEventListener("popstate", callback);
  window.addEventListener(NAVIGATE_EVENT, callback);
  return () => {
    window.removeEventListener("popstate", callback);
    window.removeEventListener(NAVIGATE_EVENT, callback);
  };
}

/** The current path, re-rendering on navigation. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/** Goes to a console page without reloading. */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace === true) window.history.replaceState(null, "", path);
  else window.history.pushState(null, "", path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}
