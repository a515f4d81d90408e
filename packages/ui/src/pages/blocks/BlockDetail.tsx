import { SECRET_MASK } from "@sluice/contracts";
import { useState } from "react";
import { errorMessage, isUnauthorized, useServices } from "../../lib/app-context.js";
import { useUnauthorized } from "../../lib/auth-context.js";
import { formatTime } from "../../lib/format.js";
import { Link, navigate } from "../../lib/router.js";
import { useData } from "../../lib/use-data.js";
import { blockPath } from "./block-paths.js";

/** Leaf fields of a block's data as dotted paths and values ("credentials.accessKeyId"). */
function flatten(data: unknown, prefix = ""): [string, unknown][] {
  if (typeof data !== "object" || data === null || Array.isArray(data) || Object.keys(data).length === 0) {
    return [[prefix, data]];
  }
  return Object.entries(data).flatMap(([key, value]) => flatten(value, prefix ? `${prefix}.${key}` : key));
}

/**
 * One block: its data as the API returns it, secret fields masked (this page never asks for
 * secrets), with edit and delete (after a confirmation).
 */
export function BlockDetail({ type, name }: { type: string; name: string }) {
  const { client } = useServices();
  const onUnauthorized = useUnauthorized();
  const block = useData(
    () => client.call("readBlock", { params: { type, name }, query: {} }),
    [client, type, name],
  );
  const [confirming, setConfirming] = useState(false);
  const [deleteError, setDeleteError] = useState<string | undefined>();

  const remove = async () => {
    setDeleteError(undefined);
    try {
      await client.call("deleteBlock", { params: { type, name } });
      navigate("/blocks");
    } catch (error) {
      if (isUnauthorized(error)) onUnauthorized();
      setDeleteError(`Could not delete the block: ${errorMessage(error)}`);
      setConfirming(false);
    }
  };

  if (block.error && !block.data) {
    return (
      <div>
        <h1>Block</h1>
        <p className="error">
          Could not load block {type}/{name}: {block.error}
        </p>
      </div>
    );
  }
  if (!block.data) return <p className="muted">Loading…</p>;
  const b = block.data;
  const secret = (path: string) => b.secretFields.some((f) => path === f || path.startsWith(`${f}.`));
  return (
    <div>
      <p className="muted">
        <Link to={`/blocks?type=${encodeURIComponent(type)}`}>{type}</Link> / block
      </p>
      <div className="page-title">
        <h1>{b.name}</h1>
        <div className="actions">
          <Link to={`${blockPath(type, name)}/edit`} className="button" testId="edit-block">
            Edit
          </Link>
          {!confirming && (
            <button
              type="button"
              className="danger"
              onClick={() => setConfirming(true)}
              data-testid="delete-block"
            >
              Delete
            </button>
          )}
        </div>
      </div>
      {confirming && (
        <div className="panel confirm" role="alertdialog" aria-label="Confirm deletion">
          <p>
            Delete block{" "}
            <strong>
              {type}/{name}
            </strong>
            ? Flows that load it will fail. This cannot be undone.
          </p>
          <div className="form-actions">
            <button
              type="button"
              className="danger"
              onClick={() => void remove()}
              data-testid="confirm-delete"
            >
              Delete {name}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {deleteError && <p className="error">{deleteError}</p>}
      <h2>Data</h2>
      <table data-testid="block-data">
        <tbody>
          {flatten(b.data).map(([path, value]) => (
            <tr key={path}>
              <th>
                <code>{path || "(value)"}</code>
              </th>
              <td>
                {value === SECRET_MASK && secret(path) ? (
                  <span className="masked" title="secret: stored encrypted, never shown">
                    {SECRET_MASK} <span className="tag tag-secret">secret</span>
                  </span>
                ) : (
                  <code>{JSON.stringify(value)}</code>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="facts">
        <dt>Type</dt>
        <dd>{b.blockType}</dd>
        <dt>Secret fields</dt>
        <dd>{b.secretFields.length > 0 ? b.secretFields.join(", ") : "—"}</dd>
        <dt>Created</dt>
        <dd>{formatTime(b.createdAt)}</dd>
        <dt>Updated</dt>
        <dd>{formatTime(b.updatedAt)}</dd>
        <dt>Use in code</dt>
        <dd>
          <code>
            {type}/{name}
          </code>
        </dd>
      </dl>
    </div>
  );
}
