import type {
  FlowRun,
  FlowRunCountByStateRequest,
  FlowRunCreate,
  FlowRunFilter,
  FlowRunRetry,
  FlowRunGraph,
  FlowRunHistory,
  FlowRunHistoryRequest,
  FlowRunPage,
  FlowRunUpdate,
  SetStateRequest,
  State,
  StateCounts,
} from "@sluice/contracts";
import type { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { renewLease } from "../concurrency/deployment-leases.js";
import type { FlowService } from "../flows/flow-service.js";
import { found, NotFoundError } from "../http/errors.js";
import { createFlowRun } from "./create-flow-run.js";
import { countFlowRunsByState, readFlowRunHistory } from "./flow-run-activity-store.js";
import { buildFlowRunGraph } from "./flow-run-graph.js";
import * as store from "./flow-run-store.js";
import { retryFlowRun } from "./retry-flow-run.js";
import { setFlowRunState } from "./set-flow-run-state.js";

type ParsedFilter = z.output<typeof FlowRunFilter>;

/** Flow-run use cases: create (idempotent), orchestrate state changes, read, list, delete. */
export function createFlowRunService(deps: Pick<AppDeps, "db" | "clock" | "events">, flows: FlowService) {
  const { db, clock } = deps;
  const readOrThrow = async (id: string): Promise<FlowRun> =>
    found(await store.findFlowRun(db.db, id), "flow_run_not_found", "flow run", id);
  const notFound = (id: string) =>
    new NotFoundError("flow_run_not_found", `flow run ${id} not found`, { id });

  return {
    create: (input: z.output<typeof FlowRunCreate>) => createFlowRun(deps, flows, input),
    setState: (id: string, request: z.output<typeof SetStateRequest>) => setFlowRunState(deps, id, request),
    retry: (id: string, request: z.output<typeof FlowRunRetry>) => retryFlowRun(deps, id, request),
    read: (id: string) => readOrThrow(id),
    async readStates(id: string): Promise<State[]> {
      await readOrThrow(id);
      return store.listFlowRunStates(db.db, id);
    },
    async readGraph(id: string): Promise<FlowRunGraph> {
      await readOrThrow(id);
      return buildFlowRunGraph(db.db, id);
    },
    /** Records that the run's process is alive; answers the run so the engine notices CANCELLING. */
    async heartbeat(id: string): Promise<FlowRun> {
      const now = clock.now();
      // The heartbeat also keeps the run's deployment concurrency slot (if any) from expiring.
      const [touched] = await Promise.all([store.touchHeartbeat(db.db, id, now), renewLease(db.db, id, now)]);
      if (!touched) throw notFound(id);
      return readOrThrow(id);
    },
    /** Records where the run was launched and the flow's own retry settings (crashRetries kept unless given). */
    async update(id: string, update: z.output<typeof FlowRunUpdate>): Promise<FlowRun> {
      const run = await readOrThrow(id);
      await store.updateFlowRun(db.db, id, {
        updated_at: clock.now(),
        ...(update.infrastructureId === undefined ? {} : { infrastructure_id: update.infrastructureId }),
        ...(update.policy === undefined
          ? {}
          : { policy: JSON.stringify({ ...run.policy, ...update.policy }) }),
      });
      return readOrThrow(id);
    },
    async delete(id: string): Promise<Record<string, never>> {
      if (!(await store.deleteFlowRun(db.db, id))) throw notFound(id);
      return {};
    },
    list: (filter: ParsedFilter): Promise<FlowRunPage> => store.listFlowRuns(db.db, filter),
    count: async (filter: ParsedFilter) => ({ count: await store.countFlowRuns(db.db, filter) }),
    countByState: async (request: z.output<typeof FlowRunCountByStateRequest>): Promise<StateCounts> => ({
      items: await countFlowRunsByState(db.db, request),
    }),
    readHistory: (request: z.output<typeof FlowRunHistoryRequest>): Promise<FlowRunHistory> =>
      readFlowRunHistory(db.db, request),
  };
}

/** The flow-run use cases. */
export type FlowRunService = ReturnType<typeof createFlowRunService>;
