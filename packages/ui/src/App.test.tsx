// @vitest-environment happy-dom
import { randomUUID } from "node:crypto";
import { act } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App } from "./App.js";
import { openOn, post, until } from "./lib/page-test.test-helper.js";
import { render } from "./lib/render.test-helper.js";
import { startUiTestServer, type UiTestServer } from "./lib/test-server.test-helper.js";

describe("the app against a real server", () => {
  let server: UiTestServer;
  beforeAll(async () => {
    server = await startUiTestServer();
    openOn(server);
  });
  afterAll(() => server?.close());

  it("shows a flow run's page: state, parameters, logs with a level filter, artifacts; live state changes", async () => {
    const run = await post<{ id: string }>(server, "/api/flow-runs", {
      flowName: "ui-app-test",
      name: "shown-run",
      parameters: { city: "<Boston>" },
    });
    await post(server, `/api/flow-runs/${run.id}/set-state`, { state: { type: "RUNNING" } });
    const now = Date.now();
    await post(server, "/api/logs", {
      logs: [
        {
          flowRunId: run.id,
          name: "t",
          level: 20,
          message: "loading <rows>",
          timestamp: new Date(now).toISOString(),
        },
        {
          flowRunId: run.id,
          name: "t",
          level: 40,
          message: "one row failed",
          timestamp: new Date(now + 1).toISOString(),
        },
      ],
    });
    await post(server, "/api/artifacts", {
      flowRunId: run.id,
      key: "summary",
      type: "markdown",
      data: { markdown: "| a | b |\n| - | - |\n| 1 | 2 |" },
    });
    window.history.pushState(null, "", `/runs/${run.id}`);
    const { container, unmount } = render(<App baseUrl={server.url} />);
    try {
      const state = await until(() => container.querySelector("h1 [data-testid=run-state]"));
      expect(state.textContent).toBe("Running");
      expect(container.querySelector("[data-testid=parameters]")?.textContent).toContain(
        '"city": "<Boston>"',
      );
      const lines = await until(() => {
        const found = container.querySelectorAll("[data-testid=log-line]");
        return found.length === 2 ? found : undefined;
      });
      expect(lines[0]?.textContent).toContain("loading <rows>");
      const artifact = await until(() => container.querySelector("[data-testid=artifact] table"));
      expect([...artifact.querySelectorAll("td")].map((td) => td.textContent)).toEqual(["1", "2"]);

      const level = container.querySelector<HTMLSelectElement>("[data-testid=log-level]")!;
      await act(async () => {
        level.value = "40";
        level.dispatchEvent(new Event("change", { bubbles: true }));
        await Promise.resolve();
      });
      await until(() =>
        container.querySelectorAll("[data-testid=log-line]").length === 1 ? true : undefined,
      );
      expect(container.querySelector("[data-testid=log-line]")?.textContent).toContain("one row failed");

      // The live stream: the page follows the run to Completed without a reload.
      await post(server, `/api/flow-runs/${run.id}/set-state`, { state: { type: "COMPLETED" } });
      await until(() =>
        container.querySelector("h1 [data-testid=run-state]")?.textContent === "Completed" ? true : undefined,
      );
    } finally {
      unmount();
    }
  });

  it("shows the dashboard: activity by state, flow and task runs by state, late and crashed runs, pool health", async () => {
    // Early in name order: the dashboard lists the first 100 pools of a shared test database.
    const pool = `aaa-ui-dash-${Date.now()}`;
    await post(server, "/api/work-pools", { name: pool, type: "process" });
    await post(server, `/api/work-pools/${pool}/workers/heartbeat`, { name: "dash-worker" });
    const failed = await post<{ id: string }>(server, "/api/flow-runs", {
      flowName: "ui-dash",
      name: "dash-failed",
    });
    await post(server, `/api/flow-runs/${failed.id}/set-state`, { state: { type: "RUNNING" } });
    await post(server, `/api/flow-runs/${failed.id}/set-state`, {
      state: { type: "FAILED", message: "boom" },
    });
    const crashed = await post<{ id: string }>(server, "/api/flow-runs", {
      flowName: "ui-dash",
      name: "dash-crashed",
    });
    await post(server, `/api/flow-runs/${crashed.id}/set-state`, { state: { type: "RUNNING" } });
    await post(server, `/api/flow-runs/${crashed.id}/set-state`, { state: { type: "CRASHED" } });
    const taskRunId = randomUUID();
    await post(server, "/api/task-runs/batch", {
      taskRuns: [{ id: taskRunId, flowRunId: failed.id, taskKey: "t", name: "t-0", dynamicKey: "0" }],
      states: [
        {
          taskRunId,
          state: {
            id: randomUUID(),
            type: "FAILED",
            name: "Failed",
            timestamp: new Date().toISOString(),
            message: null,
            details: {},
            result: null,
          },
        },
      ],
    });
    window.history.pushState(null, "", "/");
    const { container, unmount } = render(<App baseUrl={server.url} />);
    try {
      await until(() => container.querySelector('[data-ready="true"]'));
      const count = (testId: string) =>
        Number(container.querySelector(`[data-testid=${testId}] .count`)?.textContent?.replace(/\D/g, ""));
      expect(count("count-FAILED")).toBeGreaterThanOrEqual(1);
      expect(count("count-CRASHED")).toBeGreaterThanOrEqual(1);
      expect(count("task-count-FAILED")).toBeGreaterThanOrEqual(1);
      // The FAILED count links to the runs list filtered to the window.
      const link = container.querySelector<HTMLAnchorElement>("a[data-testid=count-FAILED]")!;
      expect(link.getAttribute("href")).toMatch(/^\/runs\?state=FAILED&from=.+&to=.+/);
      // The chart's last bucket (now) holds the failed and the crashed run.
      const bars = container.querySelectorAll("[data-testid=activity-bar]");
      expect(bars).toHaveLength(24);
      const last = bars[bars.length - 1]!;
      expect(
        Number(last.querySelector("[data-state=FAILED]")?.getAttribute("data-count")),
      ).toBeGreaterThanOrEqual(1);
      expect(
        Number(last.querySelector("[data-state=CRASHED]")?.getAttribute("data-count")),
      ).toBeGreaterThanOrEqual(1);
      await until(() =>
        [...container.querySelectorAll("[data-testid=run-row]")].some((r) =>
          r.textContent?.includes("dash-crashed"),
        )
          ? true
          : undefined,
      );
      const row = await until(() =>
        [...container.querySelectorAll("[data-testid=work-pool-row]")].find((r) =>
          r.textContent?.includes(pool),
        ),
      );
      expect(row.textContent).toContain("READY");
      expect(row.querySelector("[data-testid=workers-online]")?.textContent).toContain("1 of 1");

      // Another window: 7 days in 28 buckets.
      const select = container.querySelector<HTMLSelectElement>("[data-testid=window-select]")!;
      await act(async () => {
        select.value = "7d";
        select.dispatchEvent(new Event("change", { bubbles: true }));
        await Promise.resolve();
      });
      expect(window.location.search).toBe("?window=7d");
      await until(() =>
        container.querySelectorAll("[data-testid=activity-bar]").length === 28 ? true : undefined,
      );
    } finally {
      unmount();
    }
  });

  it("lists flow runs filtered by tags (all or any) and expected start time, read from the URL", async () => {
    const flowName = `ui-filters-${Date.now()}`;
    const at = (minutes: number) => new Date(Date.UTC(2001, 0, 1, 0, minutes)).toISOString();
    const create = (name: string, tags: string[], minutes: number) =>
      post(server, "/api/flow-runs", {
        flowName,
        name,
        tags,
        state: { type: "SCHEDULED", details: { scheduledTime: at(minutes) } },
      });
    await create("only-a", ["a"], 1);
    await create("a-and-b", ["a", "b"], 2);
    await create("only-c", ["c"], 3);
    const names = () =>
      [...container().querySelectorAll("[data-testid=run-row]")].map((r) => r.children[1]?.textContent);
    let mounted: ReturnType<typeof render> | undefined;
    const container = () => mounted!.container;
    const show = async (search: string, expected: string[]) => {
      mounted?.unmount();
      window.history.pushState(null, "", `/runs?flow=${flowName}&${search}`);
      mounted = render(<App baseUrl={server.url} />);
      await until(() => container().querySelector('[data-ready="true"]'));
      await until(() => (JSON.stringify(names()) === JSON.stringify(expected) ? true : undefined));
    };
    try {
      await show("tags=a,b", ["a-and-b"]);
      await show("tags=b,c&tagMode=any", ["only-c", "a-and-b"]);
      await show(`from=${at(2)}&to=${at(3)}`, ["only-c", "a-and-b"]);
      await show(`state=SCHEDULED&to=${at(1)}`, ["only-a"]);
      expect(container().querySelector<HTMLInputElement>("[data-testid=tags-filter]")?.value).toBe("");
      expect(container().querySelector<HTMLSelectElement>("[data-testid=state-filter]")?.value).toBe(
        "SCHEDULED",
      );
    } finally {
      mounted?.unmount();
    }
  });

  it("lists flow runs filtered by flow name, with keyset paging", async () => {
    // A flow of this test's own: a shared test database keeps the runs of earlier test runs.
    const flowName = `ui-paging-${Date.now()}`;
    for (let i = 0; i < 27; i += 1) {
      await post(server, "/api/flow-runs", { flowName, name: `paged-${i}` });
    }
    window.history.pushState(null, "", `/runs?flow=${flowName}`);
    const { container, unmount } = render(<App baseUrl={server.url} />);
    try {
      const rows = () => container.querySelectorAll("[data-testid=run-row]");
      await until(() => (rows().length === 25 ? true : undefined));
      const next = container.querySelector<HTMLButtonElement>("[data-testid=next-page]")!;
      await act(async () => {
        next.click();
        await Promise.resolve();
      });
      await until(() => (rows().length === 2 ? true : undefined));
      expect(next.disabled).toBe(true);
    } finally {
      unmount();
    }
  });
});

describe("the app when the server requires an API key", () => {
  let server: UiTestServer;
  beforeAll(async () => {
    server = await startUiTestServer({ apiKey: "ui-test-key-0123456789abcdef" });
    openOn(server);
  });
  afterAll(() => server?.close());

  it("asks for the key, keeps it in sessionStorage and sends it", async () => {
    sessionStorage.clear();
    window.history.pushState(null, "", "/runs");
    const { container, unmount } = render(<App baseUrl={server.url} />);
    try {
      const input = await until(() => container.querySelector<HTMLInputElement>("input[type=password]"));
      await act(async () => {
        // React tracks the value it set; the native setter makes the change visible to it.
        // eslint-disable-next-line @typescript-eslint/unbound-method -- called with the input as `this`
        const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")!.set!;
        setter.call(input, "ui-test-key-0123456789abcdef");
        input.dispatchEvent(new Event("input", { bubbles: true }));
        await Promise.resolve();
      });
      await act(async () => {
        container.querySelector("form")!.requestSubmit();
        await Promise.resolve();
      });
      await until(() => (container.querySelector("h1")?.textContent === "Flow runs" ? true : undefined));
      expect(sessionStorage.getItem("sluice.apiKey")).toBe("ui-test-key-0123456789abcdef");
      await until(() => container.querySelector(".pager"));
      expect(container.querySelector(".error")).toBeNull();
    } finally {
      unmount();
      sessionStorage.clear();
    }
  });
});
