// @vitest-environment happy-dom
import type { FlowRun, State } from "@sluice/contracts";
import { act } from "react";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App } from "../App.js";
import { render } from "../lib/render.test-helper.js";
import { runActionAvailability } from "../lib/run-actions.js";
import { startUiTestServer, type UiTestServer } from "../lib/test-server.test-helper.js";

/** Waits until `check` returns a value (the page renders asynchronously as answers arrive). */
async function until<T>(check: () => T | null | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out; the page shows: ${document.body.textContent}`);
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
  }
}

async function send<T>(server: UiTestServer, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(server.url + path, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

const suffix = Date.now().toString(36);
let server: UiTestServer;
let deploymentId: string;

beforeAll(async () => {
  server = await startUiTestServer();
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(server.url);
  await send(server, "POST", "/api/work-pools", { name: `ui-actions-${suffix}`, type: "process" });
  const deployment = await send<{ id: string }>(server, "POST", "/api/deployments", {
    flowName: `ui-actions-${suffix}`,
    name: "d",
    entrypoint: "flows/x.ts:x",
    workPoolName: `ui-actions-${suffix}`,
  });
  deploymentId = deployment.id;
});
afterAll(() => server?.close());

const setState = (id: string, state: Record<string, unknown>) =>
  send(server, "POST", `/api/flow-runs/${id}/set-state`, { state });

/** A deployment run that ran and FAILED; with `completedTask`, one task completed with a persisted result. */
async function failedDeploymentRun(completedTask: boolean): Promise<string> {
  const run = await send<FlowRun>(server, "POST", `/api/deployments/${deploymentId}/runs`, {});
  await setState(run.id, { type: "RUNNING" });
  if (completedTask) {
    const taskRunId = crypto.randomUUID();
    const state = (name: string, type: string, ms: number) => ({
      taskRunId,
      state: {
        id: crypto.randomUUID(),
        type,
        name,
        timestamp: new Date(Date.now() + ms).toISOString(),
        message: null,
        details: {},
        result: type === "COMPLETED" ? { storage: "local", key: "results/x.json", serializer: "json" } : null,
      },
    });
    await send(server, "POST", "/api/task-runs/batch", {
      taskRuns: [{ id: taskRunId, flowRunId: run.id, taskKey: "load", name: "load-0", dynamicKey: "0" }],
      states: [state("Running", "RUNNING", 0), state("Completed", "COMPLETED", 1)],
    });
  }
  await setState(run.id, { type: "FAILED", message: "the last task failed" });
  return run.id;
}

/** Opens the run's page; answers the page's container and how to leave it. */
function openRun(id: string) {
  window.history.pushState(null, "", `/runs/${id}`);
  return render(<App baseUrl={server.url} />);
}

const button = (container: HTMLElement, testId: string) =>
  container.querySelector<HTMLButtonElement>(`[data-testid=${testId}]`);
const reason = (container: HTMLElement, testId: string) =>
  container.querySelector(`[data-testid=${testId}-reason]`)?.getAttribute("title") ?? null;
const shownState = (container: HTMLElement) =>
  container.querySelector("h1 [data-testid=run-state]")?.textContent;

async function click(element: HTMLElement): Promise<void> {
  await act(async () => {
    element.click();
    await Promise.resolve();
  });
}

describe("runActionAvailability", () => {
  it("mirrors the server's rules, with a reason for each refusal", () => {
    const deployed = { deploymentId: "01a2058f-70f4-7000-96fe-43e62da827e6" };
    expect(runActionAvailability({ ...deployed, stateType: "RUNNING" }, undefined)).toMatchObject({
      cancel: null,
      retry: "Only a finished run can be retried; this one is RUNNING",
    });
    expect(runActionAvailability({ ...deployed, stateType: "CANCELLING" }, undefined).cancel).toContain(
      "waiting for the run's process to stop",
    );
    expect(runActionAvailability({ ...deployed, stateType: "COMPLETED" }, false)).toMatchObject({
      cancel: "The run is COMPLETED: there is nothing to cancel",
      retry: null,
      retryFromFailed: "Only a FAILED or CRASHED run can be retried from its failed task",
    });
    expect(runActionAvailability({ ...deployed, stateType: "CRASHED" }, true).retryFromFailed).toBeNull();
    expect(runActionAvailability({ deploymentId: null, stateType: "FAILED" }, true)).toMatchObject({
      retry: expect.stringContaining("Only a deployment's run can be retried") as string,
      retryFromFailed: expect.stringContaining("Only a deployment's run can be retried") as string,
    });
  });
});

describe("the run actions against a real server", () => {
  it("retries a failed run from its failed task, recording why and how in the state history", async () => {
    const id = await failedDeploymentRun(true);
    const { container, unmount } = openRun(id);
    try {
      const fromFailed = await until(() => {
        const b = button(container, "action-retry-from-failed");
        return b && !b.disabled && b;
      });
      expect(button(container, "action-cancel")?.disabled).toBe(true);
      expect(reason(container, "action-cancel")).toBe("The run is FAILED: there is nothing to cancel");
      await click(fromFailed);
      await until(() => shownState(container) === "AwaitingRetry");
      const states = await send<State[]>(server, "GET", `/api/flow-runs/${id}/states`);
      expect(states.at(-1)).toMatchObject({
        type: "SCHEDULED",
        message: "Retried from the UI",
        details: { retryMode: "from-failed" },
      });
      // Scheduled again: now it can be cancelled, and not retried twice.
      await until(() => button(container, "action-cancel")?.disabled === false);
      expect(button(container, "action-retry")?.disabled).toBe(true);
    } finally {
      unmount();
    }
  });

  it("offers only Retry when no task result can be reused, and retries every task", async () => {
    const id = await failedDeploymentRun(false);
    const { container, unmount } = openRun(id);
    try {
      await until(() => reason(container, "action-retry-from-failed")?.includes("persisted"));
      expect(button(container, "action-retry-from-failed")?.disabled).toBe(true);
      const retry = await until(() => button(container, "action-retry"));
      expect(retry.disabled).toBe(false);
      await click(retry);
      await until(() => shownState(container) === "AwaitingRetry");
      const run = await send<FlowRun>(server, "GET", `/api/flow-runs/${id}`);
      expect(run.state?.details.retryMode).toBe("all");
    } finally {
      unmount();
    }
  });

  it("cancels a running run, and shows the server's refusal when an action fails", async () => {
    const running = await send<FlowRun>(server, "POST", "/api/flow-runs", {
      flowName: `ui-actions-${suffix}`,
      state: { type: "RUNNING" },
    });
    const { container, unmount } = openRun(running.id);
    try {
      const cancel = await until(() => button(container, "action-cancel"));
      expect(reason(container, "action-retry")).toBe(
        "Only a finished run can be retried; this one is RUNNING",
      );
      await click(cancel);
      await until(() => shownState(container) === "Cancelling");
      await until(() => reason(container, "action-cancel")?.includes("waiting for the run's process"));

      // The run is gone on the server while its page is open: the refusal is shown, not swallowed.
      await setState(running.id, { type: "CANCELLED" });
      await send(server, "DELETE", `/api/flow-runs/${running.id}`);
      await click(await until(() => button(container, "action-delete")));
      await click(await until(() => container.querySelector<HTMLButtonElement>("[role=dialog] .danger")));
      const error = await until(() => container.querySelector("[data-testid=action-error]"));
      expect(error.textContent).toContain(`flow run ${running.id} not found`);
      expect(window.location.pathname).toBe(`/runs/${running.id}`);
    } finally {
      unmount();
    }
  });

  it("deletes a run after confirmation and goes back to the runs list", async () => {
    const id = await failedDeploymentRun(false);
    const { container, unmount } = openRun(id);
    try {
      await click(await until(() => button(container, "action-delete")));
      const dialog = await until(() => container.querySelector("[role=dialog]"));
      expect(dialog.textContent).toContain("cannot be undone");
      // Cancelling the question deletes nothing.
      const keep = dialog.querySelector<HTMLButtonElement>("button:not(.danger)")!;
      expect(keep.textContent).toBe("Keep it");
      await click(keep);
      expect(container.querySelector("[role=dialog]")).toBeNull();
      await click(button(container, "action-delete")!);
      await click(await until(() => container.querySelector<HTMLButtonElement>("[role=dialog] .danger")));
      await until(() => window.location.pathname === "/runs");
      const res = await fetch(`${server.url}/api/flow-runs/${id}`);
      expect(res.status).toBe(404);
    } finally {
      unmount();
    }
  });
});
