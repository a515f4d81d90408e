import {
  LineCounter,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  type Document,
  type Node,
  type Pair,
} from "yaml";
import type { ProjectFileIssue } from "./project-file-error.js";

/** A path into the parsed file: map keys and list indexes, as zod reports them. */
export type FieldPath = readonly PropertyKey[];

/** A 1-based line and column in the file. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Renders a path as `deployments[0].schedules[1].cron` (the root is an empty string). */
export function formatFieldPath(path: FieldPath): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

// The merge key `<<` parses as a scalar whose value is a symbol.
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === "symbol";
}

/**
 * A YAML document with its positions. Values reached through aliases and `<<` merge keys are located
 * where they are written (at the anchor), which is where a user has to fix them.
 */
export class YamlSource {
  private readonly lineCounter = new LineCounter();
  private readonly doc: Document.Parsed;

  constructor(readonly text: string) {
    this.doc = parseDocument(text, {
      lineCounter: this.lineCounter,
      merge: true,
      prettyErrors: false,
      uniqueKeys: true,
    });
  }

  /** Syntax errors, duplicate keys and aliases naming no anchor, positioned. */
  problems(): ProjectFileIssue[] {
    const issues: ProjectFileIssue[] = this.doc.errors.map((error) => ({
      ...this.positionAt(error.pos[0]),
      path: "",
      message: error.message.split("\n")[0] ?? error.message,
    }));
    if (issues.length > 0) return issues;
    visit(this.doc, {
      Alias: (_key, alias) => {
        if (alias.resolve(this.doc) === undefined) {
          issues.push({
            ...this.positionAt(alias.range?.[0] ?? 0),
            path: "",
            message: `the alias *${alias.source} names no anchor defined before it`,
          });
        }
      },
    });
    return issues;
  }

  /**
   * Top-level keys whose value carries an anchor (`defaults: &defaults`): they hold definitions
   * reused elsewhere with aliases, so the file schema lets them be.
   */
  anchoredTopLevelKeys(): string[] {
    const root = this.doc.contents;
    if (!isMap(root)) return [];
    return root.items.flatMap((pair) => {
      const value = pair.value as { anchor?: string } | null;
      return isScalar(pair.key) && value?.anchor ? [String(pair.key.value)] : [];
    });
  }

  /** The document as plain JavaScript values (call only when `problems()` is empty). */
  toValue(): unknown {
    return this.doc.toJS({ maxAliasCount: 1000 });
  }

  /** The 1-based line and column of a character offset. */
  positionAt(offset: number): SourcePosition {
    const { line, col } = this.lineCounter.linePos(offset);
    return { line, column: col };
  }

  /**
   * Where `path` is written: its value, or its key when `key` is true. A path that does not exist
   * (a missing field) gives the position of its nearest existing parent.
   */
  locate(path: FieldPath, options: { key?: boolean } = {}): SourcePosition {
    let node = this.resolve(this.doc.contents);
    let position = node?.range?.[0] ?? 0;
    for (const [index, segment] of path.entries()) {
      const last = index === path.length - 1;
      if (isSeq(node) && typeof segment === "number") {
        node = this.resolve(node.items[segment]);
      } else if (isMap(node)) {
        const pair = this.findPair(node.items, segment);
        if (pair && last && options.key && isScalar(pair.key)) return this.nodeStart(pair.key, position);
        node = this.resolve(pair?.value);
      } else {
        node = undefined;
      }
      if (node === undefined) break;
      position = node.range?.[0] ?? position;
    }
    return this.positionAt(position);
  }

  /** The position of `needle` inside the source text of the value at `path`, else of the value. */
  locateText(path: FieldPath, needle: string): SourcePosition {
    const node = this.nodeAt(path);
    const range = node?.range;
    if (!range) return this.locate(path);
    const found = this.text.slice(range[0], range[1]).indexOf(needle);
    return this.positionAt(range[0] + Math.max(0, found));
  }

  private nodeAt(path: FieldPath): Node | undefined {
    let node = this.resolve(this.doc.contents);
    for (const segment of path) {
      if (isSeq(node) && typeof segment === "number") node = this.resolve(node.items[segment]);
      else if (isMap(node)) node = this.resolve(this.findPair(node.items, segment)?.value);
      else return undefined;
    }
    return node;
  }

  private nodeStart(node: Node, fallback: number): SourcePosition {
    return this.positionAt(node.range?.[0] ?? fallback);
  }

  /** Follows aliases to the node they name. */
  private resolve(node: unknown): Node | undefined {
    let current = node;
    for (let hops = 0; isAlias(current) && hops < 100; hops += 1) current = current.resolve(this.doc);
    return current as Node | undefined;
  }

  /** A map's pair for `key`: keys written in the map win over keys merged in with `<<`. */
  private findPair(items: readonly Pair[], key: PropertyKey): Pair | undefined {
    const own = items.find((pair) => isScalar(pair.key) && String(pair.key.value) === String(key));
    if (own) return own;
    for (const pair of items) {
      if (!isMergeKey(pair.key)) continue;
      const source = this.resolve(pair.value);
      const sources = isSeq(source) ? source.items.map((item) => this.resolve(item)) : [source];
      for (const merged of sources) {
        if (!isMap(merged)) continue;
        const found = this.findPair(merged.items, key);
        if (found) return found;
      }
    }
    return undefined;
  }
}
