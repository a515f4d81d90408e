import type {
  Artifact,
  ArtifactCreate,
  ArtifactFilter,
  ArtifactKeyFilter,
  ArtifactPage,
  ArtifactUpdate,
} from "@sluice/contracts";
import type { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { findMissingFlowRunIds } from "../flow-runs/flow-run-store.js";
import { found, NotFoundError, ValidationError } from "../http/errors.js";
import { newId } from "../ids.js";
import * as store from "./artifact-store.js";

/** Artifact use cases: create versions, read the latest by key, update progress, list, list keys. */
export function createArtifactService({ db, clock }: Pick<AppDeps, "db" | "clock">) {
  return {
    async create(input: z.output<typeof ArtifactCreate>): Promise<Artifact> {
      const flowRunId = input.flowRunId ?? null;
      if (flowRunId && (await findMissingFlowRunIds(db.db, [flowRunId])).length > 0) {
        throw new NotFoundError("flow_run_not_found", `flow run ${flowRunId} not found`, { id: flowRunId });
      }
      const now = clock.now();
      return store.insertArtifact(db.db, {
        id: input.id ?? newId(now.getTime()),
        key: input.key ?? null,
        type: input.type,
        description: input.description ?? null,
        data: input.data,
        flowRunId,
        taskRunId: input.taskRunId ?? null,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      });
    },
    async read(id: string): Promise<Artifact> {
      return found(await store.findArtifact(db.db, id), "artifact_not_found", "artifact", id);
    },
    async readLatest(key: string): Promise<Artifact> {
      const latest = await store.findLatestArtifact(db.db, key);
      if (!latest) throw new NotFoundError("artifact_not_found", `no artifact with key ${key}`, { key });
      return latest;
    },
    async update(id: string, input: z.output<typeof ArtifactUpdate>): Promise<Artifact> {
      const current = await this.read(id);
      if (input.data && current.type !== "progress") {
        throw new ValidationError(
          "validation_failed",
          `artifact ${id} is ${current.type}; only progress data updates`,
          [{ path: "body.data", message: "only progress artifacts can update their data" }],
        );
      }
      const updated = await store.updateArtifact(db.db, id, {
        ...(input.data ? { data: JSON.stringify(input.data) } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        updated_at: clock.now(),
      });
      return found(updated, "artifact_not_found", "artifact", id);
    },
    list(filter: z.output<typeof ArtifactFilter>): Promise<ArtifactPage> {
      return store.listArtifacts(db.db, filter);
    },
    /** The newest artifact of each key, by key. */
    listLatestByKey(filter: z.output<typeof ArtifactKeyFilter>): Promise<ArtifactPage> {
      return store.listLatestByKey(db.db, filter);
    },
  };
}

/** The artifact use cases. */
export type ArtifactService = ReturnType<typeof createArtifactService>;
