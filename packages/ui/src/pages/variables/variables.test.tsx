// @vitest-environment happy-dom
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App } from "../../App.js";
import { click, openOn, request, type, until, withText } from "../../lib/page-test.test-helper.js";
import { render } from "../../lib/render.test-helper.js";
import { startUiTestServer, type UiTestServer } from "../../lib/test-server.test-helper.js";
import { checkVariableInput } from "./variable-input.js";

describe("checkVariableInput", () => {
  it("parses the value as JSON and names each bad field", () => {
    expect(checkVariableInput({ name: "region", value: '{"zone": "b"}', tags: "aws, prod" })).toEqual({
      ok: true,
      name: "region",
      value: { zone: "b" },
      tags: ["aws", "prod"],
    });
    const bad = checkVariableInput({ name: "Bad-Name", value: "us-east-1", tags: "" });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.name).toMatch(/lowercase letters, digits and underscores/);
    expect(bad.errors.value).toMatch(/not valid JSON .*text must be quoted/);
    const big = checkVariableInput({ name: "big", value: JSON.stringify("x".repeat(5000)), tags: "" });
    expect(!big.ok && big.errors.value).toMatch(/5002 characters as JSON; the limit is 5000/);
    const empty = checkVariableInput({ name: "", value: "", tags: "" });
    expect(!empty.ok && empty.errors).toMatchObject({ name: "a name is required" });
  });
});

describe("the variables page against a real server", () => {
  let server: UiTestServer;
  beforeAll(async () => {
    server = await startUiTestServer();
    openOn(server, "/");
  });
  afterAll(() => server?.close());

  it("creates, refuses bad input by field, edits, filters and deletes after a confirmation", async () => {
    const suffix = randomUUID().slice(0, 8);
    const name = `ui_var_${suffix}`;
    await request(server, "PUT", `/api/variables/other_${suffix}`, { value: 1 });
    window.history.pushState(null, "", "/variables");
    const { container, unmount } = render(<App baseUrl={server.url} />);
    try {
      const filter = await until(() =>
        container.querySelector<HTMLInputElement>("[data-testid=variable-filter]"),
      );
      await type(filter, suffix);
      await click(withText(container, "button", "Apply"));
      await until(() => container.querySelectorAll("[data-testid=variable-row]").length === 1);

      await click(container.querySelector("[data-testid=new-variable]"));
      const form = await until(() => container.querySelector("[data-testid=variable-form]"));
      await type(form.querySelector<HTMLInputElement>("[data-testid=variable-name]")!, "Not Valid");
      await type(form.querySelector<HTMLTextAreaElement>("[data-testid=variable-value]")!, "us-east-1");
      await click(form.querySelector("[data-testid=variable-save]"));
      expect(form.querySelector("[data-testid=name-error]")?.textContent).toMatch(/^Name: .*lowercase/);
      expect(form.querySelector("[data-testid=value-error]")?.textContent).toMatch(/^Value: not valid JSON/);

      await type(form.querySelector<HTMLInputElement>("[data-testid=variable-name]")!, `other_${suffix}`);
      await type(form.querySelector<HTMLTextAreaElement>("[data-testid=variable-value]")!, '"us-east-1"');
      await click(form.querySelector("[data-testid=variable-save]"));
      await until(() => form.querySelector("[data-testid=save-error]"));
      expect(form.querySelector("[data-testid=save-error]")?.textContent).toContain(
        "exists; edit it instead",
      );

      await type(form.querySelector<HTMLInputElement>("[data-testid=variable-name]")!, name);
      await type(form.querySelector<HTMLInputElement>("[data-testid=variable-tags]")!, "aws");
      await click(form.querySelector("[data-testid=variable-save]"));
      const row = await until(() => withText(container, "[data-testid=variable-row]", name));
      expect(row.textContent).toContain('"us-east-1"');
      expect(await request(server, "GET", `/api/variables/${name}`)).toMatchObject({
        value: "us-east-1",
        tags: ["aws"],
      });

      await click(row.querySelector("[data-testid=edit-variable]"));
      const edit = await until(() => container.querySelector("[data-testid=variable-form]"));
      expect(edit.querySelector<HTMLInputElement>("[data-testid=variable-name]")?.disabled).toBe(true);
      await type(
        edit.querySelector<HTMLTextAreaElement>("[data-testid=variable-value]")!,
        '{"zone": "b", "n": 2}',
      );
      await click(edit.querySelector("[data-testid=variable-save]"));
      await until(() => withText(container, "[data-testid=variable-row]", '"zone":"b"'));
      expect(await request(server, "GET", `/api/variables/${name}`)).toMatchObject({
        value: { zone: "b", n: 2 },
      });

      const edited = withText(container, "[data-testid=variable-row]", name)!;
      await click(edited.querySelector("[data-testid=delete-variable]"));
      expect(edited.textContent).toContain(`Delete ${name}?`);
      await click(edited.querySelector("[data-testid=confirm-delete]"));
      await until(() => !withText(container, "[data-testid=variable-row]", name));
      await expect(request(server, "GET", `/api/variables/${name}`)).rejects.toThrow(/404/);
    } finally {
      unmount();
    }
  });
});
