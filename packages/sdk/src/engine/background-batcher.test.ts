import { describe, expect, it } from "vitest";
import { BackgroundBatcher, FlushError } from "./background-batcher.js";

describe("BackgroundBatcher", () => {
  it("sends by size and on flush, in order, one request at a time", async () => {
    const sent: number[][] = [];
    let inFlight = 0;
    const batcher = new BackgroundBatcher<number>({
      sendAtItems: 3,
      intervalMs: 10_000,
      send: async (items) => {
        expect(++inFlight).toBe(1);
        await new Promise((r) => setTimeout(r, 1));
        sent.push(items);
        inFlight--;
      },
    });
    for (let i = 0; i < 10; i++) batcher.push(i);
    await batcher.flush();
    expect(sent.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(batcher.pending).toBe(0);
  });

  it("sends on the interval without a flush", async () => {
    let resolveSent: (items: string[]) => void = () => undefined;
    const sent = new Promise<string[]>((r) => (resolveSent = r));
    const batcher = new BackgroundBatcher<string>({
      intervalMs: 5,
      send: (items) => Promise.resolve(resolveSent(items)),
    });
    batcher.push("a");
    expect(await sent).toEqual(["a"]);
  });

  it("retries a failed batch and never drops it", async () => {
    let calls = 0;
    const sent: number[] = [];
    const batcher = new BackgroundBatcher<number>({
      intervalMs: 1,
      send: (items) => {
        if (++calls <= 2) return Promise.reject(new Error("down"));
        sent.push(...items);
        return Promise.resolve();
      },
    });
    batcher.push(1);
    batcher.push(2);
    await batcher.flush();
    expect(sent).toEqual([1, 2]);
  });

  it("flush throws FlushError after repeated failures and keeps the items", async () => {
    const batcher = new BackgroundBatcher<number>({
      intervalMs: 1,
      flushAttempts: 2,
      send: () => Promise.reject(new Error("down")),
    });
    batcher.push(1);
    const error = await batcher.flush().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlushError);
    expect(batcher.pending).toBe(1);
    batcher.stop();
  });
});

describe("BackgroundBatcher refusals", () => {
  it("takes a refused batch out of the queue, sends the rest, and reports it on flush", async () => {
    const sent: number[] = [];
    const batcher = new BackgroundBatcher<number>({
      sendAtItems: 1,
      intervalMs: 10_000,
      isPermanent: (error) => error instanceof RangeError,
      send: (items) => {
        if (items.includes(1)) return Promise.reject(new RangeError("refused"));
        sent.push(...items);
        return Promise.resolve();
      },
    });
    batcher.push(1);
    await expect(batcher.flush()).rejects.toBeInstanceOf(FlushError);
    batcher.push(2);
    await batcher.flush();
    expect(sent).toEqual([2]);
  });
});
