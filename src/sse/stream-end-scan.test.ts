import { describe, expect, it } from "vitest";
import { StreamEndScan } from "./stream-end-scan.js";

const chunk = (content: string | null, finish: string | null = null): string =>
  `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }] })}\n\n`;

function scan(parts: readonly string[]): StreamEndScan {
  const watch = new StreamEndScan();
  for (const part of parts) watch.observe(Buffer.from(part, "utf8"));
  return watch;
}

/** Every way of cutting `text` in two. */
function allSplits(text: string): string[][] {
  const bytes = Buffer.from(text, "utf8");
  const splits: string[][] = [];
  for (let cut = 0; cut <= bytes.length; cut += 1) splits.push([bytes.subarray(0, cut).toString("latin1"), bytes.subarray(cut).toString("latin1")]);
  return splits;
}

describe("StreamEndScan", () => {
  it("sees [DONE] and a finish reason, wherever the chunks are cut", () => {
    const text = chunk("Hel") + chunk(null, "stop") + "data: [DONE]\n\n";
    for (const parts of allSplits(text)) {
      const watch = new StreamEndScan();
      for (const part of parts) watch.observe(Buffer.from(part, "latin1"));
      expect(watch.sawDone).toBe(true);
      expect(watch.sawFinishReason).toBe(true);
    }
  });

  it("does not count a stream cut mid-answer as finished", () => {
    expect(scan([chunk("Hel"), chunk("lo")]).endedCleanly()).toBe(false);
  });

  it("counts a finish reason without [DONE] as finished", () => {
    const watch = scan([chunk("Hello"), chunk(null, "length")]);
    expect(watch.sawDone).toBe(false);
    expect(watch.endedCleanly()).toBe(true);
  });

  it("is not fooled by content that quotes the markers", () => {
    const watch = scan([chunk('data: [DONE] and "finish_reason":"stop" and data: {"error":1}')]);
    expect(watch.endedCleanly()).toBe(false);
    expect(watch.inBandError).toBeUndefined();
  });

  it("reads an in-band error event, also when it is the first line and split across chunks", () => {
    const text = 'data: {"error":{"message":"boom","type":"server_error","code":"x"}}\n\n';
    for (const parts of allSplits(text)) {
      const watch = new StreamEndScan();
      for (const part of parts) watch.observe(Buffer.from(part, "latin1"));
      expect(watch.inBandError).toBeDefined();
    }
  });

  it("parses the error object when the event arrives whole", () => {
    expect(scan([chunk("Hi"), 'data: {"error":{"message":"boom"}}\n\n']).inBandError).toEqual({ message: "boom" });
  });

  it("accepts a CRLF-framed stream", () => {
    expect(scan(["data: {\"choices\":[]}\r\n\r\n", "data: [DONE]\r\n\r\n"]).sawDone).toBe(true);
  });
});
