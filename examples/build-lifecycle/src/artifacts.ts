import {
  createLinkArtifact,
  createMarkdownArtifact,
  createTableArtifact,
  LocalStorage,
  S3Storage,
  type Storage,
} from "@sluice/sdk";
import type { StageResult } from "./stages/stage-result.js";

/** Where a key lives, as a URL a person can follow or paste: s3://bucket/key or file:///path. */
export function locationUrl(storage: Storage, key: string): string {
  if (storage instanceof S3Storage) {
    return `s3://${storage.bucket}/${storage.basePath ? `${storage.basePath}/` : ""}${key}`;
  }
  if (storage instanceof LocalStorage) return `file://${storage.basePath}/${key}`;
  return `${storage.name}/${key}`;
}

function summaryMarkdown(result: StageResult, url: string): string {
  const details = Object.entries(result.details)
    .map(([name, value]) => `| ${name} | ${typeof value === "string" ? value : JSON.stringify(value)} |`)
    .join("\n");
  const keys = result.keys.map((key) => `- \`${key}\``).join("\n");
  return [
    `# ${result.stage}: ${result.product} ${result.buildName}`,
    "",
    `Output: [${url}](${url})`,
    "",
    "| detail | value |",
    "|---|---|",
    details,
    "",
    `Objects written in ${result.bucket}:`,
    "",
    keys,
    "",
  ].join("\n");
}

/** A stage's artifacts: a markdown summary, its source data versions as a table, a link to its output. */
export async function publishStageArtifacts(result: StageResult, publishing: Storage): Promise<void> {
  const url = locationUrl(publishing, result.location);
  await createMarkdownArtifact(summaryMarkdown(result, url), {
    key: `${result.stage}-summary`,
    description: `What ${result.stage} did for build ${result.buildName}`,
  });
  await createTableArtifact(result.sourceDataVersions, {
    key: `${result.stage}-source-data-versions`,
    description: "Source data versions of the build (source_data_versions.csv)",
  });
  const where = result.stage === "package" ? "the package" : `the ${result.stage} output`;
  await createLinkArtifact(url, `${where} of ${result.buildName}`, {
    key: `${result.stage}-location`,
    description: `Where ${where} landed`,
  });
}
