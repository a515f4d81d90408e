import { readFile } from "node:fs/promises";
import { UsageError } from "../../errors.js";
import { parseParamValue } from "../../params.js";

/** Where `sluice block create` takes the data from. */
export interface BlockDataOptions {
  /** `--data JSON`: the whole data as a JSON object. */
  data?: string;
  /** `--data-file FILE`: the same, from a file. */
  dataFile?: string;
  /** `--field path=value` (repeatable); `path=@-` reads the value from stdin. */
  field?: string[];
}

const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Splits `TYPE/NAME`, naming the expected form when it is not one. */
export function parseBlockRef(ref: string): { type: string; name: string } {
  const slash = ref.indexOf("/");
  if (slash <= 0 || slash === ref.length - 1 || ref.indexOf("/", slash + 1) !== -1) {
    throw new UsageError(`invalid block "${ref}": expected TYPE/NAME, for example s3-bucket/results`);
  }
  return { type: ref.slice(0, slash), name: ref.slice(slash + 1) };
}

function parseObject(text: string, source: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`invalid ${source}: not JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UsageError(`invalid ${source}: expected a JSON object, for example '{"bucket":"results"}'`);
  }
  return parsed as Record<string, unknown>;
}

/** Sets `value` at a dotted path, creating objects on the way; a non-object in the way is an error. */
function setPath(data: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  const last = parts.pop()!;
  let current = data;
  for (const [index, part] of parts.entries()) {
    const next = current[part] ?? {};
    if (typeof next !== "object" || next === null || Array.isArray(next)) {
      throw new UsageError(
        `invalid --field ${path}: ${parts.slice(0, index + 1).join(".")} is not an object`,
      );
    }
    current[part] = next;
    current = next as Record<string, unknown>;
  }
  current[last] = value;
}

/**
 * The block data from `--data`/`--data-file` (at most one), overlaid with each `--field path=value`.
 * A field's value is JSON when it parses (`port=5432`, `forcePathStyle=true`), else text;
 * `path=@-` reads the value from stdin as text (one trailing newline dropped), so a secret never
 * appears in the command line or the shell history.
 */
export async function readBlockData(
  options: BlockDataOptions,
  readStdin: () => Promise<string> = readAllStdin,
): Promise<Record<string, unknown>> {
  if (options.data !== undefined && options.dataFile !== undefined) {
    throw new UsageError("pass --data or --data-file, not both");
  }
  const fields = options.field ?? [];
  if (options.data === undefined && options.dataFile === undefined && fields.length === 0) {
    throw new UsageError("no data: pass --data JSON, --data-file FILE or --field path=value (repeatable)");
  }
  let data: Record<string, unknown> = {};
  if (options.data !== undefined) data = parseObject(options.data, "--data");
  if (options.dataFile !== undefined) {
    const text = await readFile(options.dataFile, "utf8").catch((error: unknown) => {
      throw new UsageError(`cannot read --data-file ${options.dataFile}: ${(error as Error).message}`);
    });
    data = parseObject(text, `--data-file ${options.dataFile}`);
  }
  let stdinUsed = false;
  for (const field of fields) {
    const eq = field.indexOf("=");
    const path = eq > 0 ? field.slice(0, eq) : "";
    if (!FIELD_PATH.test(path)) {
      // The text is not repeated when there is no "=": it may be a secret typed the wrong way.
      const what = eq > 0 ? `field path "${path}"` : "--field without path=";
      throw new UsageError(
        `invalid ${what}: expected path=value, for example --field credentials.accessKeyId=minio`,
      );
    }
    const raw = field.slice(eq + 1);
    if (raw === "@-") {
      if (stdinUsed) throw new UsageError("only one --field can read its value from stdin (@-)");
      stdinUsed = true;
      setPath(data, path, (await readStdin()).replace(/\r?\n$/, ""));
    } else {
      setPath(data, path, parseParamValue(raw));
    }
  }
  return data;
}

async function readAllStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write("Enter the value, then Ctrl-D:\n");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
