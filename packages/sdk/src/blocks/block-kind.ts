import { SluiceApiError } from "@sluice/client";
import { blockJsonSchema, type BlockType, type BlockTypeUpsert } from "@sluice/contracts";
import type { z } from "zod";
import { withClient } from "../api-connection/with-client.js";
import { registerSecretValue } from "../logging/secret-redaction.js";

/** How a block type is declared in code: a slug, a zod schema of its data and its secret fields. */
export interface BlockTypeDefinition<S extends z.ZodObject = z.ZodObject> {
  /** Lowercase letters, digits and dashes: `sluice block create <slug> <name>`. */
  readonly slug: string;
  readonly name?: string;
  readonly description?: string;
  readonly schema: S;
  /** Dotted paths of fields the server encrypts and masks ("password", "auth.token"). */
  readonly secretFields?: readonly string[];
}

/** No block of that type and name exists on the server. */
export class BlockNotFoundError extends Error {
  override readonly name = "BlockNotFoundError";
}

/** A block's stored data does not match the schema the code expects; the message names the fields. */
export class BlockDataError extends Error {
  override readonly name = "BlockDataError";
}

const BLOCK_KIND = Symbol.for("sluice.blockKind");

/** A block type usable from code: load and save named blocks, register the type. */
export interface BlockKind<S extends z.ZodObject, Loaded> {
  readonly [BLOCK_KIND]: true;
  readonly definition: BlockTypeDefinition<S>;
  /** Loads the named block with its secrets (the admin scope when the server requires keys). */
  load(name: string): Promise<Loaded>;
  /** Saves data under a name; refused when the block exists unless `overwrite`. */
  save(name: string, data: z.input<S>, options?: { overwrite?: boolean }): Promise<void>;
  /** Registers the type (its JSON schema and secret fields) with the server. */
  register(): Promise<BlockType>;
}

/** True for values made by `defineBlockType` (what `sluice block register` looks for in a module). */
export function isBlockKind(value: unknown): value is BlockKind<z.ZodObject, unknown> {
  return typeof value === "object" && value !== null && BLOCK_KIND in value;
}

/** The value at a dotted path of a JSON object, or undefined. */
function valueAt(data: unknown, path: string): unknown {
  let current = data;
  for (const part of path.split(".")) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/** Registers every string under a secret field, so log lines are scrubbed of it. */
function rememberSecrets(data: unknown, secretFields: readonly string[]): void {
  const visit = (value: unknown): void => {
    if (typeof value === "string") registerSecretValue(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === "object" && value !== null) Object.values(value).forEach(visit);
  };
  for (const path of secretFields) visit(valueAt(data, path));
}

/** What the server stores for a block type declared in code: its JSON schema and secret fields. */
export function blockTypeUpsert(definition: BlockTypeDefinition): BlockTypeUpsert {
  return {
    ...(definition.name ? { name: definition.name } : {}),
    description: definition.description ?? "",
    schema: blockJsonSchema(definition.schema),
    secretFields: [...(definition.secretFields ?? [])],
  };
}

/** Names each field of `issues` (never its value, which may be a secret). */
function dataError(slug: string, name: string, issues: readonly z.core.$ZodIssue[]): BlockDataError {
  const fields = issues.map((issue) => `${issue.path.join(".") || "(data)"}: ${issue.message}`);
  return new BlockDataError(`block ${slug}/${name} does not match its schema: ${fields.join("; ")}`);
}

/** Builds a block kind; `wrap` turns the parsed data into what `load` answers. */
export function blockKind<S extends z.ZodObject, Loaded>(
  definition: BlockTypeDefinition<S>,
  wrap: (data: z.output<S>, name: string) => Loaded,
): BlockKind<S, Loaded> {
  const { slug, schema } = definition;
  return {
    [BLOCK_KIND]: true,
    definition,
    async load(name) {
      const block = await withClient(async (client) => {
        try {
          return await client.call("readBlock", {
            params: { type: slug, name },
            query: { includeSecrets: "true" },
          });
        } catch (error) {
          if (error instanceof SluiceApiError && error.code === "block_not_found") {
            throw new BlockNotFoundError(
              `no ${slug} block named "${name}"; create it with: sluice block create ${slug} ${name} --data '{...}'`,
              { cause: error },
            );
          }
          throw error;
        }
      });
      rememberSecrets(block.data, block.secretFields);
      const parsed = schema.safeParse(block.data);
      if (!parsed.success) throw dataError(slug, name, parsed.error.issues);
      return wrap(parsed.data, name);
    },
    async save(name, data, options = {}) {
      // Parsed here first, so defaults are stored and a mistake is named before any request.
      const parsed = schema.safeParse(data);
      if (!parsed.success) throw dataError(slug, name, parsed.error.issues);
      await withClient((client) =>
        client.call("saveBlock", {
          params: { type: slug, name },
          body: { data: parsed.data, overwrite: options.overwrite ?? false },
        }),
      );
    },
    register() {
      return withClient((client) =>
        client.call("upsertBlockType", { params: { slug }, body: blockTypeUpsert(definition) }),
      );
    },
  };
}

/**
 * Declares a custom block type from a zod schema; `load` answers the parsed data.
 *
 * @example
 * export const Warehouse = defineBlockType({
 *   slug: "warehouse",
 *   schema: z.object({ host: z.string(), password: z.string() }),
 *   secretFields: ["password"],
 * });
 * // sluice block register blocks.ts, then in a flow:
 * const { host, password } = await Warehouse.load("prod");
 */
export function defineBlockType<S extends z.ZodObject>(
  definition: BlockTypeDefinition<S>,
): BlockKind<S, z.output<S>> {
  return blockKind(definition, (data) => data);
}
