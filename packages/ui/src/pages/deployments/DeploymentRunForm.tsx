import type { Deployment, StateCreate } from "@sluice/contracts";
import { useState, type FormEvent } from "react";
import { ErrorSummary } from "../../components/ErrorSummary.js";
import { SchemaForm } from "../../components/SchemaForm.js";
import { fromLocalInput } from "../../components/SchemaFormInputs.js";
import { errorMessage, isUnauthorized, useServices } from "../../lib/app-context.js";
import { useUnauthorized } from "../../lib/auth-context.js";
import { errorsByPath, serverFieldErrors } from "../../lib/form-errors.js";
import { Unparsed, withDefaults, type JsonSchema } from "../../lib/json-schema.js";
import { navigate } from "../../lib/router.js";
import { validateValue } from "../../lib/schema-validator.js";

/** Without a parameter schema the parameters are one JSON object. */
const ANY_OBJECT: JsonSchema = { type: "object" };

function initialParameters(deployment: Deployment, schema: JsonSchema): unknown {
  return withDefaults(schema, schema, { ...deployment.parameters }) ?? {};
}

/**
 * Runs a deployment: a form generated from its parameter schema, starting from its default
 * parameters, checked in the browser before it is sent; the server's refusal is shown per field.
 * A created run opens its page.
 */
export function DeploymentRunForm({ deployment }: { deployment: Deployment }) {
  const { client } = useServices();
  const onUnauthorized = useUnauthorized();
  const schema = deployment.parameterSchema ?? ANY_OBJECT;
  const [value, setValue] = useState(() => initialParameters(deployment, schema));
  const [errors, setErrors] = useState<Map<string, string>>(new Map());
  const [failure, setFailure] = useState<string | undefined>();
  const [startAt, setStartAt] = useState<string | undefined>();
  const [submitting, setSubmitting] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(undefined);
    const found = validateValue(schema, value);
    const scheduled = startAt === undefined ? undefined : fromLocalInput(startAt);
    if (scheduled instanceof Unparsed) found.push({ path: "@start", message: scheduled.message });
    setErrors(errorsByPath(found));
    if (found.length > 0) return;
    const state: StateCreate | undefined =
      typeof scheduled === "string"
        ? { type: "SCHEDULED", details: { scheduledTime: scheduled } }
        : undefined;
    setSubmitting(true);
    try {
      const run = await client.call("createDeploymentFlowRun", {
        params: { id: deployment.id },
        body: { parameters: value as Record<string, unknown>, ...(state ? { state } : {}) },
      });
      navigate(`/runs/${encodeURIComponent(run.id)}`);
    } catch (error) {
      if (isUnauthorized(error)) onUnauthorized();
      const fields = serverFieldErrors(error, "parameters");
      if (fields) setErrors(errorsByPath(fields));
      setFailure(`The server refused the run: ${errorMessage(error)}`);
      setSubmitting(false);
    }
  };

  return (
    <form className="panel run-form" onSubmit={(e) => void submit(e)} noValidate data-testid="run-form">
      <h2>Run {deployment.name}</h2>
      {!deployment.parameterSchema && (
        <p className="muted">This deployment has no parameter schema: its parameters are edited as JSON.</p>
      )}
      <SchemaForm
        schema={schema}
        value={value}
        onChange={setValue}
        errors={errors}
        idPrefix="run"
        rootLabel="parameters"
        disabled={submitting}
      />
      <fieldset className="field-group">
        <legend>Start</legend>
        <label className="field-inline">
          <input
            type="radio"
            name="@start-mode"
            checked={startAt === undefined}
            onChange={() => setStartAt(undefined)}
          />
          now
        </label>
        <label className="field-inline">
          <input
            type="radio"
            name="@start-mode"
            checked={startAt !== undefined}
            onChange={() => setStartAt("")}
          />
          at
          <input
            type="datetime-local"
            step={1}
            name="@start"
            aria-label="start time"
            value={startAt ?? ""}
            disabled={startAt === undefined}
            onChange={(e) => setStartAt(e.target.value)}
          />
        </label>
        {errors.get("@start") && <span className="field-error">{errors.get("@start")}</span>}
      </fieldset>
      <ErrorSummary errors={errors} />
      {failure && (
        <p className="error" data-testid="run-failure">
          {failure}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={submitting} data-testid="run-submit">
          {submitting ? "Starting…" : "Run"}
        </button>
        <button
          type="button"
          disabled={submitting}
          onClick={() => {
            setValue(initialParameters(deployment, schema));
            setErrors(new Map());
            setFailure(undefined);
          }}
        >
          Reset to defaults
        </button>
      </div>
    </form>
  );
}
