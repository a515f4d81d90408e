import { z } from "zod";

/**
 * Answers at least this long (characters of JSON) are checked after a turn of the event loop, and
 * their long arrays in pieces: a flow run's graph of 10,000 task runs is 3 MB, and checking it in one
 * go takes 50 to 120 ms, which in a browser is a frame the page cannot draw.
 */
export const LARGE_ANSWER_CHARS = 256 * 1024;
/** Items of a long array checked per piece (about 5 ms for graph nodes in chromium). */
export const PIECE_ITEMS = 1000;

/**
 * Resolves in a later task, so the browser can draw a frame (and handle input) first. A message on
 * a fresh channel rather than setTimeout(0), which browsers stretch to 4 ms once nested.
 */
export function yieldToEventLoop(): Promise<void> {
  if (typeof MessageChannel === "undefined") return new Promise((resolve) => setTimeout(resolve, 0));
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    // `onmessage` (the DOM's and Node's ports both have it) starts the port; closing it lets Node exit.
    (port1 as unknown as { onmessage: (() => void) | null }).onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

/**
 * Checks a parsed answer against its schema, with the result `schema.safeParse(value)` would give
 * (the same data; the same issues, perhaps in another order). An answer of `chars` characters or
 * more is checked after yielding to the event loop; when its schema is a plain object (no refinements)
 * with arrays longer than `pieceItems` (no length rules), their items are checked `pieceItems` at a
 * time with a yield before each piece, and the rest of the object once.
 */
export async function checkAnswer(
  schema: z.ZodType,
  value: unknown,
  chars: number,
  options: { pieceItems?: number; pause?: () => Promise<void> } = {},
): Promise<z.ZodSafeParseResult<unknown>> {
  if (chars < LARGE_ANSWER_CHARS) return schema.safeParse(value);
  const { pieceItems = PIECE_ITEMS, pause = yieldToEventLoop } = options;
  await pause();
  const keys = longArrayKeys(schema, value, pieceItems);
  if (!(schema instanceof z.ZodObject) || keys.length === 0) return schema.safeParse(value);
  const object = value as Record<string, unknown>;
  const issues: z.core.$ZodIssue[] = [];
  const checked = new Map<string, unknown[]>();
  for (const key of keys) {
    const arraySchema = schema.shape[key] as z.ZodArray;
    const items = object[key] as unknown[];
    const out: unknown[] = [];
    for (let start = 0; start < items.length; start += pieceItems) {
      if (start > 0) await pause();
      const piece = arraySchema.safeParse(items.slice(start, start + pieceItems));
      if (piece.success) out.push(...piece.data);
      else
        for (const issue of piece.error.issues) {
          const [index, ...below] = issue.path;
          issues.push({ ...issue, path: [key, start + (index as number), ...below] });
        }
    }
    checked.set(key, out);
  }
  // The rest of the object, with the long arrays emptied (their items are checked above).
  const rest = schema.safeParse({ ...object, ...Object.fromEntries(keys.map((key) => [key, []])) });
  if (!rest.success) issues.unshift(...rest.error.issues);
  if (issues.length > 0) return { success: false, error: new z.ZodError(issues) };
  return { success: true, data: { ...(rest.data as object), ...Object.fromEntries(checked) } };
}

/**
 * The keys of `value` that can be checked in pieces: `schema` is an object schema with no checks of
 * its own (a refinement would see the object whole), the key's schema an array with no length rules,
 * and its value an array longer than one piece.
 */
function longArrayKeys(schema: z.ZodType, value: unknown, pieceItems: number): string[] {
  if (!(schema instanceof z.ZodObject) || (schema.def.checks?.length ?? 0) > 0) return [];
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
  const object = value as Record<string, unknown>;
  return Object.entries(schema.shape).flatMap(([key, field]) => {
    const items = object[key];
    const plainArray = field instanceof z.ZodArray && (field.def.checks?.length ?? 0) === 0;
    return plainArray && Array.isArray(items) && items.length > pieceItems ? [key] : [];
  });
}
