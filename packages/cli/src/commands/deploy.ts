import type { Command } from "commander";
import type { Deployment, FlowRun } from "@sluice/contracts";
import { withConnection } from "../connection.js";
import { UsageError } from "../errors.js";
import { printJson, printLine, withProgress } from "../output.js";
import { collect, splitList } from "../params.js";
import { prepareDeployments, upsertPreparedDeployment } from "../project-file/deploy-project.js";
import { DEFAULT_PROJECT_FILE, loadProjectFile } from "../project-file/load-project-file.js";
import type { DeploymentEntry } from "../project-file/project-file-schema.js";
import { templateLookup } from "../project-file/template-lookup.js";
import {
  deploymentAddress,
  describePool,
  describeSchedule,
  formatUpcomingRuns,
  readUpcomingRuns,
} from "./deployment-view.js";

interface DeployOptions {
  all?: boolean;
  name?: string[];
  file: string;
  json?: boolean;
}

/**
 * The indexes of the deployments to deploy: every one with --all, each --name, or the file's only
 * one. Several deployments and no flag, or an unknown name, is a usage error listing the names.
 */
export function chooseDeployments(
  deployments: readonly DeploymentEntry[],
  options: { all?: boolean | undefined; names: readonly string[] },
  file: string,
): number[] {
  const listed = deployments.map((d) => d.name).join(", ");
  if (options.all && options.names.length > 0) throw new UsageError("pass --all or --name, not both");
  if (options.all) return deployments.map((_, index) => index);
  if (options.names.length === 0) {
    if (deployments.length === 1) return [0];
    throw new UsageError(
      `${file} has ${deployments.length} deployments (${listed}); choose with --name NAME (repeatable) or --all`,
    );
  }
  return options.names.map((name) => {
    const index = deployments.findIndex((d) => d.name === name);
    if (index === -1) throw new UsageError(`${file} has no deployment named "${name}"; it has ${listed}`);
    return index;
  });
}

function printSummary(deployment: Deployment, upcoming: readonly FlowRun[]): void {
  const address = deploymentAddress(deployment);
  printLine(`Deployed ${address} (${deployment.id})`);
  printLine(`  work pool:  ${describePool(deployment)}`);
  const schedules = deployment.schedules.map(
    (s) => `${describeSchedule(s.schedule)}${s.active ? "" : " [inactive]"}`,
  );
  printLine(`  schedules:  ${schedules.length ? schedules.join("\n              ") : "(none)"}`);
  printLine(`  next runs:  ${formatUpcomingRuns(upcoming).join("\n              ")}`);
  printLine(
    `  run it:     sluice deployment run ${address}${deployment.paused ? "   (paused: its schedules create no runs)" : ""}`,
  );
}

/** `sluice deploy [--all | --name NAME ...] [--file PATH]`. */
export function registerDeployCommand(program: Command): void {
  program
    .command("deploy")
    .description("Create or update the deployments of a sluice.yaml on the server")
    .option("--all", "deploy every deployment of the file")
    .option(
      "-n, --name <name>",
      "deploy the deployment with this name (repeatable, or comma-separated)",
      collect,
    )
    .option("-f, --file <path>", "the project file", DEFAULT_PROJECT_FILE)
    .option("--json", "print the deployments as JSON")
    .action(async (opts: DeployOptions) => {
      await withConnection({}, async ({ api }) => {
        const project = await loadProjectFile(opts.file, { lookup: templateLookup(api) });
        const indexes = chooseDeployments(
          project.content.deployments,
          { all: opts.all, names: splitList(opts.name) },
          opts.file,
        );
        const prepared = await withProgress("Checking entrypoints, schedules and work pools", () =>
          prepareDeployments(api, project, indexes),
        );
        const deployed: { deployment: Deployment; upcoming: FlowRun[] }[] = [];
        for (const item of prepared) {
          const deployment = await withProgress(`Deploying ${item.entry.name}`, () =>
            upsertPreparedDeployment(api, project, item),
          );
          deployed.push({ deployment, upcoming: await readUpcomingRuns(api, deployment.id) });
        }
        if (opts.json) return printJson(deployed.map((d) => d.deployment));
        deployed.forEach(({ deployment, upcoming }, i) => {
          if (i > 0) printLine();
          printSummary(deployment, upcoming);
        });
      });
    });
}
