import { describe, expect, it } from "vitest";
import { encodeSseEvent } from "./sse-encoder.js";

describe("encodeSseEvent", () => {
  it("ends a data-only event with a blank line", () => {
    expect(encodeSseEvent({ data: '{"a":1}' })).toBe('data: {"a":1}\n\n');
  });

  it("splits multi-line data into one data field per line, whatever the line break", () => {
    expect(encodeSseEvent({ data: "one\r\ntwo\nthree\rfour" })).toBe("data: one\ndata: two\ndata: three\ndata: four\n\n");
  });

  it("writes event and id fields before the data", () => {
    expect(encodeSseEvent({ event: "error", id: "7", data: "x" })).toBe("event: error\nid: 7\ndata: x\n\n");
  });

  it("refuses CR or LF in the event name or id", () => {
    expect(() => encodeSseEvent({ event: "a\nb", data: "x" })).toThrow(TypeError);
    expect(() => encodeSseEvent({ id: "1\r", data: "x" })).toThrow(TypeError);
  });
});
