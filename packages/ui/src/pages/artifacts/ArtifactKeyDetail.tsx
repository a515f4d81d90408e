import { ArtifactView } from "../../components/ArtifactView.js";
import { Pager } from "../../components/Pager.js";
import { StateBadge } from "../../components/StateBadge.js";
import { useServices } from "../../lib/app-context.js";
import { formatTime } from "../../lib/format.js";
import { Link } from "../../lib/router.js";
import { useCursorPages } from "../../lib/use-cursor-pages.js";
import { useData } from "../../lib/use-data.js";

const PAGE_SIZE = 25;

/**
 * One artifact key: its latest version rendered, then every version newest first, each linking to
 * the flow run that made it (the runs' names come in one request per page).
 */
export function ArtifactKeyDetail({ artifactKey }: { artifactKey: string }) {
  const { client } = useServices();
  const pages = useCursorPages(artifactKey);
  const latest = useData(
    () => client.call("readLatestArtifact", { params: { key: artifactKey } }),
    [client, artifactKey],
  );
  const history = useData(async () => {
    const page = await client.call("filterArtifacts", {
      body: {
        key: artifactKey,
        sort: "CREATED_DESC",
        limit: PAGE_SIZE,
        ...(pages.cursor ? { cursor: pages.cursor } : {}),
      },
    });
    const ids = [...new Set(page.items.flatMap((a) => (a.flowRunId ? [a.flowRunId] : [])))];
    const runs = ids.length === 0 ? [] : (await client.filterFlowRuns({ ids, limit: ids.length })).items;
    return { page, runs: new Map(runs.map((r) => [r.id, r])) };
  }, [client, artifactKey, pages.cursor]);
  return (
    <div>
      <p className="muted">
        <Link to="/artifacts">Artifacts</Link> / key
      </p>
      <h1>{artifactKey}</h1>
      {latest.error && <p className="error">Could not load the latest version: {latest.error}</p>}
      {latest.data && <ArtifactView artifact={latest.data} />}
      <h2>History</h2>
      {history.error && <p className="error">Could not load the versions: {history.error}</p>}
      {history.data && (
        <table>
          <thead>
            <tr>
              <th>Created</th>
              <th>Type</th>
              <th>Description</th>
              <th>Flow run</th>
            </tr>
          </thead>
          <tbody>
            {history.data.page.items.map((artifact) => {
              const run = artifact.flowRunId ? history.data?.runs.get(artifact.flowRunId) : undefined;
              return (
                <tr key={artifact.id} data-testid="artifact-version">
                  <td>{formatTime(artifact.createdAt)}</td>
                  <td>{artifact.type}</td>
                  <td className="muted">{artifact.description ?? ""}</td>
                  <td>
                    {artifact.flowRunId ? (
                      <>
                        <Link to={`/runs/${encodeURIComponent(artifact.flowRunId)}`}>
                          {run ? `${run.flowName} / ${run.name}` : artifact.flowRunId}
                        </Link>{" "}
                        {run && <StateBadge type={run.stateType} name={run.stateName} />}
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <Pager
        page={pages.page}
        nextCursor={history.data?.page.nextCursor}
        onPrevious={pages.previous}
        onNext={pages.next}
      />
    </div>
  );
}
