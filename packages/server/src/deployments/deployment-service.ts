import type {
  Deployment,
  DeploymentFilter,
  DeploymentPage,
  DeploymentRunCreate,
  DeploymentUpdate,
  DeploymentUpsert,
  FlowRun,
} from "@sluice/contracts";
import type { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { deleteNotStartedFlowRuns } from "../flow-runs/scheduled-run-store.js";
import type { FlowService } from "../flows/flow-service.js";
import { found, NotFoundError } from "../http/errors.js";
import { scheduleDeployments } from "../services/scheduler.js";
import { toDeployment } from "./deployment-rows.js";
import { createDeploymentFlowRun } from "./deployment-runs.js";
import * as store from "./deployment-store.js";
import { checkUpsert, resolveWorkTarget, writeDeployment } from "./deployment-upsert.js";

/** Deployment use cases: upsert with schedules, read, list, pause and resume, delete, run. */
export function createDeploymentService(deps: AppDeps, flows: FlowService) {
  const { db, clock } = deps;
  const read = async (id: string): Promise<Deployment> => {
    const row = found(await store.findDeploymentRow(db.db, id), "deployment_not_found", "deployment", id);
    return toDeployment(row, await store.listScheduleRows(db.db, [id]));
  };
  /** Scheduling right away, so `sluice deploy` shows the upcoming runs at once. */
  const scheduleNow = (id: string) => scheduleDeployments(deps, undefined, [id]);

  return {
    async upsert(input: z.output<typeof DeploymentUpsert>): Promise<Deployment> {
      checkUpsert(input);
      const target = await resolveWorkTarget(db.db, input.workPoolName, input.workQueueName);
      const flow = await flows.register({ name: input.flowName });
      const { deployment } = await writeDeployment(db.db, input, flow.id, target, clock.now());
      if (!deployment.paused) await scheduleNow(deployment.id);
      return read(deployment.id);
    },
    read,
    async readByName(flowName: string, name: string): Promise<Deployment> {
      const row = await store.findDeploymentRowByName(db.db, flowName, name);
      if (!row) {
        throw new NotFoundError("deployment_not_found", `deployment ${flowName}/${name} not found`, {
          flowName,
          name,
        });
      }
      return toDeployment(row, await store.listScheduleRows(db.db, [row.id]));
    },
    /** Pausing drops the auto-scheduled runs not yet started; resuming schedules again at once. */
    async update(id: string, input: z.output<typeof DeploymentUpdate>): Promise<Deployment> {
      const before = await read(id);
      await store.updateDeploymentRow(db.db, id, {
        ...(input.paused !== undefined && { paused: input.paused }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.concurrencyLimit !== undefined && { concurrency_limit: input.concurrencyLimit }),
        ...(input.collisionStrategy !== undefined && { collision_strategy: input.collisionStrategy }),
        ...(input.lateRunPolicy !== undefined && { late_run_policy: JSON.stringify(input.lateRunPolicy) }),
        updated_at: clock.now(),
      });
      if (input.paused === true && !before.paused) {
        await deleteNotStartedFlowRuns(db.db, { deploymentIds: [id], autoScheduledOnly: true });
      }
      if (input.paused === false && before.paused) await scheduleNow(id);
      return read(id);
    },
    /** Deletes the deployment and its runs not yet started (no worker could run them without it). */
    async delete(id: string): Promise<Record<string, never>> {
      await read(id);
      await deleteNotStartedFlowRuns(db.db, { deploymentIds: [id], autoScheduledOnly: false });
      if (!(await store.deleteDeploymentRow(db.db, id))) {
        throw new NotFoundError("deployment_not_found", `deployment ${id} not found`, { id });
      }
      return {};
    },
    list: (filter: z.output<typeof DeploymentFilter>): Promise<DeploymentPage> =>
      store.listDeployments(db.db, filter),
    async createRun(id: string, input: z.output<typeof DeploymentRunCreate>): Promise<FlowRun> {
      return createDeploymentFlowRun(deps, flows, await read(id), input);
    },
  };
}

/** The deployment use cases. */
export type DeploymentService = ReturnType<typeof createDeploymentService>;
