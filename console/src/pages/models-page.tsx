/**
 * @module console/pages/models-page
 * Registered models: what clients can send as `model`. Each can be tested with one tiny real
 * request, renamed (display name) in place, and deleted after confirmation.
 */
import { useMemo, useState, type KeyboardEvent } from "react";
import { api, encodeId, errorMessage } from "../api/client.js";
import type { Model, ModelTest, ModelType } from "../api/types.js";
import { useResource } from "../api/use-resource.js";
import { ConfirmDialog } from "../components/confirm-dialog.js";
import { CopyButton } from "../components/copy-button.js";
import { EmptyState, ErrorText, Loading, ResultText } from "../components/feedback.js";
import { TYPE_LABELS } from "../labels.js";
import { navigate } from "../router.js";
import { announce, notifyDataChanged, useDataVersion } from "../store.js";

type TestState = { running: true } | { running: false; result: ModelTest } | { running: false; error: string };

function DisplayName({ model, onSaved }: { model: Model; onSaved: () => void }) {
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(model.display_name ?? "");
  const [error, setError] = useState<string>();
  const save = (): void => {
    const next = value.trim();
    api<Model>("PATCH", `/api/models/${encodeId(model.id)}`, { display_name: next === "" ? null : next }).then(
      () => {
        setEditing(false);
        setError(undefined);
        announce(`Renamed ${model.id}.`);
        onSaved();
      },
      (failure: unknown) => setError(errorMessage(failure)),
    );
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === "Enter") save();
    if (event.key === "Escape") {
      // Do not let Escape reach an enclosing dialog; it only cancels this edit.
      event.stopPropagation();
      setEditing(false);
      setValue(model.display_name ?? "");
    }
  };
  if (!editing) {
    return (
      <span className="display-name">
        {model.display_name === null ? <span className="muted">no display name</span> : <span>{model.display_name}</span>}
        <button type="button" className="link-button" aria-label={`Edit display name of ${model.id}`} onClick={() => setEditing(true)}>
          Edit
        </button>
      </span>
    );
  }
  return (
    <span className="display-name editing">
      <input aria-label={`Display name of ${model.id}`} value={value} onChange={(event) => setValue(event.target.value)} onKeyDown={onKeyDown} autoFocus maxLength={200} />
      <button type="button" className="small primary" onClick={save}>
        Save
      </button>
      <button type="button" className="small" onClick={() => setEditing(false)}>
        Cancel
      </button>
      <ErrorText message={error} />
    </span>
  );
}

/** The registered models page. */
export function ModelsPage() {
  const version = useDataVersion();
  const models = useResource(() => api<{ data: Model[] }>("GET", "/api/models").then((body) => body.data), `models-${version}`);
  const [tests, setTests] = useState<Readonly<Record<string, TestState>>>({});
  const [search, setSearch] = useState("");
  const [typeFilter, setTypeFilter] = useState<ModelType | "all">("all");
  const [deleting, setDeleting] = useState<Model>();

  const visible = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return (models.data ?? []).filter(
      (model) => (typeFilter === "all" || model.type === typeFilter) && (needle === "" || model.id.toLowerCase().includes(needle) || (model.display_name ?? "").toLowerCase().includes(needle)),
    );
  }, [models.data, search, typeFilter]);

  const runTest = (model: Model): void => {
    setTests((previous) => ({ ...previous, [model.id]: { running: true } }));
    api<ModelTest>("POST", `/api/models/${encodeId(model.id)}/test`).then(
      (result) => setTests((previous) => ({ ...previous, [model.id]: { running: false, result } })),
      (failure: unknown) => setTests((previous) => ({ ...previous, [model.id]: { running: false, error: errorMessage(failure) } })),
    );
  };

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Models</h1>
          <p className="muted">Registered models: the ids your apps send as “model”.</p>
        </div>
      </div>
      {models.loading && models.data === undefined ? <Loading /> : null}
      <ErrorText message={models.error} />
      {models.data !== undefined && models.data.length === 0 ? (
        <EmptyState title="No models registered yet">
          <p>Open a credential on the API keys page and choose Discover models.</p>
          <button type="button" className="primary" onClick={() => navigate("/settings/api-keys")}>
            Go to API keys
          </button>
        </EmptyState>
      ) : null}
      {models.data !== undefined && models.data.length > 0 ? (
        <div className="toolbar">
          <input type="search" aria-label="Search registered models" placeholder="Search" value={search} onChange={(event) => setSearch(event.target.value)} />
          <select aria-label="Filter by type" value={typeFilter} onChange={(event) => setTypeFilter(event.target.value as ModelType | "all")}>
            <option value="all">All types</option>
            {(Object.keys(TYPE_LABELS) as ModelType[]).map((type) => (
              <option key={type} value={type}>
                {TYPE_LABELS[type]}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <ul className="card-list compact" aria-label="Registered models">
        {visible.map((model) => {
          const test = tests[model.id];
          return (
            <li key={model.id} className="card" aria-label={model.id}>
              <div className="card-main">
                <div className="card-title">
                  <h2>
                    <code>{model.id}</code> <CopyButton text={model.id} label="Copy id" />
                  </h2>
                  <DisplayName model={model} onSaved={notifyDataChanged} />
                </div>
                <span className={`type-badge type-${model.type}`}>{TYPE_LABELS[model.type]}</span>
              </div>
              <p className="muted small-text">
                Sent upstream as <code>{model.upstream_model}</code> via {model.credential}
                {model.context_window === null ? "" : ` · ${model.context_window.toLocaleString()} tokens`}
              </p>
              {test?.running === true ? (
                <p className="loading" role="status">
                  <span className="spinner" aria-hidden="true" />
                  Sending a tiny request…
                </p>
              ) : null}
              {test !== undefined && !test.running && "result" in test ? <ResultText ok={test.result.ok}>{test.result.message}</ResultText> : null}
              {test !== undefined && !test.running && "error" in test ? <ErrorText message={test.error} /> : null}
              <div className="card-actions">
                <button type="button" onClick={() => runTest(model)} disabled={test?.running === true}>
                  Test model
                </button>
                <button type="button" className="danger-outline" onClick={() => setDeleting(model)}>
                  Delete
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      {deleting === undefined ? null : (
        <ConfirmDialog
          title={`Delete ${deleting.id}?`}
          confirmLabel="Delete model"
          onClose={() => setDeleting(undefined)}
          onConfirm={async () => {
            await api("DELETE", `/api/models/${encodeId(deleting.id)}`);
            announce(`Deleted ${deleting.id}.`);
            notifyDataChanged();
          }}
        >
          <p>Apps sending this id will get “model not found”. A default pointing at it is cleared. You can register it again from Discover models.</p>
        </ConfirmDialog>
      )}
    </>
  );
}
