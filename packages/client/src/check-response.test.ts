import { describe, expect, it } from "vitest";
import { z } from "zod";
import { checkAnswer, LARGE_ANSWER_CHARS, yieldToEventLoop } from "./check-response.js";

const Item = z.object({ id: z.uuid(), n: z.number().int(), tag: z.string().default("none") });
const Answer = z.object({ owner: z.uuid(), items: z.array(Item), other: z.array(z.number()) });

const uuid = (i: number) => `0b7f5a4e-6a1b-4c55-9d2a-${String(i).padStart(12, "0")}`;
function answer(count: number) {
  return {
    owner: uuid(0),
    // An unknown key, stripped by the schema, and a defaulted field, filled in by it.
    items: Array.from({ length: count }, (_, i) => ({ id: uuid(i), n: i, extra: true })),
    other: [1, 2, 3],
    unknown: "dropped",
  };
}

/** A pause that counts its calls and yields for real. */
function countingPause() {
  const pause = async () => {
    pause.calls += 1;
    await yieldToEventLoop();
  };
  pause.calls = 0;
  return pause;
}

const sortedPaths = (error: z.ZodError) => error.issues.map((i) => JSON.stringify(i.path)).sort();

describe("checkAnswer", () => {
  it("checks a small answer at once, as safeParse does", async () => {
    const pause = countingPause();
    const value = answer(2500);
    expect(await checkAnswer(Answer, value, 1000, { pieceItems: 1000, pause })).toEqual(
      Answer.safeParse(value),
    );
    expect(pause.calls).toBe(0);
  });

  it("checks a large answer's long arrays in pieces, after a yield each, with safeParse's data", async () => {
    const pause = countingPause();
    const value = answer(2500);
    const result = await checkAnswer(Answer, value, LARGE_ANSWER_CHARS, { pieceItems: 1000, pause });
    expect(result).toEqual(Answer.safeParse(value));
    const data = result.data as { items: unknown[] };
    expect(data.items).toHaveLength(2500);
    expect(data.items[2400]).toEqual({ id: uuid(2400), n: 2400, tag: "none" });
    expect(data).not.toHaveProperty("unknown");
    // One yield before checking, then one before each piece but the first: 2,500 items are 3 pieces.
    expect(pause.calls).toBe(3);
  });

  it("reports the issues safeParse reports, with item paths counted from the start of the array", async () => {
    const value = answer(2500);
    value.owner = "not a uuid";
    value.items[3]!.id = "bad";
    value.items[1500]!.n = 1.5;
    (value.items[2499] as { n: unknown }).n = "two";
    const whole = Answer.safeParse(value);
    const pieces = await checkAnswer(Answer, value, LARGE_ANSWER_CHARS, { pieceItems: 1000 });
    expect(whole.success).toBe(false);
    expect(pieces.success).toBe(false);
    expect(sortedPaths(pieces.error!)).toEqual(sortedPaths(whole.error!));
    expect(sortedPaths(pieces.error!)).toEqual(
      ['["items",1500,"n"]', '["items",2499,"n"]', '["items",3,"id"]', '["owner"]'].sort(),
    );
  });

  it("checks at once what pieces could get wrong: arrays with length rules, refined objects", async () => {
    const Bounded = z.object({ items: z.array(Item).max(2000) });
    const Refined = z.object({ items: z.array(Item) }).refine((o) => o.items.length < 2000, "too many");
    const value = { items: answer(2500).items };
    for (const schema of [Bounded, Refined]) {
      const pause = countingPause();
      const result = await checkAnswer(schema, value, LARGE_ANSWER_CHARS, { pieceItems: 1000, pause });
      expect(result.success).toBe(false);
      expect(result).toEqual(schema.safeParse(value));
      expect(pause.calls).toBe(1);
    }
  });
});

describe("yieldToEventLoop", () => {
  it("resolves in a later task, not among the pending microtasks", async () => {
    let resolved = false;
    const yielded = yieldToEventLoop().then(() => (resolved = true));
    for (let i = 0; i < 10; i += 1) await Promise.resolve();
    expect(resolved).toBe(false);
    await yielded;
    expect(resolved).toBe(true);
  });
});
