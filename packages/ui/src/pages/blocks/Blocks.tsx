import { useServices } from "../../lib/app-context.js";
import { formatTime } from "../../lib/format.js";
import { Link, navigate, useLocation } from "../../lib/router.js";
import { useData } from "../../lib/use-data.js";
import { blockPath, newBlockPath } from "./block-paths.js";
import { BlockTypeCatalog } from "./BlockTypeCatalog.js";
import { Pager } from "../../components/Pager.js";
import { useCursorPages } from "../../lib/use-cursor-pages.js";

const PAGE_SIZE = 50;

/** Blocks by type and name, and the catalog of block types they are made from. */
export function Blocks() {
  const { client } = useServices();
  const query = new URLSearchParams(useLocation().split("?")[1] ?? "");
  const type = query.get("type") ?? "";
  const pages = useCursorPages(type);
  const { cursor } = pages;
  const types = useData(() => client.call("listBlockTypes"), [client]);
  const blocks = useData(
    () =>
      client.call("filterBlocks", {
        body: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}), ...(type ? { blockType: type } : {}) },
      }),
    [client, cursor, type],
  );
  const nameOf = new Map((types.data?.items ?? []).map((t) => [t.slug, t.name]));
  const nextCursor = blocks.data?.nextCursor ?? null;
  return (
    <div>
      <div className="page-title">
        <h1>Blocks</h1>
        <div className="actions">
          <Link to={newBlockPath(type || undefined)} className="button primary" testId="new-block">
            New block
          </Link>
        </div>
      </div>
      <div className="filters">
        <label>
          Type
          <select
            value={type}
            onChange={(e) =>
              navigate(e.target.value ? `/blocks?type=${encodeURIComponent(e.target.value)}` : "/blocks")
            }
            data-testid="block-type-filter"
          >
            <option value="">Any</option>
            {(types.data?.items ?? []).map((t) => (
              <option key={t.slug} value={t.slug}>
                {t.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {blocks.error && <p className="error">Could not load blocks: {blocks.error}</p>}
      {blocks.data &&
        (blocks.data.items.length === 0 ? (
          <p className="muted">No blocks{type ? " of this type" : ""} yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Block</th>
                <th>Type</th>
                <th>Secret fields</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {blocks.data.items.map((b) => (
                <tr key={b.id} data-testid="block-row">
                  <td>
                    <Link to={blockPath(b.blockType, b.name)}>{b.name}</Link>
                  </td>
                  <td>{nameOf.get(b.blockType) ?? b.blockType}</td>
                  <td>{b.secretFields.length > 0 ? b.secretFields.join(", ") : "—"}</td>
                  <td>{formatTime(b.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      <Pager page={pages.page} nextCursor={nextCursor} onPrevious={pages.previous} onNext={pages.next} />

      <h2>Block types</h2>
      {types.error && <p className="error">Could not load block types: {types.error}</p>}
      {types.data && <BlockTypeCatalog types={types.data.items} />}
    </div>
  );
}
