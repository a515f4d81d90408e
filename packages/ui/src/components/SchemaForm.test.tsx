// @vitest-environment happy-dom
import { act, useState } from "react";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { errorsByPath } from "../lib/form-errors.js";
import { Unparsed, withDefaults, type JsonSchema } from "../lib/json-schema.js";
import { fieldErrorOf, typeInto } from "../lib/page-test.test-helper.js";
import { render } from "../lib/render.test-helper.js";
import { validateValue } from "../lib/schema-validator.js";
import { SchemaForm } from "./SchemaForm.js";

const schema = z.toJSONSchema(
  z.object({
    name: z.string().min(2).describe("who to greet"),
    count: z.number().int().min(1).max(10).default(3),
    loud: z.boolean().default(false),
    quiet: z.boolean().optional(),
    color: z.enum(["red", "green"]),
    tags: z.array(z.string()).optional(),
    nested: z.object({ city: z.string() }),
    day: z.iso.date().optional(),
    at: z.iso.datetime().optional(),
    token: z.string().optional(),
    extra: z.record(z.string(), z.number()).optional(),
    notes: z.object({ text: z.string() }).optional(),
  }),
  { io: "input", unrepresentable: "any" },
) as JsonSchema;

/** The form with its state, validating on demand as the pages do; `latest` is the value being edited. */
let latest: unknown;
function Harness(props: { initial: unknown; showErrors?: boolean }) {
  const [value, setValue] = useState(props.initial);
  latest = value;
  const errors = props.showErrors ? errorsByPath(validateValue(schema, value)) : undefined;
  return (
    <SchemaForm
      schema={schema}
      value={value}
      onChange={setValue}
      errors={errors}
      secretPaths={["token"]}
      idPrefix="t"
    />
  );
}

const mounted: (() => void)[] = [];
afterEach(() => mounted.splice(0).forEach((unmount) => unmount()));

function show(initial: unknown, showErrors = false): HTMLElement {
  const { container, unmount } = render(<Harness initial={initial} showErrors={showErrors} />);
  mounted.push(unmount);
  return container;
}

function control<T extends Element = HTMLInputElement>(container: HTMLElement, name: string): T {
  const found = container.querySelector<T>(`[name="${name}"]`);
  if (!found) throw new Error(`no control named ${name}: ${container.innerHTML}`);
  return found;
}

describe("SchemaForm", () => {
  it("renders one control per field type, with labels, required marks, descriptions and defaults", () => {
    const container = show(withDefaults(schema, schema, undefined));
    expect(control(container, "name").type).toBe("text");
    expect(container.querySelector('label[for="t-name"]')?.textContent).toBe("name *");
    expect(container.textContent).toContain("who to greet");
    expect(control(container, "count").value).toBe("3");
    expect(container.textContent).toContain("Default: 3");
    expect(control(container, "loud").type).toBe("checkbox");
    // An optional boolean without a default can also be left unset.
    expect([...control<HTMLSelectElement>(container, "quiet").options].map((o) => o.text)).toEqual([
      "(not set)",
      "true",
      "false",
    ]);
    expect([...control<HTMLSelectElement>(container, "color").options].map((o) => o.text)).toEqual([
      "(not set)",
      "red",
      "green",
    ]);
    expect(container.querySelector('[data-testid="add-tags"]')).not.toBeNull();
    // Required fields come first; an optional group has no required mark.
    expect([...container.querySelectorAll("fieldset legend")].map((l) => l.textContent)).toEqual([
      "nested *",
      "notes",
    ]);
    expect(control(container, "name").compareDocumentPosition(control(container, "count"))).toBe(
      Node.DOCUMENT_POSITION_FOLLOWING,
    );
    expect(control(container, "color").compareDocumentPosition(control(container, "count"))).toBe(
      Node.DOCUMENT_POSITION_FOLLOWING,
    );
    expect(control(container, "nested.city").type).toBe("text");
    expect(control(container, "day").type).toBe("date");
    expect(control(container, "at").type).toBe("datetime-local");
    expect(control(container, "token").type).toBe("password");
    expect(control<HTMLTextAreaElement>(container, "extra").tagName).toBe("TEXTAREA");
  });

  it("edits the value: text, numbers, choices, booleans, nested fields, list items, dates and JSON", () => {
    const container = show(withDefaults(schema, schema, undefined));
    typeInto(control(container, "name"), "Ada");
    typeInto(control(container, "count"), "7");
    typeInto(control<HTMLSelectElement>(container, "color"), "1");
    act(() => control(container, "loud").click());
    typeInto(control(container, "nested.city"), "Oslo");
    act(() => container.querySelector<HTMLButtonElement>('[data-testid="add-tags"]')!.click());
    typeInto(control(container, "tags.0"), "first");
    typeInto(control(container, "day"), "2026-03-01");
    typeInto(control(container, "at"), "2026-03-01T10:30");
    typeInto(control<HTMLTextAreaElement>(container, "extra"), '{"a": 1}');
    expect(latest).toEqual({
      name: "Ada",
      count: 7,
      loud: true,
      color: "green",
      nested: { city: "Oslo" },
      tags: ["first"],
      day: "2026-03-01",
      at: new Date("2026-03-01T10:30").toISOString(),
      extra: { a: 1 },
    });
    // A cleared field is left out, so the flow's default applies.
    typeInto(control(container, "name"), "");
    expect(latest).not.toHaveProperty("name");
  });

  it("keeps what cannot be parsed yet as an error of its field", () => {
    const container = show({ name: "Ada", color: "red", nested: { city: "x" } });
    typeInto(control(container, "count"), "12x");
    expect(latest).toMatchObject({ count: new Unparsed("12x", "must be a whole number") });
    typeInto(control<HTMLTextAreaElement>(container, "extra"), "{broken");
    expect(validateValue(schema, latest).map((e) => e.path)).toEqual(["count", "extra"]);
  });

  it("shows each error beside its field", () => {
    const container = show({ name: "A", count: 11, color: "red", nested: {}, extra: { a: "x" } }, true);
    expect(fieldErrorOf(container, "name")).toBe("must be at least 2 characters");
    expect(fieldErrorOf(container, "count")).toBe("must be at most 10");
    expect(fieldErrorOf(container, "nested.city")).toBe("is required");
    expect(control(container, "count").getAttribute("aria-invalid")).toBe("true");
    // The JSON editor shows the errors of the values inside it.
    expect(fieldErrorOf(container, "extra")).toBe("extra.a: must be a number");
    expect(fieldErrorOf(container, "color")).toBeNull();
  });

  it("edits a value without named fields as JSON", () => {
    const any = { type: "object" } as JsonSchema;
    function Free() {
      const [value, setValue] = useState<unknown>({ a: 1 });
      latest = value;
      return (
        <SchemaForm schema={any} value={value} onChange={setValue} idPrefix="f" rootLabel="parameters" />
      );
    }
    const { container, unmount } = render(<Free />);
    mounted.push(unmount);
    const editor = container.querySelector<HTMLTextAreaElement>("textarea")!;
    expect(JSON.parse(editor.value)).toEqual({ a: 1 });
    expect(container.querySelector("label")?.textContent).toBe("parameters *");
    typeInto(editor, '{"b": [1, 2]}');
    expect(latest).toEqual({ b: [1, 2] });
  });
});
