import type { FlowRun, State } from "@sluice/contracts";
import type { ServerEvent } from "./server-events.js";

/** The event announcing that `run` entered `state`. */
export function flowRunStateEvent(
  run: Pick<FlowRun, "id" | "workPoolName" | "deploymentId" | "workerId">,
  state: State,
): ServerEvent {
  return {
    kind: "flow-run-state",
    flowRunId: run.id,
    stateType: state.type,
    stateName: state.name,
    workPoolName: run.workPoolName,
    deploymentId: run.deploymentId,
    workerId: run.workerId,
    scheduledTime: state.type === "SCHEDULED" ? (state.details.scheduledTime ?? state.timestamp) : null,
  };
}
