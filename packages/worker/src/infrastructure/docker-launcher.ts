import { PassThrough } from "node:stream";
import { createInterface } from "node:readline";
import type Docker from "dockerode";
import { parseJobConfiguration } from "../job-configuration.js";
import { buildContainerCreateOptions } from "./docker-spec.js";
import type { JobExit, LaunchedJob, Launcher, OutputSink } from "./launcher.js";

/** Options of the Docker launcher. */
export interface DockerLauncherOptions {
  /** The Docker Engine client (default: dockerode configured from DOCKER_HOST, else the local socket). */
  docker?: Docker;
}

/** Runs each flow run in a container through the Docker Engine API (dockerode, loaded on first use). */
export function createDockerLauncher(options: DockerLauncherOptions = {}): Launcher {
  let client: Promise<Docker> | undefined;
  const docker = () =>
    (client ??= options.docker
      ? Promise.resolve(options.docker)
      : import("dockerode").then(({ default: DockerClient }) => new DockerClient()));
  return {
    type: "docker",
    defaultCommand: (flowRunId) => ["sluice", "flow-run", "execute", flowRunId],
    async launch(request, output) {
      const config = parseJobConfiguration("docker", request.configuration);
      const spec = buildContainerCreateOptions(config, request);
      const engine = await docker();
      await ensureImage(engine, config.image, config.imagePullPolicy);
      const container = await engine.createContainer(spec);
      for (const network of config.networkMode === undefined ? config.networks.slice(1) : []) {
        await engine.getNetwork(network).connect({ Container: container.id });
      }
      const stream = await container.attach({ stream: true, stdout: true, stderr: true });
      const drained = demuxLines(engine, stream, output);
      // Asked for before start, so an auto-removed container cannot exit unseen.
      const waited = container.wait({ condition: "next-exit" }) as Promise<{ StatusCode: number }>;
      await container.start();
      const exited: Promise<JobExit> = waited.then(async ({ StatusCode }) => {
        await drained;
        return { exitCode: StatusCode, signal: null };
      });
      return launchedContainer(container, exited);
    },
  };
}

function launchedContainer(container: Docker.Container, exited: Promise<JobExit>): LaunchedJob {
  return {
    infrastructureId: container.id,
    exited,
    async signal(signal) {
      try {
        await container.kill({ signal });
      } catch (error) {
        // 404: already removed; 409: not running. Either way it has stopped.
        const status = (error as { statusCode?: number }).statusCode;
        if (status !== 404 && status !== 409) throw error;
      }
    },
  };
}

async function ensureImage(docker: Docker, image: string, policy: "IfNotPresent" | "Always" | "Never") {
  if (policy === "Never") return;
  if (policy === "IfNotPresent") {
    try {
      await docker.getImage(image).inspect();
      return;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    }
  }
  const progress = await docker.pull(image);
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(progress, (error: Error | null) => (error ? reject(error) : resolve())),
  );
}

/** Splits the attach stream (stdout and stderr multiplexed, no TTY) into lines. */
function demuxLines(docker: Docker, stream: NodeJS.ReadableStream, output: OutputSink): Promise<void> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  docker.modem.demuxStream(stream, stdout, stderr);
  const ended = new Promise<void>((resolve) => {
    stream.once("end", resolve);
    stream.once("close", resolve);
  }).then(() => {
    stdout.end();
    stderr.end();
  });
  const lines = (source: PassThrough, name: "stdout" | "stderr") => {
    const reader = createInterface({ input: source, crlfDelay: Infinity });
    reader.on("line", (line) => output(name, line));
    return new Promise<void>((done) => reader.once("close", done));
  };
  return Promise.all([ended, lines(stdout, "stdout"), lines(stderr, "stderr")]).then(() => undefined);
}
