import { describe, expect, it } from "vitest";
import { reconnectDelayMs } from "./reconnect-backoff.js";
import { ServerContact } from "./server-contact.js";
import type { WorkerLogger } from "./worker-logger.js";

describe("reconnectDelayMs", () => {
  it("doubles from the base with equal jitter and is capped at 30 s", () => {
    const low = (attempt: number) => reconnectDelayMs(attempt, { random: () => 0 });
    const high = (attempt: number) => reconnectDelayMs(attempt, { random: () => 0.999999 });
    expect([1, 2, 3, 4].map(low)).toEqual([250, 500, 1000, 2000]);
    expect(high(1)).toBeCloseTo(500, 0);
    expect(low(20)).toBe(15_000);
    expect(high(20)).toBeCloseTo(30_000, 0);
  });
});

describe("ServerContact", () => {
  function logger() {
    const lines: string[] = [];
    const log: WorkerLogger = {
      info: (m) => lines.push(`info ${m}`),
      warn: (m) => lines.push(`warn ${m}`),
      error: (m) => lines.push(`error ${m}`),
      output: () => undefined,
    };
    return { lines, log };
  }

  it("logs an outage once and the reconnection once, however many attempts fail", () => {
    let now = 1_000_000;
    const { lines, log } = logger();
    const contact = new ServerContact(log, "http://127.0.0.1:4200", 10, () => now);
    for (let i = 0; i < 5; i++) contact.failed(new Error("ECONNREFUSED"));
    now += 4_000;
    contact.succeeded();
    contact.succeeded();
    expect(lines).toEqual([
      expect.stringMatching(/^warn lost contact with the server at http:\/\/127.0.0.1:4200 \(ECONNREFUSED\)/),
      "info reconnected to the server at http://127.0.0.1:4200 after 4.0 s",
    ]);
  });

  it("is healthy while the last success is within three heartbeats (at least 30 s)", () => {
    let now = 0;
    const contact = new ServerContact(logger().log, "http://x", 20, () => now);
    contact.succeeded();
    now = 59_999;
    expect(contact.isRecent()).toBe(true);
    now = 60_000;
    expect(contact.isRecent()).toBe(false);
  });
});
