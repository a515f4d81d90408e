import { createInterface } from "node:readline";
import { PassThrough } from "node:stream";
import type * as K8s from "@kubernetes/client-node";
import { parseJobConfiguration } from "../job-configuration.js";
import { buildJobManifest, FLOW_RUN_CONTAINER } from "./kubernetes-manifest.js";
import type { JobExit, LaunchedJob, Launcher, OutputSink } from "./launcher.js";

/** Options of the Kubernetes launcher. */
export interface KubernetesLauncherOptions {
  /** A loaded kube config (default: KUBECONFIG, ~/.kube/config or the in-cluster service account). */
  kubeConfig?: K8s.KubeConfig;
  /** How often the Job's pod is checked, in milliseconds (default 2000). */
  pollMs?: number;
}

interface Clients {
  k8s: typeof K8s;
  config: K8s.KubeConfig;
  batch: K8s.BatchV1Api;
  core: K8s.CoreV1Api;
}

/** How long to wait for the pod's log stream to end after its container ended. */
const LOG_DRAIN_MS = 5000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs each flow run as a Kubernetes Job (@kubernetes/client-node, loaded on first use). */
export function createKubernetesLauncher(options: KubernetesLauncherOptions = {}): Launcher {
  const pollMs = options.pollMs ?? 2000;
  let clients: Promise<Clients> | undefined;
  const connect = () =>
    (clients ??= import("@kubernetes/client-node").then((k8s) => {
      const config = options.kubeConfig ?? new k8s.KubeConfig();
      if (!options.kubeConfig) config.loadFromDefault();
      return {
        k8s,
        config,
        batch: config.makeApiClient(k8s.BatchV1Api),
        core: config.makeApiClient(k8s.CoreV1Api),
      };
    }));
  return {
    type: "kubernetes",
    defaultCommand: (flowRunId) => ["sluice", "flow-run", "execute", flowRunId],
    async launch(request, output) {
      const config = parseJobConfiguration("kubernetes", request.configuration);
      const manifest = buildJobManifest(config, request);
      const api = await connect();
      const namespace = config.namespace;
      const job = await api.batch.createNamespacedJob({ namespace, body: manifest });
      const name = job.metadata?.name ?? "";
      const remove = (gracePeriodSeconds?: number) =>
        api.batch
          .deleteNamespacedJob({ name, namespace, propagationPolicy: "Background", gracePeriodSeconds })
          .then(() => undefined);
      let pod: K8s.V1Pod;
      try {
        pod = await waitForPod(api, namespace, name, config.podWatchTimeoutSeconds * 1000, pollMs);
      } catch (error) {
        await remove(0);
        throw error;
      }
      const podName = pod.metadata?.name ?? "";
      const containerName = containerOf(pod)?.name ?? FLOW_RUN_CONTAINER;
      const drained = streamPodLogs(api, namespace, podName, containerName, output);
      const exited = waitForExit(api, namespace, podName, pollMs).then(async (exit) => {
        // The log stream ends with the container; a stalled one must not hold the run open.
        await Promise.race([drained, sleep(LOG_DRAIN_MS)]);
        return exit;
      });
      return launchedJob(`${namespace}/${name}`, exited, remove);
    },
  };
}

function launchedJob(
  infrastructureId: string,
  exited: Promise<JobExit>,
  remove: (gracePeriodSeconds?: number) => Promise<void>,
): LaunchedJob {
  return {
    infrastructureId,
    exited,
    async signal(signal) {
      // A Job cannot be signalled: deleting it sends SIGTERM to its pod (then SIGKILL after the
      // pod's grace period); SIGKILL deletes it with no grace.
      try {
        await remove(signal === "SIGKILL" ? 0 : undefined);
      } catch (error) {
        if ((error as { code?: number }).code !== 404) throw error;
      }
    },
  };
}

function containerOf(pod: K8s.V1Pod) {
  const statuses = pod.status?.containerStatuses ?? [];
  return statuses.find((s) => s.name === FLOW_RUN_CONTAINER) ?? statuses[0];
}

async function waitForPod(api: Clients, namespace: string, job: string, timeoutMs: number, pollMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pods = await api.core.listNamespacedPod({ namespace, labelSelector: `job-name=${job}` });
    const pod = pods.items.find((p) => ["Running", "Succeeded", "Failed"].includes(p.status?.phase ?? ""));
    if (pod) return pod;
    if (Date.now() > deadline) {
      const waiting = containerOf(pods.items[0] ?? {})?.state?.waiting;
      const why = waiting ? `: ${waiting.reason ?? ""} ${waiting.message ?? ""}`.trimEnd() : "";
      throw new Error(`the pod of Job ${namespace}/${job} did not start within ${timeoutMs / 1000} s${why}`);
    }
    await sleep(pollMs);
  }
}

async function waitForExit(
  api: Clients,
  namespace: string,
  podName: string,
  pollMs: number,
): Promise<JobExit> {
  for (;;) {
    let pod: K8s.V1Pod;
    try {
      pod = await api.core.readNamespacedPod({ name: podName, namespace });
    } catch (error) {
      // The pod was deleted (cancellation, or someone removed the Job): it was killed.
      if ((error as { code?: number }).code === 404) return { exitCode: null, signal: "SIGKILL" };
      throw error;
    }
    const terminated = containerOf(pod)?.state?.terminated;
    if (terminated) {
      return { exitCode: terminated.exitCode, signal: terminated.signal ? String(terminated.signal) : null };
    }
    await sleep(pollMs);
  }
}

function streamPodLogs(
  api: Clients,
  namespace: string,
  podName: string,
  containerName: string,
  output: OutputSink,
): Promise<void> {
  const sink = new PassThrough();
  const reader = createInterface({ input: sink, crlfDelay: Infinity });
  reader.on("line", (line) => output("stdout", line));
  const closed = new Promise<void>((done) => reader.once("close", done));
  const log = new api.k8s.Log(api.config);
  // Kubernetes merges a container's stdout and stderr into one log.
  void log.log(namespace, podName, containerName, sink, { follow: true }).catch((error: unknown) => {
    output("stderr", `(could not stream the pod's logs: ${(error as Error).message})`);
    sink.end();
  });
  return closed;
}
