import { describe, expect, it } from "vitest";
import { SluiceApiError } from "@sluice/client";
import { positionServerError } from "./deploy-project.js";
import { toDeploymentUpsert, upsertIssuePathToEntryPath } from "./deployment-upsert.js";
import { parseIsoDuration } from "./duration.js";
import { parseProjectFile } from "./load-project-file.js";
import { ProjectFileError } from "./project-file-error.js";
import { checkScheduleEntry } from "./schedule-check.js";
import { collectTemplateReferences, type TemplateContext } from "./templating.js";

const FULL = `deployments:
  - name: nightly
    entrypoint: flows/etl.ts:etl
    description: Nightly load
    version: "1.2"
    tags: [etl]
    parameters: { limit: 10 }
    enforceParameterSchema: false
    workPool: { name: default, queue: fast, jobVariables: { env: { A: "1" } } }
    schedules:
      - cron: "0 3 * * *"
        timezone: America/New_York
        dayOr: false
        parameters: { limit: 5 }
        active: false
      - interval: PT1H
        anchorDate: 2026-01-01T00:00:00Z
        timezone: UTC
      - rrule: "FREQ=WEEKLY;BYDAY=MO"
    concurrencyLimit: 1
    collisionStrategy: CANCEL_NEW
    lateRuns: { policy: SKIP_LATE, thresholdSeconds: 600 }
    crashRetries: 2
    paused: true
`;

/** Parses `text`, expecting a ProjectFileError, and answers its message lines. */
function problems(
  text: string,
  env: NodeJS.ProcessEnv = {},
  values: Omit<TemplateContext, "env"> = {},
): string[] {
  try {
    parseProjectFile(text, "sluice.yaml", "/project", { env, ...values });
  } catch (error) {
    if (error instanceof ProjectFileError)
      return error.message.split("\n").filter((l) => l.startsWith("sluice.yaml:"));
    throw error;
  }
  throw new Error("expected the file to be refused");
}

describe("sluice.yaml", () => {
  it("maps every key of the documented example to the deployment upsert", () => {
    const project = parseProjectFile(FULL, "sluice.yaml", "/project", { env: {} });
    const entry = project.content.deployments[0];
    if (!entry) throw new Error("no deployment parsed");
    const upsert = toDeploymentUpsert(
      entry,
      { flowName: "etl", parameterSchema: { type: "object" } },
      "/project",
    );
    expect(upsert).toEqual({
      flowName: "etl",
      name: "nightly",
      description: "Nightly load",
      version: "1.2",
      tags: ["etl"],
      entrypoint: "flows/etl.ts:etl",
      path: "/project",
      parameters: { limit: 10 },
      parameterSchema: { type: "object" },
      enforceParameterSchema: false,
      workPoolName: "default",
      workQueueName: "fast",
      jobVariables: { env: { A: "1" } },
      concurrencyLimit: 1,
      collisionStrategy: "CANCEL_NEW",
      lateRunPolicy: { mode: "SKIP_LATE", thresholdSeconds: 600 },
      crashRetries: 2,
      paused: true,
      schedules: [
        {
          schedule: { kind: "cron", cron: "0 3 * * *", timezone: "America/New_York", dayOr: false },
          active: false,
          parameters: { limit: 5 },
        },
        {
          schedule: { kind: "interval", seconds: 3600, timezone: "UTC", anchorDate: "2026-01-01T00:00:00Z" },
          active: true,
          parameters: {},
        },
        { schedule: { kind: "rrule", rrule: "FREQ=WEEKLY;BYDAY=MO" }, active: true, parameters: {} },
      ],
    });
  });

  it("sends the defaults for keys left out, so removing a key or a schedule resets it on the server", () => {
    const project = parseProjectFile(
      "deployments:\n  - name: a\n    entrypoint: f.ts:x\n",
      "sluice.yaml",
      "/p",
      { env: {} },
    );
    const entry = project.content.deployments[0];
    if (!entry) throw new Error("no deployment parsed");
    expect(toDeploymentUpsert(entry, { flowName: "x", parameterSchema: null }, "/p")).toMatchObject({
      schedules: [],
      paused: false,
      concurrencyLimit: null,
      workPoolName: null,
      enforceParameterSchema: true,
      lateRunPolicy: { mode: "RUN_ALL" },
      collisionStrategy: "ENQUEUE",
      crashRetries: 0,
    });
  });

  it("resolves anchors, aliases and << merge keys; anchored top-level keys hold definitions", () => {
    const text = `defaults: &defaults
  workPool:
    name: "{{ $POOL }}"
  crashRetries: 1
definitions:
  every-hour: &hourly
    interval: 3600
deployments:
  - name: hello
    entrypoint: flows/loop.ts:hello
    <<: *defaults
    schedules: [*hourly]
  - name: other
    entrypoint: flows/loop.ts:other
    <<: *defaults
    crashRetries: 3
`;
    const { content } = parseProjectFile(text, "sluice.yaml", "/p", { env: { POOL: "pool-a" } });
    expect(content.deployments).toEqual([
      {
        name: "hello",
        entrypoint: "flows/loop.ts:hello",
        workPool: { name: "pool-a" },
        crashRetries: 1,
        schedules: [{ interval: 3600 }],
      },
      { name: "other", entrypoint: "flows/loop.ts:other", workPool: { name: "pool-a" }, crashRetries: 3 },
    ]);
  });

  it("points at an unknown key itself, naming the keys allowed there", () => {
    const text =
      "deployments:\n  - name: a\n    entrypoint: f.ts:x\n    schedules:\n      - cron: '* * * * *'\n        timezon: UTC\n";
    expect(problems(text)).toEqual([
      'sluice.yaml:6:9: deployments[0].schedules[0].timezon: unknown key "timezon"; allowed here: cron, dayOr, timezone, parameters, active',
    ]);
    expect(problems("deployment:\n  - name: a\n")).toEqual([
      "sluice.yaml:1:1: deployments: required: add deployments",
      'sluice.yaml:1:1: deployment: unknown key "deployment"; allowed here: definitions, deployments',
    ]);
  });

  it("fills {{ $ENV_VAR }} in strings and names a missing variable at its position", () => {
    const text =
      'deployments:\n  - name: "n-{{ $SUFFIX }}"\n    entrypoint: f.ts:x\n    tags: [a, "{{$MISSING}}"]\n';
    expect(
      parseProjectFile(text, "sluice.yaml", "/p", { env: { SUFFIX: "7", MISSING: "m" } }).content
        .deployments[0],
    ).toEqual({
      name: "n-7",
      entrypoint: "f.ts:x",
      tags: ["a", "m"],
    });
    expect(problems(text, { SUFFIX: "7" })).toEqual([
      "sluice.yaml:4:16: deployments[0].tags[1]: the environment variable MISSING is not set",
    ]);
  });

  it("fills {{ variables.NAME }} and {{ blocks.TYPE.NAME.FIELD }}, keeping a whole template's JSON type", () => {
    const text = [
      "deployments:",
      "  - name: a",
      "    entrypoint: f.ts:x",
      "    concurrencyLimit: '{{ variables.limit }}'",
      "    parameters:",
      "      regions: '{{ variables.regions }}'",
      "      label: 'limit {{ variables.limit }} in {{ blocks.s3-bucket.results.bucket }}'",
      "      store: '{{ blocks.s3-bucket.results.basePath }}'",
      "      settings: '{{ blocks.json.settings }}'",
      "",
    ].join("\n");
    const values = {
      variables: new Map<string, unknown>([
        ["limit", 3],
        ["regions", ["us", "eu"]],
      ]),
      blocks: new Map([
        [
          "s3-bucket/results",
          {
            data: {
              bucket: "sluice-results",
              basePath: "runs",
              credentials: { secretAccessKey: "********" },
            },
            secretFields: ["credentials.secretAccessKey"],
          },
        ],
        ["json/settings", { data: { value: { depth: 2 } }, secretFields: [] }],
      ]),
    };
    const entry = parseProjectFile(text, "sluice.yaml", "/p", { env: {}, ...values }).content.deployments[0];
    expect(entry).toMatchObject({
      concurrencyLimit: 3,
      parameters: {
        regions: ["us", "eu"],
        label: "limit 3 in sluice-results",
        store: "runs",
        settings: { value: { depth: 2 } },
      },
    });
  });

  it("names missing variables and blocks, secret fields and unknown templates at their position", () => {
    const text =
      "deployments:\n  - name: a\n    entrypoint: f.ts:x\n    parameters:\n      token: '{{ blocks.secret.api.value }}'\n      user: '{{ variables.user }}'\n      other: '{{ step.output }}'\n      creds: '{{ blocks.s3-bucket.results.credentials }}'\n      whole: '{{ blocks.s3-bucket.results }}'\n      nope: '{{ blocks.s3-bucket.results.region }}'\n      gone: '{{ blocks.json.gone }}'\n";
    const blocks = new Map([
      ["secret/api", { data: { value: "********" }, secretFields: ["value"] }],
      [
        "s3-bucket/results",
        {
          data: { bucket: "b", credentials: { secretAccessKey: "********" } },
          secretFields: ["credentials.secretAccessKey"],
        },
      ],
    ]);
    const lines = problems(text, {}, { variables: new Map(), blocks });
    expect(lines).toEqual([
      'sluice.yaml:5:15: deployments[0].parameters.token: blocks.secret.api.value would copy the secret field "value" into the deployment; load the block in the flow instead (for example Secret.load("api"))',
      'sluice.yaml:6:14: deployments[0].parameters.user: no variable named "user" on the server (set it with sluice variable set user VALUE)',
      "sluice.yaml:7:15: deployments[0].parameters.other: unknown template {{ step.output }}: expected {{ $ENV_VAR }}, {{ variables.NAME }} or {{ blocks.TYPE.NAME[.FIELD] }}",
      expect.stringContaining(
        'parameters.creds: blocks.s3-bucket.results.credentials would copy the secret field "credentials.secretAccessKey"',
      ),
      expect.stringContaining("parameters.whole: blocks.s3-bucket.results would copy the secret field"),
      expect.stringContaining('parameters.nope: the s3-bucket block "results" has no field "region"'),
      expect.stringContaining(
        'parameters.gone: no json block named "gone" on the server (create it with sluice block create json gone)',
      ),
    ]);
  });

  it("collects the variables and blocks a file's templates name", () => {
    expect(
      collectTemplateReferences({
        a: ["{{ variables.x }} and {{ blocks.secret.api.value }}", "{{ $HOME }}"],
        b: { c: "{{ blocks.json.settings }}{{ variables.x }}" },
      }),
    ).toEqual({ variables: new Set(["x"]), blocks: new Set(["secret/api", "json/settings"]) });
  });

  it("positions schedule, entrypoint and late-run errors on the field", () => {
    const text = `deployments:
  - name: a
    entrypoint: flows/etl.ts
    schedules:
      - cron: "0 3 * * *"
        rrule: FREQ=DAILY
      - interval: P1M
      - {}
    lateRuns: { policy: SKIP_LATE }
`;
    expect(problems(text)).toEqual([
      "sluice.yaml:3:17: deployments[0].entrypoint: expected <file.ts>:<exportedFlow>, for example flows/etl.ts:etl",
      "sluice.yaml:5:9: deployments[0].schedules[0]: a schedule has exactly one of cron, interval or rrule, not cron and rrule",
      'sluice.yaml:7:19: deployments[0].schedules[1].interval: "P1M" is not an interval: give seconds (3600) or an ISO-8601 duration (PT1H, P1D, PT90S)',
      "sluice.yaml:8:9: deployments[0].schedules[2]: a schedule needs one of cron, interval or rrule",
      "sluice.yaml:9:15: deployments[0].lateRuns.thresholdSeconds: SKIP_LATE needs thresholdSeconds",
    ]);
  });

  it("reports a value reached through an alias where the anchor defines it", () => {
    const text =
      "x: &bad\n  name: default\n  priority: 3\ndeployments:\n  - name: a\n    entrypoint: f.ts:x\n    workPool: *bad\n";
    expect(problems(text)).toEqual([
      'sluice.yaml:3:3: deployments[0].workPool.priority: unknown key "priority"; allowed here: name, queue, jobVariables',
    ]);
  });

  it("reports YAML syntax errors, duplicate keys, aliases without anchors and duplicate names", () => {
    expect(problems("deployments: [\n")).toEqual([
      "sluice.yaml:2:1: Flow sequence in block collection must be sufficiently indented and end with a ]",
    ]);
    expect(problems("deployments:\n  - name: a\n")).toEqual([
      "sluice.yaml:2:5: deployments[0].entrypoint: required: add entrypoint",
    ]);
    expect(problems("deployments: []\ndeployments: []\n")).toEqual([
      "sluice.yaml:2:1: Map keys must be unique",
    ]);
    expect(problems("deployments:\n  - *nope\n")).toEqual([
      "sluice.yaml:2:5: the alias *nope names no anchor defined before it",
    ]);
    expect(
      problems("deployments:\n  - { name: a, entrypoint: f.ts:x }\n  - { name: a, entrypoint: g.ts:y }\n"),
    ).toEqual(['sluice.yaml:3:13: deployments[1].name: "a" is already the name of deployments[0]']);
    expect(problems("")).toEqual(["sluice.yaml:1:1: the file is empty: expected a `deployments:` list"]);
  });

  it("checks cron, rrule and time zones with the server's calendar", async () => {
    expect(await checkScheduleEntry({ cron: "0 3 * * *", timezone: "Europe/Paris" })).toBeUndefined();
    expect(await checkScheduleEntry({ cron: "61 * * * *" })).toMatchObject({ field: "cron" });
    expect(await checkScheduleEntry({ rrule: "FREQ=SOMETIMES" })).toMatchObject({ field: "rrule" });
    expect(await checkScheduleEntry({ interval: 60, timezone: "Mars/Olympus" })).toMatchObject({
      field: "timezone",
    });
  });
});

describe("server issue paths", () => {
  it("map back to the fields of the file entry", () => {
    expect(upsertIssuePathToEntryPath("body.schedules.0.schedule.cron")).toEqual(["schedules", 0, "cron"]);
    expect(upsertIssuePathToEntryPath("body.schedules.2.schedule.seconds")).toEqual([
      "schedules",
      2,
      "interval",
    ]);
    expect(upsertIssuePathToEntryPath("body.schedules.1.parameters.n")).toEqual([
      "schedules",
      1,
      "parameters",
      "n",
    ]);
    expect(upsertIssuePathToEntryPath("body.workPoolName")).toEqual(["workPool", "name"]);
    expect(upsertIssuePathToEntryPath("body.jobVariables.env")).toEqual(["workPool", "jobVariables", "env"]);
    expect(upsertIssuePathToEntryPath("body.parameters.limit")).toEqual(["parameters", "limit"]);
    expect(upsertIssuePathToEntryPath("body.lateRunPolicy.thresholdSeconds")).toEqual(["lateRuns"]);
  });
});

describe("server errors for an upsert", () => {
  const text =
    "deployments:\n  - name: a\n    entrypoint: f.ts:x\n    workPool: { name: p, queue: q }\n    schedules:\n      - interval: 60\n      - cron: '0 * * * *'\n";
  const project = parseProjectFile(text, "sluice.yaml", "/p", { env: {} });
  const prepared = {
    index: 0,
    entry: project.content.deployments[0] as never,
    upsert: { flowName: "x", name: "a", entrypoint: "f.ts:x" },
  };

  it("are positioned at the field the issue path names", () => {
    const invalid = new SluiceApiError(
      400,
      "invalid_schedule",
      "invalid schedule",
      {
        issues: [{ path: "body.schedules.1.schedule.cron", message: "never matches" }],
      },
      "upsertDeployment",
    );
    expect(positionServerError(project, prepared, invalid)?.message).toBe(
      "sluice.yaml:7:15: deployments[0].schedules[1].cron: never matches (invalid_schedule)",
    );
    const noPool = new SluiceApiError(
      404,
      "work_pool_not_found",
      "no work pool p",
      undefined,
      "upsertDeployment",
    );
    expect(positionServerError(project, prepared, noPool)?.message).toBe(
      "sluice.yaml:4:23: deployments[0].workPool.name: no work pool p",
    );
    const noQueue = new SluiceApiError(
      404,
      "work_queue_not_found",
      "no queue q",
      undefined,
      "upsertDeployment",
    );
    expect(positionServerError(project, prepared, noQueue)?.message).toBe(
      "sluice.yaml:4:33: deployments[0].workPool.queue: no queue q",
    );
    const other = new SluiceApiError(500, "internal_error", "boom", undefined, "upsertDeployment");
    expect(positionServerError(project, prepared, other)).toBeUndefined();
  });
});

describe("ISO-8601 durations", () => {
  it("become seconds; years and months are refused", () => {
    expect(parseIsoDuration("PT1H")).toBe(3600);
    expect(parseIsoDuration("P1DT12H")).toBe(129_600);
    expect(parseIsoDuration("PT1.5S")).toBe(1.5);
    expect(parseIsoDuration("P2W")).toBe(1_209_600);
    expect(parseIsoDuration("P1M")).toBeUndefined();
    expect(parseIsoDuration("P1Y")).toBeUndefined();
    expect(parseIsoDuration("PT")).toBeUndefined();
    expect(parseIsoDuration("P")).toBeUndefined();
    expect(parseIsoDuration("1h")).toBeUndefined();
  });
});
