import { describe, expect, it } from "vitest";
import { RESYNC, ServerEventStream, type UiServerEvent } from "./server-events.js";

/** A response whose body streams `chunks` and then ends. */
function streamOf(chunks: string[]): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } });
}

describe("ServerEventStream", () => {
  it("sends the key as a bearer header, delivers events, and asks views to resync on every connect", async () => {
    const requests: RequestInit[] = [];
    const bodies = [
      [
        'event: ready\ndata: {}\n\nevent: flow-run-state\ndata: {"flowRunId":"r1","stateType":"COMPLETED"}\n\n',
      ],
      ["event: ready\ndata: {}\n\n"],
    ];
    const fetchStub = (_url: RequestInfo | URL, init?: RequestInit) => {
      requests.push(init ?? {});
      const body = bodies.shift();
      return body ? Promise.resolve(streamOf(body)) : new Promise<Response>(() => undefined);
    };
    const stream = new ServerEventStream("http://sluice.test", () => "key-1", undefined, fetchStub);
    const seen: UiServerEvent[] = [];
    stream.subscribe((event) => seen.push(event));
    stream.start();
    await expect.poll(() => seen.length, { timeout: 5000 }).toBe(3);
    stream.stop();
    // The first connect too: a view's first load may have been answered before the stream was up.
    expect(seen[0]).toEqual({ kind: RESYNC });
    expect(seen[1]).toEqual({ kind: "flow-run-state", flowRunId: "r1", stateType: "COMPLETED" });
    expect(seen[2]).toEqual({ kind: RESYNC });
    expect(new Headers(requests[0]?.headers).get("authorization")).toBe("Bearer key-1");
  });

  it("stops and reports a refused key", async () => {
    let refused = 0;
    let calls = 0;
    const fetchStub = () => {
      calls += 1;
      return Promise.resolve(new Response("{}", { status: 401 }));
    };
    const stream = new ServerEventStream(
      "http://sluice.test",
      () => undefined,
      () => (refused += 1),
      fetchStub,
    );
    stream.start();
    await expect.poll(() => refused).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(calls).toBe(1);
  });
});
