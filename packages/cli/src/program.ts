import { Command } from "commander";
import { cliVersion } from "./cli-version.js";
import { registerArtifactCommands } from "./commands/artifact.js";
import { registerBlockCommands } from "./commands/block/index.js";
import { registerConfigCommands } from "./commands/config.js";
import { registerDbCommands } from "./commands/db.js";
import { registerDeployCommand } from "./commands/deploy.js";
import { registerDeploymentCommands } from "./commands/deployment.js";
import { registerWorkPoolCommands } from "./commands/work-pool.js";
import { registerWorkQueueCommands } from "./commands/work-queue.js";
import { registerFlowRunCommands } from "./commands/flow-run.js";
import { registerFlowCommands } from "./commands/flow.js";
import { registerRunCommand } from "./commands/run.js";
import { registerServerCommands } from "./commands/server.js";
import { registerStartCommand } from "./commands/start.js";
import { registerTaskRunCommands } from "./commands/task-run.js";
import { registerVariableCommands } from "./commands/variable.js";
import { registerApiKeyCommands } from "./commands/api-key.js";
import { registerVersionCommand } from "./commands/version.js";
import { registerWorkerCommands } from "./commands/worker.js";

/** Builds the `sluice` command with every group registered. Commander errors are thrown, not exited. */
export function createProgram(): Command {
  const program = new Command("sluice")
    .description("Sluice: workflow orchestration for TypeScript")
    .version(cliVersion(), "-V, --version", "print the CLI version")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerStartCommand(program);
  registerServerCommands(program);
  registerDbCommands(program);
  registerRunCommand(program);
  registerFlowCommands(program);
  registerFlowRunCommands(program);
  registerTaskRunCommands(program);
  registerArtifactCommands(program);
  registerDeployCommand(program);
  registerDeploymentCommands(program);
  registerWorkPoolCommands(program);
  registerWorkQueueCommands(program);
  registerVariableCommands(program);
  registerBlockCommands(program);
  registerApiKeyCommands(program);
  registerConfigCommands(program);
  registerWorkerCommands(program);
  registerVersionCommand(program);
  // Subcommands inherit exitOverride only when set before they are added, so apply it to all now.
  const override = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.showHelpAfterError("(run with --help for usage)");
    cmd.commands.forEach(override);
  };
  override(program);
  return program;
}
