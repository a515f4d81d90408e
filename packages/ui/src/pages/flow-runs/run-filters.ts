import { StateType, type FlowRunFilter } from "@sluice/contracts";

/** The runs list's filters, as kept in the URL so a filtered view can be shared. */
export interface RunFilters {
  /** State types (`state=FAILED,CRASHED`). */
  readonly states: readonly StateType[];
  /** A state name refining them (`stateName=Late`). */
  readonly stateName: string;
  /** Exact flow name (`flow=`). */
  readonly flow: string;
  /** Deployment id (`deployment=`). */
  readonly deployment: string;
  /** Tags (`tags=a,b`), matched all (default) or any (`tagMode=any`). */
  readonly tags: readonly string[];
  readonly tagMode: "all" | "any";
  /** Expected start time bounds, ISO (`from=`, `to=`). */
  readonly from: string;
  readonly to: string;
}

const list = (value: string | null) =>
  (value ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");

const isoOrEmpty = (value: string | null) => (value && !Number.isNaN(Date.parse(value)) ? value : "");

/** Reads the filters from a query string; unknown states and bad times are ignored. */
export function parseRunFilters(search: string): RunFilters {
  const q = new URLSearchParams(search);
  return {
    states: list(q.get("state")).filter((s): s is StateType => StateType.safeParse(s).success),
    stateName: q.get("stateName") ?? "",
    flow: q.get("flow") ?? "",
    deployment: q.get("deployment") ?? "",
    tags: list(q.get("tags")),
    tagMode: q.get("tagMode") === "any" ? "any" : "all",
    from: isoOrEmpty(q.get("from")),
    to: isoOrEmpty(q.get("to")),
  };
}

/** The runs list's URL for these filters (empty ones left out). */
export function runFiltersUrl(filters: RunFilters): string {
  const q = new URLSearchParams();
  if (filters.states.length > 0) q.set("state", filters.states.join(","));
  if (filters.stateName) q.set("stateName", filters.stateName);
  if (filters.flow.trim()) q.set("flow", filters.flow.trim());
  if (filters.deployment) q.set("deployment", filters.deployment);
  if (filters.tags.length > 0) q.set("tags", filters.tags.join(","));
  if (filters.tags.length > 0 && filters.tagMode === "any") q.set("tagMode", "any");
  if (filters.from) q.set("from", filters.from);
  if (filters.to) q.set("to", filters.to);
  const search = q.toString();
  return search ? `/runs?${search}` : "/runs";
}

/** The API filter for these filters. */
export function toApiFilter(filters: RunFilters): FlowRunFilter {
  const range = filters.from || filters.to;
  return {
    ...(filters.states.length > 0 ? { stateTypes: [...filters.states] } : {}),
    ...(filters.stateName ? { stateNames: [filters.stateName] } : {}),
    ...(filters.flow.trim() ? { flowNames: [filters.flow.trim()] } : {}),
    ...(filters.deployment ? { deploymentIds: [filters.deployment] } : {}),
    ...(filters.tags.length > 0
      ? filters.tagMode === "any"
        ? { anyTags: [...filters.tags] }
        : { tags: [...filters.tags] }
      : {}),
    ...(range
      ? {
          expectedStartTime: {
            ...(filters.from ? { after: filters.from } : {}),
            ...(filters.to ? { before: filters.to } : {}),
          },
        }
      : {}),
  };
}

/** An ISO time as a datetime-local input's value (the viewer's time zone), or "". */
export function toLocalInput(iso: string): string {
  if (!iso) return "";
  const date = new Date(iso);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

/** A datetime-local input's value as an ISO time, or "". */
export function fromLocalInput(value: string): string {
  if (!value) return "";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString();
}
