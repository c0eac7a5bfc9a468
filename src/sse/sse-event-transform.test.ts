import { describe, expect, it } from "vitest";
import { completeEventsEnd, SseEventTransform, type SseEventEditor } from "./sse-event-transform.js";

/** Edits events whose data contains "edit"; drops those containing "drop". */
const editor: SseEventEditor = {
  wants: (bytes) => bytes.includes("edit") || bytes.includes("drop"),
  edit: (data) => (data.includes("drop") ? null : data.includes("edit") ? data.replace("edit", "EDITED") : undefined),
};

function run(chunks: readonly string[]): { written: Buffer[]; text: string } {
  const written: Buffer[] = [];
  const transform = new SseEventTransform((chunk) => {
    written.push(chunk);
    return true;
  }, editor);
  for (const chunk of chunks) transform.write(Buffer.from(chunk));
  transform.end();
  return { written, text: Buffer.concat(written).toString() };
}

describe("completeEventsEnd", () => {
  it("finds the end of the last complete event with any line ending", () => {
    expect(completeEventsEnd(Buffer.from("data: a\n\ndata: b"))).toBe(9);
    expect(completeEventsEnd(Buffer.from("data: a\r\n\r\ndata: b\r\n"))).toBe(11);
    expect(completeEventsEnd(Buffer.from("data: a\r\rdata"))).toBe(9);
    expect(completeEventsEnd(Buffer.from("data: a\n"))).toBe(0);
    expect(completeEventsEnd(Buffer.from("data: a\n\n"))).toBe(9);
  });
});

describe("SseEventTransform", () => {
  it("passes a chunk it does not want on as the very same buffer", () => {
    const chunk = Buffer.from('data: {"a":1}\n\ndata: {"b":2}\n\n');
    const written: Buffer[] = [];
    const transform = new SseEventTransform((out) => written.push(out) > 0, editor);
    transform.write(chunk);
    expect(written[0]).toBe(chunk);
  });

  it("holds an unfinished event until its end arrives, then relays the bytes unchanged", () => {
    const { written, text } = run(["data: one\n\ndata: t", "wo\n", "\n: comment\n\n"]);
    expect(text).toBe("data: one\n\ndata: two\n\n: comment\n\n");
    expect(written.map(String)).toEqual(["data: one\n\n", "data: two\n\n: comment\n\n"]);
  });

  it("edits and drops single events and leaves their neighbours byte for byte", () => {
    const { text } = run(['data: {"x":"keep"}\r\n\r\ndata: please edit me\r\n\r\n', ": ping\n\ndata: drop this\n\ndata: [DONE]\n\n"]);
    expect(text).toBe('data: {"x":"keep"}\r\n\r\ndata: please EDITED me\n\n: ping\n\ndata: [DONE]\n\n');
  });

  it("finds a marker split across two chunks, because whole events are edited", () => {
    expect(run(["data: please ed", "it me\n\n"]).text).toBe("data: please EDITED me\n\n");
  });

  it("edits a last event that lacks its closing blank line when the stream ends", () => {
    expect(run(["data: a\n\ndata: edit at the end"]).text).toBe("data: a\n\ndata: EDITED at the end\n\n");
  });

  it("keeps an event's name and id when it rewrites the data", () => {
    expect(run(["event: delta\nid: 7\ndata: edit\n\n"]).text).toBe("event: delta\nid: 7\ndata: EDITED\n\n");
  });

  it("writes nothing for a chunk whose only event was dropped", () => {
    const { written } = run(["data: drop\n\n"]);
    expect(written).toEqual([]);
  });
});
