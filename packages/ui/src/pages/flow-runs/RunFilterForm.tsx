import { StateType, type Deployment, type Flow } from "@sluice/contracts";
import { useState, type FormEvent } from "react";
import { navigate } from "../../lib/router.js";
import { fromLocalInput, runFiltersUrl, toLocalInput, type RunFilters } from "./run-filters.js";

/**
 * The runs list's filters. The state and deployment selects apply at once; typed fields (flow,
 * tags, times) apply with "Apply". Flow names are suggested from the flows the server knows.
 */
export function RunFilterForm(props: {
  filters: RunFilters;
  flows: readonly Flow[];
  deployments: readonly Deployment[];
}) {
  const { filters } = props;
  const [flow, setFlow] = useState(filters.flow);
  const [tags, setTags] = useState(filters.tags.join(", "));
  const [tagMode, setTagMode] = useState(filters.tagMode);
  const [from, setFrom] = useState(toLocalInput(filters.from));
  const [to, setTo] = useState(toLocalInput(filters.to));
  const typed = (): RunFilters => ({
    ...filters,
    flow,
    tags: tags
      .split(",")
      .map((t) => t.trim())
      .filter((t) => t !== ""),
    tagMode,
    from: fromLocalInput(from),
    to: fromLocalInput(to),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(runFiltersUrl(typed()));
  };
  const stateValue =
    filters.states.length === 1 ? filters.states[0] : filters.states.length > 1 ? "many" : "";
  return (
    <form className="filters" onSubmit={submit}>
      <label>
        State
        <select
          value={stateValue}
          onChange={(e) =>
            navigate(
              runFiltersUrl({
                ...typed(),
                states: e.target.value ? [e.target.value as StateType] : [],
                stateName: "",
              }),
            )
          }
          data-testid="state-filter"
        >
          <option value="">Any</option>
          {filters.states.length > 1 && (
            <option value="many">{filters.states.join(", ").toLowerCase()}</option>
          )}
          {StateType.options.map((type) => (
            <option key={type} value={type}>
              {type.toLowerCase()}
            </option>
          ))}
        </select>
      </label>
      {filters.stateName && (
        <label>
          State name
          <span className="chip" data-testid="state-name-filter">
            {filters.stateName}{" "}
            <button type="button" onClick={() => navigate(runFiltersUrl({ ...typed(), stateName: "" }))}>
              ×
            </button>
          </span>
        </label>
      )}
      <label>
        Flow
        <input
          value={flow}
          onChange={(e) => setFlow(e.target.value)}
          placeholder="flow name"
          list="flow-names"
          data-testid="flow-filter"
        />
        <datalist id="flow-names">
          {props.flows.map((f) => (
            <option key={f.id} value={f.name} />
          ))}
        </datalist>
      </label>
      <label>
        Deployment
        <select
          value={filters.deployment}
          onChange={(e) => navigate(runFiltersUrl({ ...typed(), deployment: e.target.value }))}
          data-testid="deployment-filter"
        >
          <option value="">Any</option>
          {props.deployments.map((d) => (
            <option key={d.id} value={d.id}>
              {d.flowName}/{d.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Tags
        <span className="inline-fields">
          <input
            value={tags}
            onChange={(e) => setTags(e.target.value)}
            placeholder="tag, tag"
            data-testid="tags-filter"
          />
          <select
            value={tagMode}
            onChange={(e) => setTagMode(e.target.value === "any" ? "any" : "all")}
            data-testid="tag-mode"
          >
            <option value="all">all of</option>
            <option value="any">any of</option>
          </select>
        </span>
      </label>
      <label>
        Expected start from
        <input
          type="datetime-local"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          data-testid="from-filter"
        />
      </label>
      <label>
        to
        <input
          type="datetime-local"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          data-testid="to-filter"
        />
      </label>
      <button type="submit">Apply</button>
      <button type="button" onClick={() => navigate("/runs")}>
        Clear
      </button>
    </form>
  );
}
