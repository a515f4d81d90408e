import type { StateType } from "@sluice/contracts";

/**
 * What happened on the server that someone may be waiting for: a worker's long-poll (a run became
 * due, a slot was freed, a run it holds is to be cancelled) and the UI's live stream.
 */
export type ServerEvent =
  | {
      /** A flow run entered a state. */
      readonly kind: "flow-run-state";
      readonly flowRunId: string;
      readonly stateType: StateType;
      readonly stateName: string;
      /** The pool whose workers may care (null: a run no worker picks up). */
      readonly workPoolName: string | null;
      readonly deploymentId: string | null;
      readonly workerId: string | null;
      /** When a SCHEDULED run is due (ISO time); null otherwise. */
      readonly scheduledTime: string | null;
    }
  | {
      /** A pool or one of its queues changed (resumed, limit raised): its workers should claim again. */
      readonly kind: "work-pool-changed";
      readonly workPoolName: string;
    }
  | {
      /** A deployment concurrency slot was freed. */
      readonly kind: "slot-released";
      readonly deploymentId: string;
    }
  | {
      /** Log lines were stored for these flow runs (live log tail). */
      readonly kind: "logs-written";
      readonly flowRunIds: readonly string[];
      readonly count: number;
    }
  | {
      /** Task runs were created or changed state in these flow runs (run page graph and timeline). */
      readonly kind: "task-runs-changed";
      readonly flowRunIds: readonly string[];
    }
  | {
      /** A worker sent a heartbeat (work pool pages show worker health). */
      readonly kind: "worker-heartbeat";
      readonly workPoolName: string;
      readonly workerName: string;
    };
