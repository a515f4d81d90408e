import type { Flow, FlowFilter, FlowPage } from "@sluice/contracts";
import type { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { found } from "../http/errors.js";
import { newId } from "../ids.js";
import { findFlow, listFlows, upsertFlow } from "./flow-store.js";

/** Flows remembered per process; flows are never renamed, so entries only go stale on deletion. */
const CACHE_LIMIT = 10_000;

/** Flow use cases: register by name (idempotent), read, list. */
export function createFlowService({ db, clock }: Pick<AppDeps, "db" | "clock">) {
  const byName = new Map<string, Flow>();
  const byId = new Map<string, Flow>();
  const remember = (flow: Flow): Flow => {
    if (byName.size >= CACHE_LIMIT) {
      byName.clear();
      byId.clear();
    }
    byName.set(flow.name, flow);
    byId.set(flow.id, flow);
    return flow;
  };

  return {
    /** Registers a flow; an existing name returns the stored flow unchanged. */
    async register(input: { name: string; tags?: string[] }): Promise<Flow> {
      const now = clock.now();
      const flow = await upsertFlow(db.db, {
        id: newId(now.getTime()),
        name: input.name,
        tags: input.tags ?? [],
        now,
      });
      return remember(flow);
    },
    /** Like register, answered from memory when the flow was seen before (the flow-run hot path). */
    async resolveByName(name: string): Promise<Flow> {
      return byName.get(name) ?? this.register({ name });
    },
    /** The flow with this id (404 flow_not_found), answered from memory when seen before. */
    async resolveById(id: string): Promise<Flow> {
      return byId.get(id) ?? remember(await this.read(id));
    },
    /** Drops a flow from memory, for example after a write found it deleted. */
    forget(flow: Flow): void {
      byName.delete(flow.name);
      byId.delete(flow.id);
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
