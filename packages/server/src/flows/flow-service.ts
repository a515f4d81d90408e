import type { Flow, FlowFilter, FlowPage } from "@sluice/contracts";
import type { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { found } from "../http/errors.js";
import { newId } from "../ids.js";
import { findFlow, listFlows, upsertFlow } from "./flow-store.js";

/** Flow use cases: register by name (idempotent), read, list. */
export function createFlowService({ db, clock }: Pick<AppDeps, "db" | "clock">) {
  return {
    /** Registers a flow; an existing name returns the stored flow unchanged. */
    register(input: { name: string; tags?: string[] }): Promise<Flow> {
      const now = clock.now();
      return upsertFlow(db.db, { id: newId(now.getTime()), name: input.name, tags: input.tags ?? [], now });
    },
    async read(id: string): Promise<Flow> {
      return found(await findFlow(db.db, id), "flow_not_found", "flow", id);
    },
    list(filter: z.output<typeof FlowFilter>): Promise<FlowPage> {
      return listFlows(db.db, filter);
    },
  };
}

/** The flow use cases. */
export type FlowService = ReturnType<typeof createFlowService>;
