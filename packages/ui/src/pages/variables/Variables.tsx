import { SluiceApiError, type SluiceClient } from "@sluice/client";
import { MAX_PAGE_LIMIT, type Variable } from "@sluice/contracts";
import { useState, type FormEvent } from "react";
import { Pager } from "../../components/Pager.js";
import { errorMessage, useServices } from "../../lib/app-context.js";
import { formatTime } from "../../lib/format.js";
import { useCursorPages } from "../../lib/use-cursor-pages.js";
import { useData } from "../../lib/use-data.js";
import { VariableForm } from "./VariableForm.js";

const PAGE_SIZE = 25;

function shortValue(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

/**
 * Whether a variable of this name exists. PUT creates or replaces, so a create checks first; a
 * name filter answers 200 either way (a read would log a 404 in the browser's console).
 */
async function variableExists(client: SluiceClient, name: string): Promise<boolean> {
  const page = await client.call("filterVariables", { body: { nameLike: name, limit: MAX_PAGE_LIMIT } });
  if (page.items.some((v) => v.name === name)) return true;
  if (page.nextCursor === null) return false;
  return client.call("readVariable", { params: { name } }).then(
    () => true,
    (error: unknown) => {
      if (error instanceof SluiceApiError && error.status === 404) return false;
      throw error;
    },
  );
}

type Editing = { kind: "new" } | { kind: "edit"; variable: Variable } | undefined;

/**
 * Variables by name, filtered by a name substring, in keyset pages; create, edit (the value is JSON,
 * checked before sending) and delete after a confirmation.
 */
export function Variables() {
  const { client } = useServices();
  const [filter, setFilter] = useState("");
  const [filterInput, setFilterInput] = useState("");
  const pages = useCursorPages(filter);
  const [editing, setEditing] = useState<Editing>();
  const [confirming, setConfirming] = useState<string | undefined>();
  const [actionError, setActionError] = useState<string | undefined>();
  const list = useData(
    () =>
      client.call("filterVariables", {
        body: {
          limit: PAGE_SIZE,
          ...(pages.cursor ? { cursor: pages.cursor } : {}),
          ...(filter ? { nameLike: filter } : {}),
        },
      }),
    [client, pages.cursor, filter],
  );
  const applyFilter = (event: FormEvent) => {
    event.preventDefault();
    setFilter(filterInput.trim());
  };
  const save = async (name: string, value: unknown, tags: string[], isNew: boolean) => {
    if (isNew && (await variableExists(client, name))) {
      throw new Error(`a variable named ${name} exists; edit it instead`);
    }
    await client.call("setVariable", { params: { name }, body: { value, tags } });
    setEditing(undefined);
    list.reload();
  };
  const remove = async (name: string) => {
    setActionError(undefined);
    try {
      await client.call("deleteVariable", { params: { name } });
      setConfirming(undefined);
      list.reload();
    } catch (error) {
      setActionError(`Could not delete ${name}: ${errorMessage(error)}`);
    }
  };
  return (
    <div>
      <h1>Variables</h1>
      <form className="filters" onSubmit={applyFilter}>
        <label>
          Name contains
          <input
            value={filterInput}
            onChange={(e) => setFilterInput(e.target.value)}
            data-testid="variable-filter"
          />
        </label>
        <button type="submit">Apply</button>
        <button type="button" onClick={() => setEditing({ kind: "new" })} data-testid="new-variable">
          New variable
        </button>
      </form>
      {editing?.kind === "new" && (
        <VariableForm
          isNew
          initial={{ name: "", value: "", tags: "" }}
          onSave={(name, value, tags) => save(name, value, tags, true)}
          onCancel={() => setEditing(undefined)}
        />
      )}
      {actionError && <p className="error">{actionError}</p>}
      {list.error && <p className="error">Could not load variables: {list.error}</p>}
      {list.data &&
        (list.data.items.length === 0 ? (
          <p className="muted">{filter ? "No variable names contain that." : "No variables yet."}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Value</th>
                <th>Tags</th>
                <th>Updated</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((variable) =>
                editing?.kind === "edit" && editing.variable.name === variable.name ? (
                  <tr key={variable.id}>
                    <td colSpan={5}>
                      <VariableForm
                        isNew={false}
                        initial={{
                          name: variable.name,
                          value: JSON.stringify(variable.value, null, 2),
                          tags: variable.tags.join(", "),
                        }}
                        onSave={(name, value, tags) => save(name, value, tags, false)}
                        onCancel={() => setEditing(undefined)}
                      />
                    </td>
                  </tr>
                ) : (
                  <tr key={variable.id} data-testid="variable-row">
                    <td>
                      <code>{variable.name}</code>
                    </td>
                    <td>
                      <code data-testid="variable-row-value">{shortValue(variable.value)}</code>
                    </td>
                    <td>{variable.tags.join(", ")}</td>
                    <td>{formatTime(variable.updatedAt)}</td>
                    <td className="row-actions">
                      {confirming === variable.name ? (
                        <>
                          <span>Delete {variable.name}?</span>
                          <button
                            type="button"
                            className="danger"
                            onClick={() => void remove(variable.name)}
                            data-testid="confirm-delete"
                          >
                            Delete
                          </button>
                          <button type="button" onClick={() => setConfirming(undefined)}>
                            Keep
                          </button>
                        </>
                      ) : (
                        <>
                          <button
                            type="button"
                            onClick={() => setEditing({ kind: "edit", variable })}
                            data-testid="edit-variable"
                          >
                            Edit
                          </button>
                          <button
                            type="button"
                            onClick={() => setConfirming(variable.name)}
                            data-testid="delete-variable"
                          >
                            Delete
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                ),
              )}
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
