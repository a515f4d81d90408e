import type {
  ArtifactCreate,
  Artifact,
  FlowRun,
  FlowRunCreate,
  FlowRunFilter,
  FlowRunPage,
  LogBatch,
  LogFilter,
  LogPage,
  SetStateRequest,
  SetStateResult,
  State,
  TaskRun,
  TaskRunBatch,
  TaskRunBatchResult,
  TaskRunFilter,
  TaskRunPage,
} from "@sluice/contracts";
import { createTransport, type CallRoute, type ClientOptions } from "./client.js";

/** A typed Sluice API client: `call` for any route plus named methods for the common ones. */
export interface SluiceClient {
  /** The server root the client talks to. */
  readonly baseUrl: string;
  /** Calls any route by name: `call("readFlowRun", { params: { id } })`. */
  readonly call: CallRoute;
  /** True when GET /api/health answers ok. Never throws. */
  isHealthy(): Promise<boolean>;
  createFlowRun(body: FlowRunCreate): Promise<FlowRun>;
  readFlowRun(id: string): Promise<FlowRun>;
  filterFlowRuns(filter?: FlowRunFilter): Promise<FlowRunPage>;
  setFlowRunState(id: string, request: SetStateRequest): Promise<SetStateResult>;
  readFlowRunStates(id: string): Promise<State[]>;
  heartbeatFlowRun(id: string): Promise<FlowRun>;
  recordTaskRuns(batch: TaskRunBatch): Promise<TaskRunBatchResult>;
  readTaskRun(id: string): Promise<TaskRun>;
  readTaskRunStates(id: string): Promise<State[]>;
  filterTaskRuns(filter?: TaskRunFilter): Promise<TaskRunPage>;
  createLogs(batch: LogBatch): Promise<{ accepted: number }>;
  filterLogs(filter?: LogFilter): Promise<LogPage>;
  createArtifact(artifact: ArtifactCreate): Promise<Artifact>;
}

/**
 * Creates a client. Writes in this API are idempotent by client-chosen ids, so the client retries
 * connection errors, timeouts, 429, 502, 503 and 504 with exponential backoff and jitter.
 */
export function createClient(options: ClientOptions): SluiceClient {
  const { baseUrl, call } = createTransport(options);
  return {
    baseUrl,
    call,
    async isHealthy() {
      try {
        return (await call("health")).status === "ok";
      } catch {
        return false;
      }
    },
    createFlowRun: (body) => call("createFlowRun", { body }),
    readFlowRun: (id) => call("readFlowRun", { params: { id } }),
    filterFlowRuns: (filter = {}) => call("filterFlowRuns", { body: filter }),
    setFlowRunState: (id, request) => call("setFlowRunState", { params: { id }, body: request }),
    readFlowRunStates: (id) => call("readFlowRunStates", { params: { id } }),
    heartbeatFlowRun: (id) => call("heartbeatFlowRun", { params: { id } }),
    recordTaskRuns: (batch) => call("recordTaskRuns", { body: batch }),
    readTaskRun: (id) => call("readTaskRun", { params: { id } }),
    readTaskRunStates: (id) => call("readTaskRunStates", { params: { id } }),
    filterTaskRuns: (filter = {}) => call("filterTaskRuns", { body: filter }),
    createLogs: (batch) => call("createLogs", { body: batch }),
    filterLogs: (filter = {}) => call("filterLogs", { body: filter }),
    createArtifact: (artifact) => call("createArtifact", { body: artifact }),
  };
}
