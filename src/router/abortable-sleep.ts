/**
 * @module router/abortable-sleep
 * The backoff sleep between retries. It must end the moment the client leaves or the request's
 * deadline passes (LiteLLM #31499: an unguarded wait kept working for a client that was gone), so
 * it rejects with the signal's reason — an UpstreamAbort from the gateway — and frees its timer.
 */

/** Resolves after `ms`, or rejects with `signal.reason` as soon as the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
