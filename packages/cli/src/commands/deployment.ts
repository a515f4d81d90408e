import type { Command } from "commander";
import { withConnection } from "../connection.js";
import { CliError } from "../errors.js";
import { printJson, printLine, printListing } from "../output.js";
import { collect, parseLimit, splitList } from "../params.js";
import { confirm } from "../prompt.js";
import { registerDeploymentRunCommand } from "./deployment-run.js";
import {
  DEPLOYMENT_COLUMNS,
  deploymentAddress,
  formatDeployment,
  readDeploymentRef,
  readUpcomingRuns,
} from "./deployment-view.js";

interface LsOptions {
  flow?: string[];
  pool?: string[];
  name?: string;
  paused?: boolean;
  limit: number;
  json?: boolean;
}

function registerPauseResume(group: Command, paused: boolean): void {
  const verb = paused ? "pause" : "resume";
  group
    .command(`${verb} <deployment>`)
    .description(
      paused
        ? "Pause a deployment: its schedules create no runs (runs already scheduled are kept)"
        : "Resume a paused deployment: its schedules create runs again",
    )
    .action(async (ref: string) => {
      await withConnection({}, async ({ api }) => {
        const found = await readDeploymentRef(api, ref);
        const updated = await api.call("updateDeployment", { params: { id: found.id }, body: { paused } });
        const address = deploymentAddress(updated);
        printLine(
          paused
            ? `Paused ${address}; resume it with \`sluice deployment resume ${address}\`.`
            : `Resumed ${address}.`,
        );
      });
    });
}

/** `sluice deployment ls|inspect|run|pause|resume|delete`. */
export function registerDeploymentCommands(program: Command): void {
  const group = program
    .command("deployment")
    .description("Deployments: flows deployed with `sluice deploy`, run by schedules or on demand");

  group
    .command("ls")
    .description("List deployments by name")
    .option("--flow <name>", "only deployments of this flow (repeatable)", collect)
    .option("--pool <name>", "only deployments of this work pool (repeatable)", collect)
    .option("--name <text>", "only deployments whose name contains this text")
    .option("--paused", "only paused deployments")
    .option("--limit <n>", "most deployments to show (1-1000)", parseLimit(), 200)
    .option("--json", "print JSON")
    .action(async (opts: LsOptions) => {
      const flowNames = splitList(opts.flow);
      const workPoolNames = splitList(opts.pool);
      await withConnection({ allowEmbedded: true }, async ({ api }) => {
        const page = await api.call("filterDeployments", {
          body: {
            limit: opts.limit,
            ...(flowNames.length ? { flowNames } : {}),
            ...(workPoolNames.length ? { workPoolNames } : {}),
            ...(opts.name ? { nameLike: opts.name } : {}),
            ...(opts.paused ? { paused: true } : {}),
          },
        });
        printListing(page, DEPLOYMENT_COLUMNS, { json: opts.json, noun: "deployments" });
      });
    });

  group
    .command("inspect <deployment>")
    .description("Show a deployment (FLOW/DEPLOYMENT or id): settings, schedules, next runs")
    .option("--json", "print JSON ({ deployment, upcomingRuns })")
    .action(async (ref: string, opts: { json?: boolean }) => {
      await withConnection({ allowEmbedded: true }, async ({ api }) => {
        const deployment = await readDeploymentRef(api, ref);
        const upcomingRuns = await readUpcomingRuns(api, deployment.id, 5);
        if (opts.json) return printJson({ deployment, upcomingRuns });
        printLine(formatDeployment(deployment, upcomingRuns));
      });
    });

  registerDeploymentRunCommand(group);
  registerPauseResume(group, true);
  registerPauseResume(group, false);

  group
    .command("delete <deployment>")
    .description("Delete a deployment with its schedules and its runs not yet started")
    .option("-y, --yes", "do not ask for confirmation")
    .action(async (ref: string, opts: { yes?: boolean }) => {
      await withConnection({}, async ({ api }) => {
        const deployment = await readDeploymentRef(api, ref);
        const address = deploymentAddress(deployment);
        if (!opts.yes && !(await confirm(`Delete deployment ${address}?`))) {
          throw new CliError("Aborted; nothing deleted.");
        }
        await api.call("deleteDeployment", { params: { id: deployment.id } });
        printLine(`Deleted deployment ${address}.`);
      });
    });
}
