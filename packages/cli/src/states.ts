import { StateType } from "@sluice/contracts";
import { UsageError } from "./errors.js";
import { splitList } from "./params.js";

/** Parses `--state` values (repeated or comma-separated, any case) into state types. */
export function parseStateTypes(values: readonly string[] | undefined): StateType[] | undefined {
  const list = splitList(values);
  if (list.length === 0) return undefined;
  return list.map((value) => {
    const parsed = StateType.safeParse(value.toUpperCase());
    if (!parsed.success) {
      throw new UsageError(`invalid --state "${value}": expected one of ${StateType.options.join(", ")}`);
    }
    return parsed.data;
  });
}
