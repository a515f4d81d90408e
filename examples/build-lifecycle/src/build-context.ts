import type { Recipe } from "./recipe/recipe-schema.js";

/** Who and what one build is: every stage gets the same context, so each can be called on its own. */
export interface BuildContext {
  /** The recipe's product, e.g. "template" (its S3 name is `db-<product>`). */
  readonly product: string;
  /** The product version, e.g. "24Q3". */
  readonly version: string;
  /** The git branch the build is for, e.g. "main". */
  readonly branch: string;
  /** `YYYYMMDDTHHMM` (UTC) of the build's start. */
  readonly timestamp: string;
  /** `{version}:{timestamp}:{branch}`: the plan and build folder name. */
  readonly buildName: string;
  /** Free text about this build (dcpy's build_note), or null. */
  readonly buildNote: string | null;
  /** The commit the build's code is at, or null when unknown. */
  readonly commit: string | null;
}

/** The build's Postgres schema in dcpy: the branch lowercased, dashes to underscores (simulated here). */
export function buildSchema(branch: string): string {
  return branch.toLowerCase().replaceAll("-", "_");
}

/** `{version}:{YYYYMMDDTHHMM}:{branch}`, the format dcpy's Dagster partitions use. */
export function makeBuildName(version: string, timestamp: string, branch: string): string {
  return `${version}:${timestamp}:${branch}`;
}

/** `YYYYMMDDTHHMM` in UTC. */
export function buildTimestamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}`;
}

/** A build timestamp as the Date it stands for. */
export function timestampDate(timestamp: string): Date {
  const [, y, mo, d, h, mi] = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})$/.exec(timestamp) ?? [];
  return new Date(`${y}-${mo}-${d}T${h}:${mi}:00Z`);
}

const NEW_YORK = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/New_York",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  timeZoneName: "longOffset",
});

/** An ISO timestamp with the America/New_York offset, as dcpy writes them ("2024-06-01T10:30:00-04:00"). */
export function newYorkIsoTimestamp(date: Date): string {
  const part = Object.fromEntries(NEW_YORK.formatToParts(date).map((p) => [p.type, p.value]));
  const offset = part.timeZoneName === "GMT" ? "+00:00" : String(part.timeZoneName).slice(3);
  return `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}:${part.second}${offset}`;
}

/** The product version: an explicit one, else the recipe's, else its version strategy. */
export async function resolveProductVersion(
  recipe: Recipe,
  options: {
    override?: string | undefined;
    date: Date;
    sourceDatasetVersion?: (id: string) => Promise<string>;
  },
): Promise<string> {
  if (options.override) return options.override;
  if (recipe.version) return recipe.version;
  const strategy = recipe.version_strategy;
  const day = options.date.toISOString().slice(0, 10);
  if (strategy === "today") return day;
  if (strategy === "first_of_month") return `${day.slice(0, 8)}01`;
  if (strategy !== null && typeof strategy === "object" && "pin_to_source_dataset" in strategy) {
    if (!options.sourceDatasetVersion) throw new Error("pin_to_source_dataset needs the dataset's version");
    return options.sourceDatasetVersion(strategy.pin_to_source_dataset);
  }
  if (strategy === null) {
    throw new Error("version: the recipe has no version or version_strategy; pass the version parameter");
  }
  throw new Error(
    "version_strategy: bump_latest_release needs published releases, which this mock does not keep; pass the version parameter",
  );
}
