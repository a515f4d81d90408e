import { ArtifactKey } from "@sluice/contracts";
import { useState, type FormEvent } from "react";
import { Pager } from "../../components/Pager.js";
import { useServices } from "../../lib/app-context.js";
import { formatTime } from "../../lib/format.js";
import { Link, navigate } from "../../lib/router.js";
import { useCursorPages } from "../../lib/use-cursor-pages.js";
import { useData } from "../../lib/use-data.js";

const PAGE_SIZE = 25;

/** The page of one artifact key. */
export const artifactKeyPath = (key: string) => `/artifacts/key/${encodeURIComponent(key)}`;

/** The newest artifact of each key, keys in name order, in keyset pages; each key links to its page. */
export function ArtifactKeys() {
  const { client } = useServices();
  const pages = useCursorPages("");
  const [goTo, setGoTo] = useState("");
  const [goToError, setGoToError] = useState<string | undefined>();
  const list = useData(
    () =>
      client.call("filterArtifactKeys", {
        body: { limit: PAGE_SIZE, ...(pages.cursor ? { cursor: pages.cursor } : {}) },
      }),
    [client, pages.cursor],
  );
  const open = (event: FormEvent) => {
    event.preventDefault();
    const key = ArtifactKey.safeParse(goTo.trim());
    if (!key.success) {
      setGoToError(key.error.issues[0]?.message ?? "not an artifact key");
      return;
    }
    navigate(artifactKeyPath(key.data));
  };
  return (
    <div>
      <h1>Artifacts</h1>
      <p className="muted">
        The latest version of each artifact key. Artifacts without a key are on their run&apos;s page.
      </p>
      <form className="filters" onSubmit={open}>
        <label>
          Key
          <input value={goTo} onChange={(e) => setGoTo(e.target.value)} placeholder="daily-report" />
        </label>
        <button type="submit">Open</button>
        {goToError && <span className="error">Key: {goToError}</span>}
      </form>
      {list.error && <p className="error">Could not load artifacts: {list.error}</p>}
      {list.data &&
        (list.data.items.length === 0 ? (
          <p className="muted">No artifacts with a key yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Key</th>
                <th>Type</th>
                <th>Description</th>
                <th>Latest version</th>
                <th>Flow run</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((artifact) => (
                <tr key={artifact.id} data-testid="artifact-key-row">
                  <td>
                    <Link to={artifactKeyPath(artifact.key ?? "")}>{artifact.key}</Link>
                  </td>
                  <td>{artifact.type}</td>
                  <td className="muted">{artifact.description ?? ""}</td>
                  <td>{formatTime(artifact.createdAt)}</td>
                  <td>
                    {artifact.flowRunId ? (
                      <Link to={`/runs/${encodeURIComponent(artifact.flowRunId)}`}>open run</Link>
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      <Pager
        page={pages.page}
        nextCursor={list.data?.nextCursor}
        onPrevious={pages.previous}
        onNext={pages.next}
      />
    </div>
  );
}
