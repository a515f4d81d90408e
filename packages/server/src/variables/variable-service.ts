import type { Variable, VariableFilter, VariablePage, VariableSet } from "@sluice/contracts";
import type { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { NotFoundError } from "../http/errors.js";
import { newId } from "../ids.js";
import * as store from "./variable-store.js";

/** Variable use cases: set (create or replace), read, delete, list. */
export function createVariableService({ db, clock }: Pick<AppDeps, "db" | "clock">) {
  const notFound = (name: string) =>
    new NotFoundError("variable_not_found", `no variable named "${name}"`, { name });
  return {
    set(name: string, input: z.output<typeof VariableSet>): Promise<Variable> {
      const now = clock.now();
      return store.upsertVariable(db.db, {
        id: newId(now.getTime()),
        name,
        value: input.value,
        tags: input.tags,
        now,
      });
    },
    async read(name: string): Promise<Variable> {
      const variable = await store.findVariable(db.db, name);
      if (!variable) throw notFound(name);
      return variable;
    },
    async delete(name: string): Promise<Record<string, never>> {
      if (!(await store.deleteVariable(db.db, name))) throw notFound(name);
      return {};
    },
    list: (filter: z.output<typeof VariableFilter>): Promise<VariablePage> =>
      store.listVariables(db.db, filter),
  };
}

/** The variable use cases. */
export type VariableService = ReturnType<typeof createVariableService>;
