// @vitest-environment happy-dom
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { App } from "../App.js";
import { choose, click, openOn, post, until } from "../lib/page-test.test-helper.js";
import { render } from "../lib/render.test-helper.js";
import { startUiTestServer, type UiTestServer } from "../lib/test-server.test-helper.js";

/** A state as the task-run batch route stores it. */
function state(type: string, name: string, at: Date, extra: Record<string, unknown> = {}) {
  return {
    id: randomUUID(),
    type,
    name,
    timestamp: at.toISOString(),
    message: null,
    details: {},
    result: null,
    ...extra,
  };
}

function logLine(flowRunId: string, message: string, at: number, extra: Record<string, unknown> = {}) {
  return { flowRunId, name: "test", level: 20, message, timestamp: new Date(at).toISOString(), ...extra };
}

const shownLines = () =>
  Number(document.querySelector("[data-testid=log-list]")?.getAttribute("data-lines") ?? -1);
const lineTexts = () =>
  [...document.querySelectorAll("[data-testid=log-line] .log-message")].map((l) => l.textContent);

/** Records the bodies the page sends to /api/logs/filter (the real requests still go out). */
function recordLogFilters(): { bodies: Record<string, unknown>[]; restore: () => void } {
  const original = globalThis.fetch;
  const bodies: Record<string, unknown>[] = [];
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.endsWith("/api/logs/filter") && typeof init?.body === "string") {
      bodies.push(JSON.parse(init.body) as Record<string, unknown>);
    }
    return original(input, init);
  };
  return { bodies, restore: () => (globalThis.fetch = original) };
}

describe("the run pages against a real server", () => {
  let server: UiTestServer;
  let unmount: (() => void) | undefined;
  beforeAll(async () => {
    server = await startUiTestServer();
    openOn(server);
  });
  afterEach(() => {
    unmount?.();
    unmount = undefined;
  });
  afterAll(() => server?.close());

  async function runningFlowRun(name: string): Promise<string> {
    const run = await post<{ id: string }>(server, "/api/flow-runs", { flowName: "ui-run-page", name });
    await post(server, `/api/flow-runs/${run.id}/set-state`, { state: { type: "RUNNING" } });
    return run.id;
  }

  function open(path: string) {
    window.history.pushState(null, "", path);
    unmount = render(<App baseUrl={server.url} />).unmount;
  }

  it("tails the logs live, asking only for lines from the last one shown, and keeps the level filter", async () => {
    const id = await runningFlowRun("tailed");
    const t0 = Date.now();
    await post(server, "/api/logs", { logs: [logLine(id, "first", t0), logLine(id, "second", t0 + 1)] });
    const recorder = recordLogFilters();
    try {
      open(`/runs/${id}`);
      await until(() => shownLines() === 2);

      await post(server, "/api/logs", { logs: [logLine(id, "third, live", t0 + 2)] });
      await until(() => shownLines() === 3);
      expect(lineTexts()).toEqual(["first", "second", "third, live"]);
      const tail = recorder.bodies.at(-1)!;
      expect(tail.flowRunId).toBe(id);
      // From shortly before the last line shown, not the whole log again.
      expect(Date.parse(tail.after as string)).toBeGreaterThan(t0 - 10_000);
      expect(Date.parse(tail.after as string)).toBeLessThanOrEqual(t0 + 1);

      await choose(document.querySelector<HTMLSelectElement>("[data-testid=log-level]")!, "40");
      await until(() => shownLines() === 0 || document.body.textContent?.includes("No logs."));
      await post(server, "/api/logs", {
        logs: [logLine(id, "quiet info", t0 + 3), logLine(id, "loud error", t0 + 4, { level: 40 })],
      });
      await until(() => shownLines() === 1);
      expect(lineTexts()).toEqual(["loud error"]);
      expect(recorder.bodies.at(-1)!.levelMin).toBe(40);
    } finally {
      recorder.restore();
    }
  });

  it("loads more lines past the first page, then tails after them", async () => {
    const id = await runningFlowRun("long-log");
    const t0 = Date.now() - 60_000;
    const lines = Array.from({ length: 520 }, (_, i) => logLine(id, `line ${i}`, t0 + i));
    await post(server, "/api/logs", { logs: lines });
    open(`/runs/${id}`);
    await until(() => shownLines() === 500);
    // Only the rows in view are in the document.
    expect(document.querySelectorAll("[data-testid=log-line]").length).toBeLessThan(200);
    const more = await until(() => document.querySelector<HTMLButtonElement>("[data-testid=load-more-logs]"));
    await click(more);
    await until(() => shownLines() === 520);
    expect(document.querySelector("[data-testid=load-more-logs]")).toBeNull();
    await post(server, "/api/logs", { logs: [logLine(id, "after the pages", Date.now())] });
    await until(() => shownLines() === 521);
  });

  it("shows the graph summary and follows new task runs; a task run's logs filter narrows the logs", async () => {
    const id = await runningFlowRun("graphed");
    const [a, b] = [randomUUID(), randomUUID()];
    const now = new Date();
    await post(server, "/api/task-runs/batch", {
      taskRuns: [
        { id: a, flowRunId: id, taskKey: "extract", name: "extract-0", dynamicKey: "0" },
        {
          id: b,
          flowRunId: id,
          taskKey: "load",
          name: "load-0",
          dynamicKey: "0",
          taskInputs: { rows: [{ kind: "task-run", id: a }] },
        },
      ],
      states: [
        { taskRunId: a, state: state("COMPLETED", "Completed", now) },
        { taskRunId: b, state: state("RUNNING", "Running", now) },
      ],
    });
    await post(server, "/api/logs", {
      logs: [
        logLine(id, "from extract", Date.now(), { taskRunId: a }),
        logLine(id, "from load", Date.now() + 1, { taskRunId: b }),
      ],
    });
    open(`/runs/${id}`);
    const summary = () => document.querySelector("[data-testid=graph-summary]")?.textContent ?? "";
    await until(() => summary().startsWith("2 task runs in 2 layers"));
    expect(summary()).toContain("1 Completed, 1 Running");
    expect(document.querySelector("[data-testid=task-graph]")).not.toBeNull();
    expect(document.querySelector("[data-testid=timeline]")).not.toBeNull();

    const c = randomUUID();
    await post(server, "/api/task-runs/batch", {
      taskRuns: [
        {
          id: c,
          flowRunId: id,
          taskKey: "report",
          name: "report-0",
          dynamicKey: "0",
          taskInputs: { loaded: [{ kind: "task-run", id: b }] },
        },
      ],
      states: [{ taskRunId: c, state: state("FAILED", "Failed", new Date()) }],
    });
    await until(() => summary().startsWith("3 task runs in 3 layers"));

    await until(() => shownLines() === 2);
    const row = await until(() =>
      [...document.querySelectorAll("[data-testid=task-run-row]")].find((r) =>
        r.textContent?.includes("load-0"),
      ),
    );
    await click([...row.querySelectorAll("button")].find((button) => button.textContent === "Logs"));
    await until(() => shownLines() === 1);
    expect(lineTexts()).toEqual(["from load"]);
    expect(document.querySelector("[data-testid=log-task-filter]")?.textContent).toContain("load-0");
  });

  it("shows a task run: state, run count, inputs linking upstream, result reference, its own logs and artifacts", async () => {
    const id = await runningFlowRun("with-task-page");
    const [up, t] = [randomUUID(), randomUUID()];
    const at = new Date();
    const result = { storage: "local", key: `results/${t}.json`, serializer: "json", sizeBytes: 42 };
    await post(server, "/api/task-runs/batch", {
      taskRuns: [
        { id: up, flowRunId: id, taskKey: "fetch", name: "fetch-0", dynamicKey: "0" },
        {
          id: t,
          flowRunId: id,
          taskKey: "parse",
          name: "parse-0",
          dynamicKey: "0",
          tags: ["etl"],
          taskInputs: {
            body: [{ kind: "task-run", id: up }],
            city: [{ kind: "parameter", name: "city" }],
            retries: [{ kind: "constant", type: "number" }],
          },
        },
      ],
      states: [
        { taskRunId: up, state: state("COMPLETED", "Completed", at) },
        { taskRunId: t, state: state("RUNNING", "Running", at, { details: { runCount: 1 } }) },
        {
          taskRunId: t,
          state: state("COMPLETED", "Completed", new Date(at.getTime() + 5), {
            result,
            details: { cacheKey: "k-1" },
          }),
        },
      ],
    });
    await post(server, "/api/logs", {
      logs: [
        logLine(id, "parsing the body", Date.now(), { taskRunId: t }),
        logLine(id, "not this task's", Date.now(), { taskRunId: up }),
      ],
    });
    await post(server, "/api/artifacts", {
      flowRunId: id,
      taskRunId: t,
      key: `parsed-${t.slice(0, 8)}`,
      type: "markdown",
      data: { markdown: "**parsed** 3 rows" },
    });
    open(`/task-runs/${t}`);
    await until(() => document.querySelector("h1")?.textContent?.includes("parse-0"));
    expect(document.querySelector("h1 [data-testid=run-state]")?.textContent).toBe("Completed");
    const inputs = await until(() => document.querySelector("[data-testid=task-inputs]"));
    expect(inputs.textContent).toContain("parameter city");
    expect(inputs.textContent).toContain("a constant (number)");
    expect(inputs.querySelector("[data-testid=upstream-link]")?.getAttribute("href")).toBe(
      `/task-runs/${up}`,
    );
    expect(document.querySelector("[data-testid=result-ref]")?.textContent).toContain(
      `local:results/${t}.json`,
    );
    expect(document.body.textContent).toContain("etl");
    await until(() => shownLines() === 1);
    expect(lineTexts()).toEqual(["parsing the body"]);
    await until(() => document.querySelector("[data-testid=artifact]")?.textContent?.includes("parsed"));
    expect(document.querySelector("[data-testid=flow-run-link]")?.getAttribute("href")).toBe(`/runs/${id}`);
  });
});
