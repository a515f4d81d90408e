import type { ReactNode } from "react";
import { ArtifactKeyDetail } from "./artifacts/ArtifactKeyDetail.js";
import { ArtifactKeys } from "./artifacts/ArtifactKeys.js";
import { BlockDetail } from "./blocks/BlockDetail.js";
import { EditBlock, NewBlock } from "./blocks/BlockForm.js";
import { Blocks } from "./blocks/Blocks.js";
import { Concurrency } from "./concurrency/Concurrency.js";
import { Dashboard } from "./Dashboard.js";
import { DeploymentDetail } from "./deployments/DeploymentDetail.js";
import { Deployments } from "./deployments/Deployments.js";
import { FlowRunDetail } from "./FlowRunDetail.js";
import { FlowRuns } from "./FlowRuns.js";
import { TaskRunDetail } from "./TaskRunDetail.js";
import { Variables } from "./variables/Variables.js";
import { WorkPoolDetail } from "./work-pools/WorkPoolDetail.js";
import { WorkPools } from "./work-pools/WorkPools.js";

/** One page: a path pattern (a trailing slash is allowed) and what it renders from the decoded groups. */
interface PageRoute {
  readonly pattern: RegExp;
  readonly render: (params: readonly string[]) => ReactNode;
}

const route = (path: string, render: PageRoute["render"]): PageRoute => ({
  // `:x` matches one path segment; `(...)?` parts stay as written.
  pattern: new RegExp(`^${path.replace(/:[a-z]+/g, "([^/]+)")}/?$`),
  render,
});

/**
 * Every page of the UI, first match wins. Keys make React start a detail page afresh when its
 * subject changes, rather than showing the previous subject's data while loading.
 */
const PAGES: readonly PageRoute[] = [
  route("/", () => <Dashboard />),
  route("/runs", () => <FlowRuns />),
  route("/runs/:id", ([id = ""]) => <FlowRunDetail key={id} id={id} />),
  route("/task-runs/:id", ([id = ""]) => <TaskRunDetail key={id} id={id} />),
  route("/deployments", () => <Deployments />),
  route("/deployments/:id(/run)?", ([id = "", run = ""]) => (
    <DeploymentDetail key={id} id={id} runFormOpen={run !== ""} />
  )),
  route("/work-pools", () => <WorkPools />),
  route("/work-pools/:name", ([name = ""]) => <WorkPoolDetail key={name} name={name} />),
  route("/blocks", () => <Blocks />),
  route("/blocks/new", () => <NewBlock />),
  route("/blocks/:type/:name", ([type = "", name = ""]) => (
    <BlockDetail key={`${type}/${name}`} type={type} name={name} />
  )),
  route("/blocks/:type/:name/edit", ([type = "", name = ""]) => (
    <EditBlock key={`${type}/${name}`} type={type} name={name} />
  )),
  route("/variables", () => <Variables />),
  route("/artifacts", () => <ArtifactKeys />),
  route("/artifacts/key/:key", ([key = ""]) => <ArtifactKeyDetail key={key} artifactKey={key} />),
  route("/concurrency", () => <Concurrency />),
];

/** The page for a path, or undefined when no page has that path. */
export function pageForPath(path: string): ReactNode {
  for (const { pattern, render } of PAGES) {
    const match = pattern.exec(path);
    if (match)
      return render(match.slice(1).map((part) => (part === undefined ? "" : decodeURIComponent(part))));
  }
  return undefined;
}
