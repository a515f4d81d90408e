import type { Deployment, DeploymentRunCreate, FlowRun } from "@sluice/contracts";
import type { z } from "zod";
import type { AppDeps } from "../app-deps.js";
import { createFlowRun } from "../flow-runs/create-flow-run.js";
import type { FlowService } from "../flows/flow-service.js";
import { ConflictError, ValidationError } from "../http/errors.js";
import { resolveWorkTarget } from "./deployment-upsert.js";
import { checkParameters } from "./parameter-schema.js";

type ParsedRunCreate = z.output<typeof DeploymentRunCreate>;

/**
 * Runs a deployment: its parameters under the run's (checked against its schema when it enforces
 * one), its job variables under the run's, its tags plus the run's, its queue unless the run names
 * another, crash retries from the deployment. SCHEDULED and due now unless `state` says otherwise.
 */
export async function createDeploymentFlowRun(
  deps: Pick<AppDeps, "db" | "clock" | "events">,
  flows: FlowService,
  deployment: Deployment,
  input: ParsedRunCreate,
): Promise<FlowRun> {
  if (!deployment.workPoolName) {
    throw new ConflictError(
      "conflict",
      `deployment ${deployment.flowName}/${deployment.name} has no work pool, so no worker can run it: set work_pool in sluice.yaml and deploy again`,
      { id: deployment.id },
    );
  }
  const parameters = { ...deployment.parameters, ...input.parameters };
  if (deployment.enforceParameterSchema && deployment.parameterSchema) {
    const issues = checkParameters(deployment.parameterSchema, parameters);
    if (issues.length > 0) {
      const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
      throw new ValidationError(
        "invalid_parameters",
        `invalid parameters for ${deployment.flowName}/${deployment.name}: ${summary}`,
        issues,
      );
    }
  }
  const workQueueName = input.workQueueName ?? deployment.workQueueName ?? "default";
  const target = await resolveWorkTarget(deps.db.db, deployment.workPoolName, workQueueName);
  const tags = [...new Set([...deployment.tags, ...(input.tags ?? [])])];
  return createFlowRun(
    deps,
    flows,
    {
      id: input.id,
      flowId: deployment.flowId,
      name: input.name,
      parameters,
      parameterSchema: deployment.parameterSchema,
      tags,
      policy: {
        retries: 0,
        retryDelaySeconds: 0,
        crashRetries: deployment.crashRetries,
        retryBaseRunCount: 0,
      },
      state: input.state,
      idempotencyKey: input.idempotencyKey,
    },
    {
      deploymentId: deployment.id,
      workQueueId: target.workQueueId,
      workPoolName: deployment.workPoolName,
      workQueueName,
      jobVariables: { ...deployment.jobVariables, ...input.jobVariables },
    },
  );
}
