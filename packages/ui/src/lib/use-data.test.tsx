// @vitest-environment happy-dom
import { createClient } from "@sluice/client";
import { act } from "react";
import { describe, expect, it } from "vitest";
import { AppContext } from "./app-context.js";
import { until } from "./page-test.test-helper.js";
import { render } from "./render.test-helper.js";
import { ServerEventStream } from "./server-events.js";
import { useData } from "./use-data.js";

/** An event stream whose server side the test writes to. */
function liveStream() {
  let push: (text: string) => void = () => undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      push = (text) => controller.enqueue(new TextEncoder().encode(text));
    },
  });
  const stream = new ServerEventStream(
    "http://sluice.test",
    () => undefined,
    undefined,
    () =>
      Promise.resolve(new Response(body, { status: 200, headers: { "content-type": "text/event-stream" } })),
  );
  return {
    stream,
    send: (kind: string, data: object) => push(`event: ${kind}\ndata: ${JSON.stringify(data)}\n\n`),
  };
}

describe("useData", () => {
  it("starts no event-driven load while one is in flight, and runs one after it", async () => {
    const { stream, send } = liveStream();
    const loads: { resolve: (value: number) => void }[] = [];
    function View() {
      const data = useData(
        () => new Promise<number>((resolve) => loads.push({ resolve })),
        [],
        (e) => e.kind === "task-runs-changed",
        { refreshDelayMs: 20 },
      );
      return <span data-testid="value">{data.data ?? "none"}</span>;
    }
    stream.start();
    const services = { client: createClient({ baseUrl: "http://sluice.test" }), events: stream };
    const { unmount } = render(
      <AppContext.Provider value={services}>
        <View />
      </AppContext.Provider>,
    );
    try {
      send("ready", {});
      await until(() => loads.length === 1);
      // Events while the first load is out: none starts a second one.
      for (let i = 0; i < 5; i += 1) {
        send("task-runs-changed", { flowRunIds: ["r"] });
        await act(() => new Promise((resolve) => setTimeout(resolve, 30)));
      }
      // Longer than any refresh interval (the default is 500 ms): still only the first load.
      await act(() => new Promise((resolve) => setTimeout(resolve, 700)));
      expect(loads.length).toBe(1);
      await act(async () => loads[0]!.resolve(1));
      // The changes seen meanwhile bring exactly one more load.
      await until(() => loads.length === 2);
      await act(async () => loads[1]!.resolve(2));
      await until(() => document.querySelector("[data-testid=value]")?.textContent === "2");
      await act(() => new Promise((resolve) => setTimeout(resolve, 100)));
      expect(loads.length).toBe(2);
    } finally {
      unmount();
      stream.stop();
    }
  });
});
