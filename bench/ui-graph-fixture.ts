/**
 * A flow run with many task runs shaped like a real pipeline, recorded through the API as the SDK
 * records them (POST /api/task-runs/batch, in chunks): stages of tasks where each task of a stage
 * takes the results of one to three tasks of the stage before (a seeded random choice), RUNNING then
 * COMPLETED states with start and end times, a few FAILED, and the last ones still RUNNING.
 */
import { randomUUID } from "node:crypto";

/** One task run of the fixture, as the batch route takes it, with its states. */
interface FixtureTask {
  id: string;
  stage: number;
  name: string;
  upstream: string[];
  start: number;
  end: number | null;
  failed: boolean;
}

/** A full task-run state, as the batch route stores it. */
function state(type: "RUNNING" | "COMPLETED" | "FAILED", at: number, message: string | null = null) {
  const name = type === "RUNNING" ? "Running" : type === "COMPLETED" ? "Completed" : "Failed";
  const result =
    type === "COMPLETED"
      ? { storage: "local", key: `results/${randomUUID()}.json`, serializer: "json" }
      : null;
  return {
    id: randomUUID(),
    type,
    name,
    timestamp: new Date(at).toISOString(),
    message,
    details: { runCount: 1 },
    result,
  };
}

async function post<T>(baseUrl: string, path: string, body: unknown): Promise<T> {
  const res = await fetch(baseUrl + path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** A small deterministic generator (mulberry32), so every run of the benchmark draws the same graph. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STAGES = ["extract", "validate", "transform", "enrich", "aggregate", "load", "report"];

/** The tasks of a pipeline of `count` task runs; `running` of the last ones have not ended. */
export function pipelineTasks(
  count: number,
  options: { running?: number; failed?: number } = {},
): FixtureTask[] {
  const next = random(42);
  const base = Date.now() - 60_000;
  const tasks: FixtureTask[] = [];
  const perStage = Math.max(1, Math.floor(count / STAGES.length));
  let previous: FixtureTask[] = [];
  const ends = new Map<string, number>();
  for (let s = 0; s < STAGES.length && tasks.length < count; s += 1) {
    const size = s === STAGES.length - 1 ? count - tasks.length : Math.min(perStage, count - tasks.length);
    const stage: FixtureTask[] = [];
    for (let i = 0; i < size; i += 1) {
      const inputs = previous.length === 0 ? 0 : 1 + Math.floor(next() * 3);
      const upstream = [
        ...new Set(Array.from({ length: inputs }, () => previous[Math.floor(next() * previous.length)]!.id)),
      ];
      const ready = Math.max(base, ...upstream.map((id) => ends.get(id) ?? base));
      const start = ready + Math.floor(next() * 2000);
      stage.push({
        id: randomUUID(),
        stage: s,
        name: `${STAGES[s]}-${i}`,
        upstream,
        start,
        end: start + 200 + Math.floor(next() * 5000),
        failed: false,
      });
    }
    tasks.push(...stage);
    for (const t of stage) ends.set(t.id, t.end ?? t.start);
    previous = stage;
  }
  const failed = options.failed ?? Math.min(3, Math.floor(count / 1000) + 1);
  for (let i = 0; i < failed; i += 1) tasks[Math.floor(count / 2) + i * 7]!.failed = true;
  const running = options.running ?? 0;
  for (let i = count - running; i < count; i += 1) tasks[i]!.end = null;
  return tasks;
}

/** Records `tasks` in flow run `flowRunId` through the batch route, `chunk` task runs per request. */
export async function recordTasks(
  baseUrl: string,
  flowRunId: string,
  tasks: FixtureTask[],
  chunk = 2000,
): Promise<void> {
  for (let i = 0; i < tasks.length; i += chunk) {
    const part = tasks.slice(i, i + chunk);
    await post(baseUrl, "/api/task-runs/batch", {
      taskRuns: part.map((t) => ({
        id: t.id,
        flowRunId,
        taskKey: `pipeline.${STAGES[t.stage]}`,
        name: t.name,
        dynamicKey: t.name.split("-")[1],
        taskInputs: Object.fromEntries(t.upstream.map((id, k) => [`input${k}`, [{ kind: "task-run", id }]])),
        createdAt: new Date(t.start).toISOString(),
      })),
      states: part.flatMap((t) => [
        { taskRunId: t.id, state: state("RUNNING", t.start) },
        ...(t.end === null
          ? []
          : [
              {
                taskRunId: t.id,
                state: t.failed
                  ? state("FAILED", t.end, "ValueError: a row had no id")
                  : state("COMPLETED", t.end),
              },
            ]),
      ]),
    });
  }
}

/** Ends the running ones of `tasks` (COMPLETED now): the live update the run page follows. */
export async function completeRunning(baseUrl: string, tasks: FixtureTask[]): Promise<number> {
  const running = tasks.filter((t) => t.end === null);
  const now = Date.now();
  await post(baseUrl, "/api/task-runs/batch", {
    states: running.map((t) => ({ taskRunId: t.id, state: state("COMPLETED", now) })),
  });
  return running.length;
}

/** Creates a RUNNING flow run holding a pipeline of `count` task runs; answers its id and tasks. */
export async function createPipelineRun(
  baseUrl: string,
  count: number,
  options: { running?: number; flowName?: string } = {},
): Promise<{ id: string; tasks: FixtureTask[] }> {
  const run = await post<{ id: string }>(baseUrl, "/api/flow-runs", {
    flowName: options.flowName ?? "pipeline",
    name: `pipeline-${count}`,
  });
  await post(baseUrl, `/api/flow-runs/${run.id}/set-state`, { state: { type: "RUNNING" } });
  const tasks = pipelineTasks(count, options);
  await recordTasks(baseUrl, run.id, tasks);
  return { id: run.id, tasks };
}
