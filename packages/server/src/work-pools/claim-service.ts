import type { ClaimedFlowRun, ClaimRequest, ClaimResponse } from "@sluice/contracts";
import { sql } from "kysely";
import type { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import type { WorkQueueRow } from "../db/tables.js";
import { flowRunStateEvent } from "../events/flow-run-events.js";
import { toFlowRun } from "../flow-runs/flow-run-rows.js";
import { NotFoundError } from "../http/errors.js";
import { newId } from "../ids.js";
import {
  claimDueFlowRuns,
  findCancellingRuns,
  nextDueTime,
  recordPoll,
  type ClaimedRow,
} from "./claim-store.js";
import { ClaimWaiter } from "./claim-waiter.js";
import { toWorkPool, type WorkPoolStatusRow } from "./work-pool-rows.js";
import * as store from "./work-pool-store.js";
import type { WorkPoolService } from "./work-pool-service.js";

type ParsedClaim = z.output<typeof ClaimRequest>;

/** First key of the advisory lock serialising claims of one pool (the second is the pool's hash). */
const CLAIM_LOCK_CLASS = 0x5c1a;

/** Claims due flow runs for workers, holding the request (long-poll) while none is due. */
export function createClaimService(
  deps: Pick<AppDeps, "db" | "clock" | "events" | "closing">,
  pools: WorkPoolService,
) {
  const { db, clock, events } = deps;

  /** One claim: one statement; on PostgreSQL after the pool's transaction-scoped advisory lock. */
  const claimOnce = async (
    pool: WorkPoolStatusRow,
    queueIds: string[],
    workerId: string,
    request: ParsedClaim,
  ) => {
    const now = clock.now();
    const input = {
      poolId: pool.id,
      queueIds,
      workerId,
      now,
      scheduledBefore: new Date(now.getTime() + request.prefetchSeconds * 1000),
      limit: request.limit,
      stateIds: Array.from({ length: 2 * request.limit }, () => newId(now.getTime())),
    };
    const rows: ClaimedRow[] =
      db.kind === "pglite"
        ? await claimDueFlowRuns(db.db, input)
        : await db.db.transaction().execute(async (trx) => {
            await sql`select pg_advisory_xact_lock(${CLAIM_LOCK_CLASS}, hashtext(${pool.id}))`.execute(trx);
            return claimDueFlowRuns(trx, input);
          });
    const claimed: ClaimedFlowRun[] = [];
    for (const row of rows) {
      const flowRun = toFlowRun(row);
      if (flowRun.state) events.publish(flowRunStateEvent(flowRun, flowRun.state));
      if (row.action === "claim") {
        claimed.push({
          flowRun,
          entrypoint: row.entrypoint,
          path: row.path,
          deploymentName: row.deployment_name,
        });
      }
    }
    return claimed;
  };

  const servedQueues = async (pool: WorkPoolStatusRow, names: readonly string[] | undefined) => {
    const queues: WorkQueueRow[] = await store.listWorkQueues(db.db, pool.id);
    if (names === undefined) return queues.map((q) => q.id);
    return names.map((name) => {
      const queue = queues.find((q) => q.name === name);
      if (!queue) {
        throw new NotFoundError(
          "work_queue_not_found",
          `work queue ${name} of work pool ${pool.name} not found`,
          {
            pool: pool.name,
            queue: name,
          },
        );
      }
      return queue.id;
    });
  };

  return {
    /**
     * Claims up to `limit` due runs for the worker (registering it: a claim is a sign of life) and
     * lists which of its running runs are CANCELLING. With nothing to answer and `waitMs` > 0 the
     * request is held until an event may have made a run claimable, then claims again; it answers
     * empty at `waitMs`, when the client goes away (`signal`) or when the server closes.
     */
    async claim(poolName: string, request: ParsedClaim, signal?: AbortSignal): Promise<ClaimResponse> {
      let pool = await pools.readPoolRow(poolName);
      const worker = await store.upsertWorker(db.db, {
        poolId: pool.id,
        name: request.workerName,
        heartbeatIntervalSeconds: undefined,
        metadata: undefined,
        now: clock.now(),
      });
      let queueIds = await servedQueues(pool, request.queues);
      const waiter =
        request.waitMs > 0
          ? new ClaimWaiter(events, {
              poolName,
              workerId: worker.id,
              runningIds: new Set(request.runningFlowRunIds),
              prefetchMs: request.prefetchSeconds * 1000,
              clock,
            })
          : undefined;
      const deadline = Date.now() + request.waitMs;
      try {
        let [, answer] = await Promise.all([recordPoll(db.db, pool.id, queueIds, clock.now()), respond()]);
        while (waiter && answer.runs.length === 0 && answer.cancel.length === 0) {
          const remaining = deadline - Date.now();
          if (remaining <= 0 || signal?.aborted || deps.closing?.aborted) break;
          const due = await nextDueTime(
            db.db,
            queueIds,
            new Date(clock.now().getTime() + request.prefetchSeconds * 1000),
          );
          if (due) waiter.wakeWhenDue(due);
          await waiter.wait(remaining, [signal, deps.closing]);
          if (signal?.aborted || deps.closing?.aborted) break;
          if (waiter.takePoolChanged()) {
            pool = await pools.readPoolRow(poolName);
            queueIds = await servedQueues(pool, request.queues);
          }
          answer = await respond();
        }
        return answer;
      } finally {
        waiter?.close();
      }

      async function respond(): Promise<ClaimResponse> {
        waiter?.reset();
        const runs = await claimOnce(pool, queueIds, worker.id, request);
        const cancel = await findCancellingRuns(db.db, request.runningFlowRunIds);
        // This worker just showed it is alive, so the pool has at least one online worker.
        const workPool = toWorkPool({ ...pool, online_workers: Math.max(1, pool.online_workers) });
        return { workPool, runs, cancel };
      }
    },
  };
}

/** The claim use case. */
export type ClaimService = ReturnType<typeof createClaimService>;
