import { describe, expect, it } from "vitest";
import { SseParser } from "./sse.js";

describe("SseParser", () => {
  it("parses events split across chunks, skips heartbeats, joins data lines", () => {
    const parser = new SseParser();
    expect(parser.push("event: ready\ndata: {}\n\n: heartbeat\n\nevent: flow-run-st")).toEqual([
      { event: "ready", data: "{}" },
    ]);
    expect(parser.push('ate\r\ndata: {"a":1}\r\n\r\ndata: one\ndata: two\n\n')).toEqual([
      { event: "flow-run-state", data: '{"a":1}' },
      { event: "message", data: "one\ntwo" },
    ]);
    expect(parser.push("event: x\n")).toEqual([]);
  });
});
