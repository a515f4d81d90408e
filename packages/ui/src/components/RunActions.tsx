import type { FlowRun, RetryMode } from "@sluice/contracts";
import { useState } from "react";
import { errorMessage, useServices } from "../lib/app-context.js";
import { navigate } from "../lib/router.js";
import { runActionAvailability, type Availability } from "../lib/run-actions.js";
import { useData } from "../lib/use-data.js";
import type { UiServerEvent } from "../lib/server-events.js";
import { ConfirmDialog } from "./ConfirmDialog.js";

type Action = "cancel" | "retry" | "retry-from-failed" | "delete";

/** A button that says why it is disabled (on hover, and to assistive technology). */
function ActionButton(props: {
  label: string;
  testId: string;
  unavailable: Availability;
  busy: boolean;
  danger?: boolean;
  onClick: () => void;
}) {
  const reason = props.unavailable ?? undefined;
  return (
    <span title={reason} data-testid={`${props.testId}-reason`} data-reason={reason ?? ""}>
      <button
        type="button"
        data-testid={props.testId}
        className={props.danger ? "danger" : undefined}
        disabled={props.unavailable !== null || props.busy}
        aria-description={reason}
        onClick={props.onClick}
      >
        {props.label}
      </button>
    </span>
  );
}

/**
 * The run page's actions: cancel (a run not yet finished), retry (a finished deployment run, every
 * task again), retry from the failed task (reusing completed tasks' persisted results), and delete
 * (after a confirmation, then back to the runs list). The server decides; its refusals are shown.
 */
export function RunActions({ run }: { run: FlowRun }) {
  const { client } = useServices();
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  const mayRetryFromFailed = run.stateType === "FAILED" || run.stateType === "CRASHED";
  const mine = (event: UiServerEvent) => event.kind === "flow-run-state" && event.flowRunId === run.id;
  // Is there something to reuse? A completed task run with a persisted result (only asked when it matters).
  const reusable = useData(
    async () => {
      if (!mayRetryFromFailed || run.deploymentId === null) return false;
      const page = await client.filterTaskRuns({
        flowRunIds: [run.id],
        stateTypes: ["COMPLETED"],
        limit: 200,
      });
      return page.items.some((taskRun) => taskRun.result !== null);
    },
    [client, run.id, mayRetryFromFailed, run.deploymentId],
    mine,
  );
  const availability = runActionAvailability(run, reusable.data);

  const act = async (action: Action, request: () => Promise<unknown>) => {
    setBusy(action);
    setError(null);
    try {
      await request();
      return true;
    } catch (failure) {
      setError(errorMessage(failure));
      return false;
    } finally {
      setBusy(null);
    }
  };
  const cancel = () =>
    act("cancel", () =>
      client.setFlowRunState(run.id, { state: { type: "CANCELLING", message: "Cancelled from the UI" } }),
    );
  const retry = (mode: RetryMode) =>
    act(mode === "all" ? "retry" : "retry-from-failed", () =>
      client.call("retryFlowRun", { params: { id: run.id }, body: { mode, message: "Retried from the UI" } }),
    );
  const remove = async () => {
    const deleted = await act("delete", () => client.call("deleteFlowRun", { params: { id: run.id } }));
    // On failure the dialog closes too, so the error below the buttons is seen.
    setConfirmingDelete(false);
    if (deleted) navigate("/runs");
  };

  return (
    <div className="run-actions" data-testid="run-actions">
      <ActionButton
        label="Cancel"
        testId="action-cancel"
        unavailable={availability.cancel}
        busy={busy !== null}
        onClick={() => void cancel()}
      />
      <ActionButton
        label="Retry"
        testId="action-retry"
        unavailable={availability.retry}
        busy={busy !== null}
        onClick={() => void retry("all")}
      />
      <ActionButton
        label="Retry from failed task"
        testId="action-retry-from-failed"
        unavailable={availability.retryFromFailed}
        busy={busy !== null}
        onClick={() => void retry("from-failed")}
      />
      <ActionButton
        label="Delete"
        testId="action-delete"
        unavailable={null}
        busy={busy !== null}
        danger
        onClick={() => setConfirmingDelete(true)}
      />
      {busy && <span className="muted">Working…</span>}
      {error && (
        <p className="error" role="alert" data-testid="action-error">
          {error}
        </p>
      )}
      {confirmingDelete && (
        <ConfirmDialog
          title="Delete this flow run?"
          confirmLabel="Delete"
          cancelLabel="Keep it"
          busy={busy === "delete"}
          onConfirm={() => void remove()}
          onCancel={() => setConfirmingDelete(false)}
        >
          <p>
            Flow run <strong>{run.name}</strong> is deleted with its task runs, logs and artifacts. This
            cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
