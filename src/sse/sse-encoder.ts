/**
 * @module sse/sse-encoder
 * The one place Server-Sent Events are encoded.
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */

/** One event to encode. */
export interface SseEvent {
  readonly event?: string;
  readonly id?: string;
  readonly data: string;
}

const LINE_BREAK = /\r\n|\r|\n/;

/**
 * Encodes an event: multi-line data becomes several `data:` lines, and the event ends with a blank
 * line. CR or LF in `event`/`id` would inject fields, so they are refused.
 */
export function encodeSseEvent(event: SseEvent): string {
  let text = "";
  if (event.event !== undefined) {
    if (LINE_BREAK.test(event.event)) throw new TypeError("SSE event name must not contain CR or LF");
    text += `event: ${event.event}\n`;
  }
  if (event.id !== undefined) {
    if (LINE_BREAK.test(event.id)) throw new TypeError("SSE id must not contain CR or LF");
    text += `id: ${event.id}\n`;
  }
  for (const line of event.data.split(LINE_BREAK)) text += `data: ${line}\n`;
  return `${text}\n`;
}
