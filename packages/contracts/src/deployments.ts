import { z } from "zod";
import { JsonObject, Page, PageRequest, Tag, Timestamp } from "./common.js";
import { FlowName } from "./flows.js";
import { DeploymentSchedule, DeploymentScheduleCreate } from "./schedules.js";
import { StateCreate } from "./states.js";
import { ResourceName } from "./work-pools.js";

/** A deployment name: unique per flow, addressed as `flow-name/deployment-name`. */
export const DeploymentName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^/%&><]+$/, "deployment names cannot contain / % & > <");

/** What a new run does when the deployment already runs `concurrencyLimit` runs. */
export const CollisionStrategy = z.enum(["ENQUEUE", "CANCEL_NEW"]);
export type CollisionStrategy = z.infer<typeof CollisionStrategy>;

/**
 * What happens to runs that became Late (not started 15 s after they were due), for example after
 * the workers were down. RUN_ALL runs every one (Prefect's only behaviour); RUN_LATEST runs the
 * newest and cancels the older ones; SKIP_LATE cancels those later than `thresholdSeconds`.
 */
export const LateRunPolicy = z.discriminatedUnion("mode", [
  z.strictObject({ mode: z.literal("RUN_ALL") }),
  z.strictObject({ mode: z.literal("RUN_LATEST") }),
  z.strictObject({ mode: z.literal("SKIP_LATE"), thresholdSeconds: z.number().int().min(0).max(31_536_000) }),
]);
export type LateRunPolicy = z.infer<typeof LateRunPolicy>;

export const Deployment = z.object({
  id: z.uuid(),
  name: DeploymentName,
  flowId: z.uuid(),
  flowName: FlowName,
  description: z.string().nullable(),
  version: z.string().nullable(),
  tags: z.array(Tag),
  /** `path/to/file.ts:exportedFlow`, relative to `path`. */
  entrypoint: z.string(),
  /** The project directory the entrypoint is relative to. */
  path: z.string().nullable(),
  /** Default parameters, merged under each run's own. */
  parameters: JsonObject,
  parameterSchema: JsonObject.nullable(),
  enforceParameterSchema: z.boolean(),
  workPoolName: ResourceName.nullable(),
  workQueueName: ResourceName.nullable(),
  jobVariables: JsonObject,
  concurrencyLimit: z.number().int().min(1).nullable(),
  collisionStrategy: CollisionStrategy,
  lateRunPolicy: LateRunPolicy,
  /** How many times a CRASHED run (dead process, lost worker) is scheduled again. */
  crashRetries: z.number().int().min(0),
  paused: z.boolean(),
  schedules: z.array(DeploymentSchedule),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Deployment = z.infer<typeof Deployment>;

/**
 * Creates or replaces the deployment `flowName/name` (what `sluice deploy` sends). The schedules
 * listed become the deployment's schedules: one left out is removed with its runs not yet started.
 */
export const DeploymentUpsert = z.strictObject({
  flowName: FlowName,
  name: DeploymentName,
  description: z.string().max(10_000).nullable().optional(),
  version: z.string().max(200).nullable().optional(),
  tags: z.array(Tag).max(100).default([]),
  entrypoint: z.string().min(1).max(1000),
  path: z.string().max(4096).nullable().optional(),
  parameters: JsonObject.default({}),
  parameterSchema: JsonObject.nullable().optional(),
  enforceParameterSchema: z.boolean().default(true),
  workPoolName: ResourceName.nullable().optional(),
  workQueueName: ResourceName.nullable().optional(),
  jobVariables: JsonObject.default({}),
  concurrencyLimit: z.number().int().min(1).nullable().optional(),
  collisionStrategy: CollisionStrategy.default("ENQUEUE"),
  lateRunPolicy: LateRunPolicy.default({ mode: "RUN_ALL" }),
  crashRetries: z.number().int().min(0).max(100).default(0),
  paused: z.boolean().optional(),
  schedules: z.array(DeploymentScheduleCreate).max(100).default([]),
});
export type DeploymentUpsert = z.input<typeof DeploymentUpsert>;

/** Changes some settings of a deployment (pause, resume, limits). */
export const DeploymentUpdate = z.strictObject({
  paused: z.boolean().optional(),
  description: z.string().max(10_000).nullable().optional(),
  concurrencyLimit: z.number().int().min(1).nullable().optional(),
  collisionStrategy: CollisionStrategy.optional(),
  lateRunPolicy: LateRunPolicy.optional(),
});
export type DeploymentUpdate = z.input<typeof DeploymentUpdate>;

export const DeploymentFilter = PageRequest.extend({
  flowNames: z.array(FlowName).max(100).optional(),
  workPoolNames: z.array(ResourceName).max(100).optional(),
  /** Case-insensitive substring of the deployment's name. */
  nameLike: z.string().max(200).optional(),
  paused: z.boolean().optional(),
  sort: z.enum(["NAME_ASC", "CREATED_DESC"]).default("NAME_ASC"),
});
export type DeploymentFilter = z.input<typeof DeploymentFilter>;
export const DeploymentPage = Page(Deployment);
export type DeploymentPage = z.infer<typeof DeploymentPage>;

/** Path parameters naming a deployment by its flow and name. */
export const DeploymentNameParams = z.object({ flowName: FlowName, name: DeploymentName });

/**
 * Runs a deployment. Parameters merge over the deployment's defaults and are checked against its
 * schema (each failing field named) when it enforces one. Default: SCHEDULED, due now.
 */
export const DeploymentRunCreate = z.strictObject({
  id: z.uuid().optional(),
  name: z.string().min(1).max(200).optional(),
  parameters: JsonObject.default({}),
  jobVariables: JsonObject.default({}),
  tags: z.array(Tag).max(100).optional(),
  /** Initial state: SCHEDULED with `details.scheduledTime` to run later. */
  state: StateCreate.optional(),
  workQueueName: ResourceName.optional(),
  idempotencyKey: z.string().min(1).max(500).optional(),
});
export type DeploymentRunCreate = z.input<typeof DeploymentRunCreate>;
