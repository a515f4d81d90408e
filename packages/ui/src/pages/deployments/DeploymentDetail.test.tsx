// @vitest-environment happy-dom
import { randomUUID } from "node:crypto";
import type { Deployment, FlowRun, FlowRunPage } from "@sluice/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { App } from "../../App.js";
import { api, click, fieldErrorOf, openOn, typeInto, until } from "../../lib/page-test.test-helper.js";
import { render } from "../../lib/render.test-helper.js";
import { startUiTestServer, type UiTestServer } from "../../lib/test-server.test-helper.js";

/** A flow's parameter schema as the SDK records it, plus a `not` the browser's validator does not check. */
const parameterSchema = {
  ...z.toJSONSchema(
    z.object({
      city: z.string().min(2).describe("where to greet"),
      count: z.number().int().min(1).max(10).default(2),
      shout: z.boolean().default(false),
    }),
    { io: "input", unrepresentable: "any" },
  ),
} as Record<string, unknown>;
(parameterSchema.properties as Record<string, unknown>).code = {
  type: "string",
  not: { const: "forbidden" },
};

describe("the deployment page against a real server", () => {
  let server: UiTestServer;
  let deployment: Deployment;
  const suffix = randomUUID().slice(0, 8);
  beforeAll(async () => {
    server = await startUiTestServer();
    // Requests from the page's window are same-origin only: the page lives on the server's origin.
    openOn(server, "/");
    const pool = `ui-deploy-pool-${suffix}`;
    await api(server, "POST", "/api/work-pools", { name: pool, type: "process" });
    deployment = await api<Deployment>(server, "POST", "/api/deployments", {
      flowName: `ui-deploy-flow-${suffix}`,
      name: `nightly-${suffix}`,
      entrypoint: "flows/greet.ts:greet",
      parameters: { city: "Oslo" },
      parameterSchema,
      workPoolName: pool,
      concurrencyLimit: 2,
      collisionStrategy: "CANCEL_NEW",
      tags: ["ui-test"],
      // Far from now, so the scheduler's runs do not mix with the runs this test makes.
      schedules: [{ schedule: { kind: "cron", cron: "0 9 * * 1-5", timezone: "Europe/Oslo" }, active: true }],
    });
  });
  afterAll(() => server?.close());

  const runsOf = async () =>
    (
      await api<FlowRunPage>(server, "POST", "/api/flow-runs/filter", {
        deploymentIds: [deployment.id],
        stateTypes: ["PENDING", "RUNNING", "COMPLETED"],
      })
    ).items;

  it("shows schedules, parameters and configuration, follows its runs live, and pauses and resumes", async () => {
    openOn(server, `/deployments/${deployment.id}`);
    const { container, unmount } = render(<App baseUrl={server.url} />);
    try {
      await until(() => container.querySelector("[data-testid=schedule-row]"));
      expect(container.querySelector("h1")?.textContent).toContain(`nightly-${suffix}`);
      expect(container.querySelector("[data-testid=schedule-row]")?.textContent).toContain(
        "at 09:00 on weekdays (Europe/Oslo)",
      );
      expect(container.querySelector("[data-testid=default-parameters]")?.textContent).toContain(
        '"city": "Oslo"',
      );
      expect(container.querySelector("[data-testid=parameter-schema]")?.textContent).toContain(
        "where to greet",
      );
      const config = container.querySelector("[data-testid=configuration]")?.textContent ?? "";
      expect(config).toContain(`ui-deploy-pool-${suffix}`);
      expect(config).toContain("2 (when full: cancel new runs)");
      expect(config).toContain("flows/greet.ts:greet");

      // A run made elsewhere appears as upcoming, then among the runs once it starts: no reload.
      const run = await api<FlowRun>(server, "POST", `/api/deployments/${deployment.id}/runs`, {
        name: `live-${suffix}`,
      });
      await until(() =>
        container.querySelector("[data-testid=upcoming-runs]")?.textContent?.includes(run.name),
      );
      await api(server, "POST", `/api/flow-runs/${run.id}/set-state`, { state: { type: "PENDING" } });
      await api(server, "POST", `/api/flow-runs/${run.id}/set-state`, { state: { type: "RUNNING" } });
      await until(() =>
        [...container.querySelectorAll("[data-testid=run-row]")].some(
          (row) => row.textContent?.includes(run.name) && row.textContent.includes("Running"),
        ),
      );

      await click(container.querySelector<HTMLButtonElement>("[data-testid=pause]"));
      await until(() => container.querySelector("[data-testid=deployment-status]")?.textContent === "paused");
      expect((await api<Deployment>(server, "GET", `/api/deployments/${deployment.id}`)).paused).toBe(true);
      await click(container.querySelector<HTMLButtonElement>("[data-testid=resume]"));
      await until(() => container.querySelector("[data-testid=deployment-status]")?.textContent === "active");
      expect((await api<Deployment>(server, "GET", `/api/deployments/${deployment.id}`)).paused).toBe(false);
    } finally {
      unmount();
    }
  });

  it("runs it from the form: browser errors first, then the server's refusal by field, then the run's page", async () => {
    openOn(server, `/deployments/${deployment.id}/run`);
    const { container, unmount } = render(<App baseUrl={server.url} />);
    try {
      const form = await until(() => container.querySelector<HTMLFormElement>("[data-testid=run-form]"));
      const field = (name: string) => container.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
      // The form starts from the deployment's defaults over the schema's.
      expect(field("city").value).toBe("Oslo");
      expect(field("count").value).toBe("2");
      const before = (await runsOf()).length;

      typeInto(field("count"), "50");
      typeInto(field("city"), "");
      await click(container.querySelector<HTMLButtonElement>("[data-testid=run-submit]"));
      expect(fieldErrorOf(container, "count")).toBe("must be at most 10");
      expect(fieldErrorOf(container, "city")).toBe("is required");
      expect(container.querySelector("[data-testid=error-summary]")?.textContent).toContain("2 fields need");

      // Valid for the browser, refused by the server's schema check: its answer names the field.
      typeInto(field("count"), "3");
      typeInto(field("city"), "Bergen");
      typeInto(field("code"), "forbidden");
      await click(container.querySelector<HTMLButtonElement>("[data-testid=run-submit]"));
      await until(() => fieldErrorOf(container, "code"));
      expect(fieldErrorOf(container, "code")).toBe("must NOT be valid");
      expect(fieldErrorOf(container, "count")).toBeNull();
      expect((await runsOf()).length).toBe(before);

      typeInto(field("code"), "ok");
      await click(container.querySelector<HTMLButtonElement>("[data-testid=run-submit]"));
      const id = await until(() => /^\/runs\/([^/]+)$/.exec(window.location.pathname)?.[1]);
      const run = await api<FlowRun>(server, "GET", `/api/flow-runs/${id}`);
      expect(run.deploymentId).toBe(deployment.id);
      expect(run.parameters).toEqual({ city: "Bergen", count: 3, shout: false, code: "ok" });
      expect(form.isConnected).toBe(false);
    } finally {
      unmount();
    }
  });

  it("lists deployments with their schedule, status, pool and last runs", async () => {
    openOn(server, `/deployments?name=nightly-${suffix}`);
    const { container, unmount } = render(<App baseUrl={server.url} />);
    try {
      const row = await until(() =>
        [...container.querySelectorAll("[data-testid=deployment-row]")].find((r) =>
          r.textContent?.includes(`ui-deploy-flow-${suffix}`),
        ),
      );
      expect(row.textContent).toContain("at 09:00 on weekdays (Europe/Oslo)");
      expect(row.textContent).toContain("active");
      expect(row.textContent).toContain(`ui-deploy-pool-${suffix}`);
      await until(() => row.querySelector(".recent-run"));
      expect(row.querySelector("a")?.getAttribute("href")).toBe(`/deployments/${deployment.id}`);
    } finally {
      unmount();
    }
  });
});
