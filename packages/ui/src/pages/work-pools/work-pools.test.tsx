// @vitest-environment happy-dom
import type { FlowRun } from "@sluice/contracts";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App } from "../../App.js";
import { click, openOn, request, until, withText } from "../../lib/page-test.test-helper.js";
import { render } from "../../lib/render.test-helper.js";
import { startUiTestServer, type UiTestServer } from "../../lib/test-server.test-helper.js";

describe("the work pool pages against a real server", () => {
  let server: UiTestServer;
  beforeAll(async () => {
    server = await startUiTestServer();
    openOn(server, "/");
  });
  afterAll(() => server?.close());

  it("lists pools with slots and online workers; a pool's page shows workers, queues and why runs wait, live", async () => {
    // Early in name order: the list shows the first 50 pools of a shared test database.
    const pool = `0ui-${randomUUID().slice(0, 8)}`;
    await request(server, "POST", "/api/work-pools", { name: pool, concurrencyLimit: 3 });
    await request(server, "POST", `/api/work-pools/${pool}/workers/heartbeat`, {
      name: "w1",
      heartbeatIntervalSeconds: 10,
      metadata: { host: "build-host", pid: 4242 },
    });
    const flowName = `ui-pool-flow-${pool}`;
    const deployment = await request<{ id: string }>(server, "POST", "/api/deployments", {
      flowName,
      name: "limited",
      entrypoint: "flows/x.ts:x",
      workPoolName: pool,
      concurrencyLimit: 1,
    });
    const runs: FlowRun[] = [];
    for (const name of ["first", "second"]) {
      runs.push(await request(server, "POST", `/api/deployments/${deployment.id}/runs`, { name }));
    }
    await request(server, "POST", `/api/work-pools/${pool}/claim`, { workerName: "w1", limit: 10 });

    window.history.pushState(null, "", "/work-pools");
    const { container, unmount } = render(<App baseUrl={server.url} />);
    try {
      const row = await until(() => withText(container, "[data-testid=work-pool-row]", pool));
      await until(() => row.querySelector("[data-testid=pool-slots]")?.textContent === "1 / 3");
      expect(row.querySelector("[data-testid=status]")?.textContent).toBe("READY");
      expect(row.querySelector("[data-testid=pool-online-workers]")?.textContent).toBe("1");

      await click(withText(row, "a", pool));
      const worker = await until(() => withText(container, "[data-testid=worker-row]", "w1"));
      expect(worker.textContent).toContain("ONLINE");
      expect(worker.textContent).toContain("every 10 s");
      expect(worker.textContent).toContain("build-host · pid 4242");
      expect(worker.querySelector("[data-testid=worker-heartbeat]")?.textContent).toMatch(/^\d+ s ago$/);
      expect(withText(container, "[data-testid=queue-row]", "default")?.textContent).toContain("READY");

      const reasons = await until(() => {
        const found = [...container.querySelectorAll("[data-testid=waiting-run]")];
        return found.length === 2 && found[1]?.textContent?.includes("slot") ? found : undefined;
      });
      expect(reasons[0]?.textContent).toContain("first");
      expect(reasons[0]?.querySelector("[data-testid=wait-reason]")?.textContent).toBe(
        "claimed by worker w1; its process is starting",
      );
      expect(reasons[1]?.querySelector("[data-testid=wait-reason]")?.textContent).toBe(
        `waiting for a slot of deployment ${flowName}/limited (1 of 1 slots in use)`,
      );
      expect(container.querySelector("[data-testid=job-template] table")?.textContent).toContain("env");

      // Live: a second worker's heartbeat appears without a reload.
      await request(server, "POST", `/api/work-pools/${pool}/workers/heartbeat`, { name: "w2" });
      await until(() => withText(container, "[data-testid=worker-row]", "w2"));

      // Pause and resume the pool from its page; the server agrees.
      await click(container.querySelector("[data-testid=pool-pause]"));
      await until(() => container.querySelector("h1 [data-testid=status]")?.textContent === "PAUSED");
      expect(await request(server, "GET", `/api/work-pools/${pool}`)).toMatchObject({ paused: true });
      await click(container.querySelector("[data-testid=pool-pause]"));
      await until(() => container.querySelector("h1 [data-testid=status]")?.textContent === "READY");

      // Pause a queue.
      await click(withText(container, "[data-testid=queue-row]", "default")?.querySelector("button"));
      await until(() => withText(container, "[data-testid=queue-row]", "queue paused"));
      expect(await request(server, "GET", `/api/work-pools/${pool}/queues/default`)).toMatchObject({
        paused: true,
        status: "PAUSED",
      });
    } finally {
      unmount();
    }
  });
});
