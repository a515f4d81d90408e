import type { FlowRunGraph } from "@sluice/contracts";
import type { Kysely } from "kysely";
import type { Tables } from "../db/tables.js";
import { listTaskRunsOfFlowRun } from "../task-runs/task-run-store.js";
import { listChildFlowRuns } from "./flow-run-store.js";

type Node = FlowRunGraph["nodes"][number];

/**
 * A flow run's graph: one node per task run, with `upstream` from its task-run inputs, and one node
 * per child flow run (subflow), downstream of the task run that called it.
 */
export async function buildFlowRunGraph(db: Kysely<Tables>, flowRunId: string): Promise<FlowRunGraph> {
  const [taskRuns, children] = [
    await listTaskRunsOfFlowRun(db, flowRunId),
    await listChildFlowRuns(db, flowRunId),
  ];
  const childByParent = new Map(children.map((c) => [c.parentTaskRunId, c.id]));
  const nodes: Node[] = taskRuns.map((t) => ({
    id: t.id,
    name: t.name,
    kind: "task-run",
    stateType: t.stateType,
    stateName: t.stateName,
    startTime: t.startTime,
    endTime: t.endTime,
    upstream: [
      ...new Set(
        Object.values(t.taskInputs)
          .flat()
          .flatMap((input) => (input.kind === "task-run" ? [input.id] : [])),
      ),
    ],
    childFlowRunId: childByParent.get(t.id) ?? null,
  }));
  for (const child of children) {
    nodes.push({
      id: child.id,
      name: child.name,
      kind: "flow-run",
      stateType: child.stateType,
      stateName: child.stateName,
      startTime: child.startTime,
      endTime: child.endTime,
      upstream: child.parentTaskRunId ? [child.parentTaskRunId] : [],
      childFlowRunId: child.id,
    });
  }
  return { flowRunId, nodes };
}
