/**
 * @module console/pages/discover-dialog
 * Discover models: the provider's own model list with search, a type filter, select all / none and
 * a custom model name, then Register. Models already registered are shown but cannot be ticked.
 */
import { useMemo, useState } from "react";
import { api, encodeId, errorMessage } from "../api/client.js";
import type { Credential, DiscoveredModel, ModelType, RegisterResult } from "../api/types.js";
import { useResource } from "../api/use-resource.js";
import { Dialog } from "../components/dialog.js";
import { EmptyState, ErrorText, Loading } from "../components/feedback.js";
import { TYPE_LABELS } from "../labels.js";

/** Props of {@link DiscoverDialog}. */
export interface DiscoverDialogProps {
  credential: Credential;
  onClose: () => void;
  /** Called after models were registered. */
  onRegistered: (result: RegisterResult) => void;
}

type TypeFilter = ModelType | "all";

/** The discover-and-register dialog for one credential. */
export function DiscoverDialog({ credential, onClose, onRegistered }: DiscoverDialogProps) {
  const discovered = useResource(() => api<{ data: DiscoveredModel[] }>("POST", `/api/credentials/${encodeId(credential.id)}/discover`).then((body) => body.data), credential.id);
  const [search, setSearch] = useState("");
  const [typeFilter, setTypeFilter] = useState<TypeFilter>("all");
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [customName, setCustomName] = useState("");
  const [customType, setCustomType] = useState<ModelType>("chat");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<RegisterResult>();

  const visible = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return (discovered.data ?? []).filter(
      (model) => (typeFilter === "all" || model.type === typeFilter) && (needle === "" || model.id.toLowerCase().includes(needle) || (model.display_name ?? "").toLowerCase().includes(needle)),
    );
  }, [discovered.data, search, typeFilter]);
  const selectable = visible.filter((model) => !model.registered);

  const toggle = (id: string, on: boolean): void =>
    setSelected((previous) => {
      const next = new Set(previous);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const register = (): void => {
    const custom = customName.trim();
    if (selected.size === 0 && custom === "") {
      setError("Tick at least one model, or type a custom model name.");
      return;
    }
    setBusy(true);
    setError(undefined);
    const body = {
      ...(selected.size > 0 ? { models: [...selected] } : {}),
      ...(custom === "" ? {} : { custom: [{ name: custom, type: customType }] }),
    };
    api<RegisterResult>("POST", `/api/credentials/${encodeId(credential.id)}/register`, body).then(
      (registered) => {
        setBusy(false);
        setResult(registered);
        onRegistered(registered);
      },
      (failure: unknown) => {
        setBusy(false);
        setError(errorMessage(failure));
      },
    );
  };

  if (result !== undefined) {
    return (
      <Dialog title={`Models from “${credential.name}”`} onClose={onClose}>
        <div className="dialog-body">
          <p role="status">
            Registered {result.registered.length} model{result.registered.length === 1 ? "" : "s"}.
          </p>
          <ul className="report">
            {result.registered.map((model) => (
              <li key={model.id} className="report-imported">
                <code>{model.id}</code> ({TYPE_LABELS[model.type]})
              </li>
            ))}
            {result.skipped.map((skip) => (
              <li key={skip.name} className="report-already_present">
                <code>{skip.name}</code> skipped: {skip.reason}
              </li>
            ))}
          </ul>
          <p className="muted">Clients can now send these ids as the model. Test them on the Models page.</p>
        </div>
        <div className="dialog-actions">
          <button type="button" className="primary" onClick={onClose} data-autofocus>
            Done
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog title={`Discover models: ${credential.name}`} onClose={onClose} wide description="The provider's own model list. Tick the models your apps should use.">
      <div className="dialog-body">
        <div className="toolbar">
          <input type="search" aria-label="Search models" placeholder="Search models" value={search} onChange={(event) => setSearch(event.target.value)} data-autofocus />
          <select aria-label="Model type" value={typeFilter} onChange={(event) => setTypeFilter(event.target.value as TypeFilter)}>
            <option value="all">All types</option>
            {(Object.keys(TYPE_LABELS) as ModelType[]).map((type) => (
              <option key={type} value={type}>
                {TYPE_LABELS[type]}
              </option>
            ))}
          </select>
          <button type="button" className="small" onClick={() => setSelected(new Set([...selected, ...selectable.map((model) => model.id)]))} disabled={selectable.length === 0}>
            Select all
          </button>
          <button type="button" className="small" onClick={() => setSelected(new Set())} disabled={selected.size === 0}>
            Select none
          </button>
        </div>
        {discovered.loading && discovered.data === undefined ? <Loading label="Asking the provider for its models…" /> : null}
        <ErrorText message={discovered.error} />
        {discovered.data !== undefined && discovered.data.length === 0 ? (
          <EmptyState title="The provider lists no models.">
            <p>A local server may have none loaded yet. You can still register a model by name below.</p>
          </EmptyState>
        ) : null}
        {discovered.data !== undefined && discovered.data.length > 0 ? (
          <div className="model-pick-list" role="group" aria-label="Discovered models">
            {visible.length === 0 ? <p className="muted">No model matches the search.</p> : null}
            {visible.map((model) => (
              <label key={model.id} className={model.registered ? "pick-row registered" : "pick-row"}>
                <input type="checkbox" disabled={model.registered} checked={model.registered || selected.has(model.id)} onChange={(event) => toggle(model.id, event.target.checked)} />
                <span className="pick-name">
                  <code>{model.id}</code>
                  {model.display_name !== undefined && model.display_name !== model.id ? <span className="muted"> {model.display_name}</span> : null}
                </span>
                <span className={`type-badge type-${model.type}`}>{TYPE_LABELS[model.type]}</span>
                {model.context_window === undefined ? null : <span className="muted small-text">{model.context_window.toLocaleString()} tokens</span>}
                {model.registered ? <span className="muted small-text">registered</span> : null}
              </label>
            ))}
          </div>
        ) : null}
        <fieldset className="custom-model">
          <legend>Custom model name</legend>
          <p className="help">For a model the list does not show (not loaded yet, or a fine-tune). It is registered as given.</p>
          <div className="toolbar">
            <input aria-label="Custom model name" placeholder="e.g. llama3.1:70b" value={customName} onChange={(event) => setCustomName(event.target.value)} spellCheck={false} />
            <select aria-label="Custom model type" value={customType} onChange={(event) => setCustomType(event.target.value as ModelType)}>
              {(Object.keys(TYPE_LABELS) as ModelType[]).map((type) => (
                <option key={type} value={type}>
                  {TYPE_LABELS[type]}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
      </div>
      <ErrorText message={error} />
      <div className="dialog-actions">
        <span className="muted">{selected.size} selected</span>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary" onClick={register} disabled={busy}>
          {busy ? "Registering…" : "Register"}
        </button>
      </div>
    </Dialog>
  );
}
