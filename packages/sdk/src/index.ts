/**
 * @sluice/sdk: write Sluice flows and tasks as plain TypeScript functions. Calling a flow records a
 * flow run (states, task runs, logs, results) in the Sluice API; task states are batched off the hot path.
 *
 * @example
 * import { flow, task, getRunLogger } from "@sluice/sdk";
 * import { z } from "zod";
 *
 * const add = task({ name: "add", retries: 3 }, async (a: number, b: number) => a + b);
 * export const hello = flow(
 *   { name: "hello", parameters: z.object({ name: z.string().default("world") }) },
 *   async ({ name }) => {
 *     getRunLogger().info("hello %s", name);
 *     return add.map([1, 2, 3], [10, 20, 30]);
 *   },
 * );
 * await hello({ name: "Ada" });
 */
export {
  flow,
  isFlow,
  runFlow,
  type Flow,
  type FlowArgs,
  type FlowOptionsWithSchema,
  type FlowRunResult,
} from "./flows/flow.js";
export type { FlowHookInfo, FlowOptions } from "./flows/flow-options.js";
export {
  task,
  isTask,
  unmapped,
  type MapArgs,
  type Task,
  type TaskArgs,
  type Unmapped,
} from "./tasks/task.js";
export type { TaskHookInfo, TaskOptions } from "./tasks/task-options.js";
export type { RunFlowOptions } from "./engine/flow-engine.js";
export type { HookInfo, Hooks } from "./engine/hooks.js";
export { exponentialBackoff, type RetryCondition, type RetryDelaySeconds } from "./retries/retry-policy.js";
export type { CacheKeyContext, CacheKeyFn, CachePolicy } from "./caching/cache-policy.js";
export { getRunLogger, type RunLogger } from "./logging/run-logger.js";
export { getRunContext, type RunContext } from "./context/run-context.js";
export { configureSdk, closeSdk, type SdkConfig } from "./api-connection/connection.js";
export { readResult, persistResult, ResultSerializationError } from "./results/result-serializer.js";
export type {
  ResultStore,
  Storage,
  StorageBody,
  StorageObjectInfo,
  StorageWriteOptions,
} from "./storage/storage.js";
export { LocalStorage } from "./storage/local-storage.js";
export { S3Storage, type S3StorageOptions } from "./storage/s3-storage.js";
export { StorageError, type StorageErrorReason } from "./storage/storage-error.js";
export { checkStorageKey } from "./storage/storage-key.js";
export {
  loadStorageBlock,
  parseStorageBlockRef,
  storageFromBlock,
  type StorageBlockRef,
} from "./storage/storage-from-block.js";
export { storageFromRef, type ResultStorage } from "./storage/result-storage.js";
export {
  CancelledError,
  InterruptedError,
  ParameterValidationError,
  StateRejectedError,
  TimedOutError,
} from "./errors.js";
export { FlushError } from "./engine/background-batcher.js";
export {
  createLinkArtifact,
  createMarkdownArtifact,
  createProgressArtifact,
  createTableArtifact,
  updateProgressArtifact,
  type ArtifactOptions,
} from "./artifacts/artifacts.js";
export { variables } from "./variables/variables.js";
export {
  BlockDataError,
  BlockNotFoundError,
  blockTypeUpsert,
  defineBlockType,
  isBlockKind,
  type BlockKind,
  type BlockTypeDefinition,
} from "./blocks/block-kind.js";
export {
  JsonBlock,
  LocalFileSystem,
  S3Bucket,
  Secret,
  SecretValue,
  Webhook,
  WebhookTarget,
  type LocalFileSystemSettings,
  type S3BucketSettings,
} from "./blocks/built-in-blocks.js";
