import { z } from "zod";
import { describe, expect, it } from "vitest";
import { Unparsed, withDefaults, type JsonSchema } from "./json-schema.js";
import { validateValue } from "./schema-validator.js";

/** The JSON schema the SDK records for a flow's zod parameters (packages/sdk parameterJsonSchema). */
function fromZod(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
}

const parameters = fromZod(
  z.object({
    name: z.string().min(2).describe("who to greet"),
    count: z.number().int().min(1).max(10).default(3),
    ratio: z.number().gt(0).lt(1).optional(),
    loud: z.boolean().default(false),
    color: z.enum(["red", "green"]),
    tags: z.array(z.string().min(1)).max(2).optional(),
    nested: z.object({ city: z.string(), zip: z.number().int().optional() }),
    day: z.iso.date().optional(),
    at: z.iso.datetime().optional(),
    email: z.email().optional(),
    maybe: z.string().nullable().optional(),
    extra: z.record(z.string(), z.number()).optional(),
  }),
);

const valid = { name: "Ada", count: 3, loud: false, color: "red", nested: { city: "Oslo" } };

function errors(value: unknown, schema: JsonSchema = parameters) {
  return Object.fromEntries(validateValue(schema, value).map((e) => [e.path, e.message]));
}

describe("validateValue on a schema made by zod", () => {
  it("accepts a valid value", () => {
    expect(errors(valid)).toEqual({});
    expect(
      errors({
        ...valid,
        ratio: 0.5,
        tags: ["a"],
        day: "2026-02-28",
        at: "2026-02-28T10:00:00.000Z",
        email: "ada@example.com",
        maybe: null,
        extra: { a: 1 },
      }),
    ).toEqual({});
  });

  it("names each missing required field, nested ones by their dotted path", () => {
    expect(errors({ nested: {} })).toEqual({
      name: "is required",
      color: "is required",
      "nested.city": "is required",
    });
  });

  it("checks strings: length, enum, formats", () => {
    expect(errors({ ...valid, name: "A" })).toEqual({ name: "must be at least 2 characters" });
    expect(errors({ ...valid, color: "blue" })).toEqual({ color: "must be one of: red, green" });
    expect(errors({ ...valid, day: "2026-02-31" })).toEqual({ day: "must be a date (YYYY-MM-DD)" });
    expect(errors({ ...valid, at: "tomorrow" })).toEqual({
      at: "must be a date and time (YYYY-MM-DDTHH:MM:SSZ)",
    });
    expect(errors({ ...valid, email: "nope" })).toEqual({ email: "must be an email address" });
  });

  it("checks numbers: integer, minimum, maximum, exclusive bounds", () => {
    expect(errors({ ...valid, count: 1.5 })).toEqual({ count: "must be a whole number" });
    expect(errors({ ...valid, count: 0 })).toEqual({ count: "must be at least 1" });
    expect(errors({ ...valid, count: 11 })).toEqual({ count: "must be at most 10" });
    expect(errors({ ...valid, ratio: 0 })).toEqual({ ratio: "must be greater than 0" });
    expect(errors({ ...valid, ratio: 1 })).toEqual({ ratio: "must be less than 1" });
    expect(errors({ ...valid, count: "3" })).toEqual({ count: "must be a whole number" });
  });

  it("checks booleans, arrays and their items, maps and nulls", () => {
    expect(errors({ ...valid, loud: "yes" })).toEqual({ loud: "must be true or false" });
    expect(errors({ ...valid, tags: ["a", "b", "c"] })).toEqual({ tags: "must have at most 2 items" });
    expect(errors({ ...valid, tags: ["a", ""] })).toEqual({ "tags.1": "must not be empty" });
    expect(errors({ ...valid, tags: ["a", undefined] })).toEqual({ "tags.1": "is empty" });
    expect(errors({ ...valid, extra: { a: "x" } })).toEqual({ "extra.a": "must be a number" });
    expect(errors({ ...valid, nested: { city: "Oslo", zip: 1.5 } })).toEqual({
      "nested.zip": "must be a whole number",
    });
    expect(errors({ ...valid, name: null })).toEqual({ name: "must be text" });
  });

  it("reports text the user typed that is not yet a value", () => {
    expect(errors({ ...valid, count: new Unparsed("3x", "must be a whole number") })).toEqual({
      count: "must be a whole number",
    });
  });

  it("refuses unknown fields of a strict object, and accepts values the caller keeps", () => {
    const strict = fromZod(z.strictObject({ url: z.url(), token: z.string().min(1) }));
    expect(errors({ url: "https://example.com", token: "t", other: 1 }, strict)).toEqual({
      other: "is not a known field",
    });
    expect(errors({ url: "not a url", token: "t" }, strict)).toEqual({ url: "must be a URL" });
    const kept = validateValue(strict, { url: "********", token: "t" }, { isKept: (path) => path === "url" });
    expect(kept).toEqual([]);
  });

  it("follows local $refs and unions", () => {
    const schema: JsonSchema = {
      type: "object",
      properties: {
        point: { $ref: "#/$defs/point" },
        id: { anyOf: [{ type: "string" }, { type: "integer" }] },
      },
      $defs: { point: { type: "object", properties: { x: { type: "number" } }, required: ["x"] } },
    };
    expect(errors({ point: {}, id: 1 }, schema)).toEqual({ "point.x": "is required" });
    expect(errors({ point: { x: 1 }, id: true }, schema)).toEqual({
      id: "does not match any of the allowed shapes",
    });
  });
});

describe("withDefaults", () => {
  it("fills each field's default, recursing into nested objects, and keeps given values", () => {
    const schema = fromZod(
      z.object({
        count: z.number().default(3),
        name: z.string().optional(),
        inner: z.object({ flag: z.boolean().default(true), label: z.string().optional() }),
      }),
    );
    expect(withDefaults(schema, schema, undefined)).toEqual({ count: 3, inner: { flag: true } });
    expect(withDefaults(schema, schema, { count: 5, name: "x" })).toEqual({
      count: 5,
      name: "x",
      inner: { flag: true },
    });
  });
});
