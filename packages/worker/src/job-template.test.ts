import { defaultBaseJobTemplate } from "@sluice/contracts";
import { describe, expect, it } from "vitest";
import { renderJobConfiguration, resolveJobVariables } from "./job-template.js";

const template = {
  variables: {
    type: "object",
    properties: {
      image: { type: "string", default: "sluice:latest" },
      env: { type: "object", default: { A: "1" } },
      retries: { type: "integer", default: 2 },
      name: { type: "string" },
      tag: { type: "string" },
    },
  },
  jobConfiguration: {
    image: "{{ image }}",
    env: "{{env}}",
    retries: "{{ retries }}",
    title: "run {{ name }} on {{ image }}",
    described: "env is {{ env }}",
    name: "{{ name }}",
    generateName: "{{ name }}-",
    nested: { list: ["{{ image }}", "{{ tag }}", "fixed"], tag: "{{ tag }}", unknown: "{{ nothing }}" },
    literal: 3,
  },
};

describe("renderJobConfiguration", () => {
  it("takes schema defaults, then the run's job variables over them", () => {
    expect(resolveJobVariables(template, { image: "custom:1", tag: "v2" })).toEqual({
      image: "custom:1",
      env: { A: "1" },
      retries: 2,
      tag: "v2",
    });
  });

  it("gives a whole placeholder the value's JSON type and a placeholder in text the value's text", () => {
    const rendered = renderJobConfiguration(template, { name: "etl", env: { B: "2" }, retries: 0 });
    expect(rendered).toMatchObject({
      image: "sluice:latest",
      env: { B: "2" },
      retries: 0,
      title: "run etl on sluice:latest",
      described: 'env is {"B":"2"}',
      name: "etl",
      generateName: "etl-",
      literal: 3,
    });
  });

  it("removes keys and array items whose variable has no value (missing, null or unknown)", () => {
    const rendered = renderJobConfiguration(template, { image: null });
    expect(rendered).not.toHaveProperty("image");
    expect(rendered).not.toHaveProperty("name");
    expect(rendered).not.toHaveProperty("title");
    expect(rendered).not.toHaveProperty("generateName");
    expect(rendered.nested).toEqual({ list: ["fixed"] });
  });

  it("does not share objects with the template or the variables", () => {
    const env = { C: "3" };
    const rendered = renderJobConfiguration(template, { env });
    (rendered.env as Record<string, string>).C = "changed";
    expect(env.C).toBe("3");
    expect(template.variables.properties.env.default).toEqual({ A: "1" });
  });

  it("renders the default process template to its defaults, without a command", () => {
    const rendered = renderJobConfiguration(defaultBaseJobTemplate("process"), { name: "run-1" });
    expect(rendered).toEqual({ env: {}, labels: {}, streamOutput: true, name: "run-1" });
  });

  it("renders the kubernetes template's nested Job manifest", () => {
    const rendered = renderJobConfiguration(defaultBaseJobTemplate("kubernetes"), {
      name: "run-1",
      cpuLimit: "500m",
      finishedJobTtl: 60,
    });
    expect(rendered.jobManifest).toMatchObject({
      metadata: { generateName: "run-1-", namespace: "default", labels: {} },
      spec: {
        backoffLimit: 0,
        ttlSecondsAfterFinished: 60,
        template: {
          spec: {
            containers: [
              { image: "sluice:latest", env: {}, resources: { requests: {}, limits: { cpu: "500m" } } },
            ],
          },
        },
      },
    });
    const container = (rendered.jobManifest as { spec: { template: { spec: { containers: object[] } } } })
      .spec.template.spec.containers[0];
    expect(container).not.toHaveProperty("args");
    expect(rendered).not.toHaveProperty("jobManifest.spec.template.spec.serviceAccountName");
  });
});
