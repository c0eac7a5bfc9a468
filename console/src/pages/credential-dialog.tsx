/**
 * @module console/pages/credential-dialog
 * Add credential / Edit credential. The fields follow the provider kind: a key and base URL (with
 * the kind's default) for every kind, separate servers per service for the generic kind, the
 * resource endpoint, API version and deployments for Azure, and extra headers.
 */
import { useState, type FormEvent, type ReactNode } from "react";
import { api, encodeId, errorMessage } from "../api/client.js";
import { MODEL_TYPES, type Credential, type ModelType } from "../api/types.js";
import { Dialog } from "../components/dialog.js";
import { ErrorText } from "../components/feedback.js";
import { PROVIDER_KINDS, providerKind } from "../provider-kinds.js";
import {
  baseUrlChanged,
  createBody,
  deploymentList,
  FormProblem,
  initialFormState,
  SERVICE_LABELS,
  updateBody,
  type CredentialFormState,
  type HeaderRow,
} from "./credential-form.js";

/** Props of {@link CredentialDialog}. */
export interface CredentialDialogProps {
  /** The credential to edit; absent to add one. */
  credential?: Credential;
  /** Names already taken, to suggest a free one. */
  takenNames: readonly string[];
  onClose: () => void;
  /** Called with the saved credential; `created` is true for a new one. */
  onSaved: (credential: Credential, created: boolean) => void;
}

function Field({ id, label, help, children }: { id: string; label: string; help?: ReactNode; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {help === undefined ? null : (
        <p className="help" id={`${id}-help`}>
          {help}
        </p>
      )}
    </div>
  );
}

function freeName(kind: string, taken: readonly string[]): string {
  if (!taken.includes(kind)) return kind;
  for (let index = 2; ; index += 1) if (!taken.includes(`${kind}-${index}`)) return `${kind}-${index}`;
}

function HeadersEditor({ rows, onChange }: { rows: HeaderRow[]; onChange: (rows: HeaderRow[]) => void }) {
  const update = (index: number, patch: Partial<HeaderRow>): void => onChange(rows.map((row, at) => (at === index ? { ...row, ...patch } : row)));
  return (
    <div className="headers-editor">
      {rows.map((row, index) => (
        <div className="header-row" key={index}>
          <input aria-label={`Header ${index + 1} name`} placeholder="Header-Name" value={row.name} onChange={(event) => update(index, { name: event.target.value })} />
          <input aria-label={`Header ${index + 1} value`} placeholder="value" value={row.value} onChange={(event) => update(index, { value: event.target.value })} />
          <button type="button" className="small" aria-label={`Remove header ${index + 1}`} onClick={() => onChange(rows.filter((_, at) => at !== index))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="small" onClick={() => onChange([...rows, { name: "", value: "" }])}>
        Add header
      </button>
    </div>
  );
}

/** The add / edit credential dialog. */
export function CredentialDialog({ credential, takenNames, onClose, onSaved }: CredentialDialogProps) {
  const editing = credential !== undefined;
  const [state, setState] = useState<CredentialFormState>(() => initialFormState(credential?.kind ?? "ollama", credential, freeName("ollama", takenNames)));
  const [nameTouched, setNameTouched] = useState(editing);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const info = providerKind(state.kind);
  const set = (patch: Partial<CredentialFormState>): void => setState((previous) => ({ ...previous, ...patch }));
  const setService = (field: "serviceUrls" | "serviceKeys", type: ModelType, value: string): void =>
    setState((previous) => ({ ...previous, [field]: { ...previous[field], [type]: value } }));
  const moved = editing && baseUrlChanged(state, credential);

  const chooseKind = (kind: string): void => {
    const next = initialFormState(kind, undefined, freeName(kind, takenNames));
    setState(nameTouched ? { ...next, name: state.name } : next);
  };

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setError(undefined);
    let body: Record<string, unknown>;
    try {
      body = editing ? updateBody(state, credential) : createBody(state);
    } catch (problem) {
      setError(errorMessage(problem));
      if (problem instanceof FormProblem) document.getElementById(`credential-${problem.field}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const saved = editing
        ? await api<Credential>("PATCH", `/api/credentials/${encodeId(credential.id)}`, body)
        : await api<Credential>("POST", "/api/credentials", body);
      // Azure deployments are the models: register the ones typed in, so they are usable at once.
      const deployments = deploymentList(state.azureDeployments);
      if (!editing && info.form === "azure" && deployments.length > 0) {
        await api("POST", `/api/credentials/${encodeId(saved.id)}/register`, { custom: deployments.map((name) => ({ name })) });
      }
      onSaved(saved, !editing);
    } catch (failure) {
      setBusy(false);
      setError(errorMessage(failure));
    }
  };

  return (
    <Dialog
      title={editing ? `Edit credential “${credential.name}”` : "Add credential"}
      onClose={onClose}
      description={editing ? `${info.name}. Stored keys and header values are never shown; leave them empty to keep them.` : "Keys are encrypted before they are stored and are never shown again, only a mask."}
    >
      <form onSubmit={(event) => void submit(event)} noValidate>
        <div className="dialog-body form-grid">
          {editing ? null : (
            <Field id="credential-kind" label="Provider">
              <select id="credential-kind" value={state.kind} onChange={(event) => chooseKind(event.target.value)} data-autofocus>
                <optgroup label="Servers you run">
                  {PROVIDER_KINDS.filter((kind) => kind.local).map((kind) => (
                    <option key={kind.id} value={kind.id}>
                      {kind.name}
                    </option>
                  ))}
                </optgroup>
                <optgroup label="Cloud providers">
                  {PROVIDER_KINDS.filter((kind) => !kind.local).map((kind) => (
                    <option key={kind.id} value={kind.id}>
                      {kind.name}
                    </option>
                  ))}
                </optgroup>
              </select>
            </Field>
          )}
          <Field id="credential-name" label="Name" help={<>Models are called <code>{state.name || "name"}/model</code>. Letters, digits, “.”, “_” and “-”.</>}>
            <input
              id="credential-name"
              value={state.name}
              autoComplete="off"
              spellCheck={false}
              {...(editing ? { "data-autofocus": true } : {})}
              onChange={(event) => {
                setNameTouched(true);
                set({ name: event.target.value });
              }}
            />
          </Field>
          {info.form === "azure" ? (
            <>
              <Field id="credential-azureEndpoint" label="Resource endpoint" help={<>Requests go to this endpoint plus <code>/openai/v1</code>.</>}>
                <input id="credential-azureEndpoint" type="url" placeholder="https://my-resource.openai.azure.com" value={state.azureEndpoint} onChange={(event) => set({ azureEndpoint: event.target.value })} />
              </Field>
              <Field id="credential-azureApiVersion" label="API version (optional)" help="Leave empty for the v1 API. A dated version (2024-10-21) calls each deployment by its path with that api-version.">
                <input id="credential-azureApiVersion" placeholder="2024-10-21" value={state.azureApiVersion} onChange={(event) => set({ azureApiVersion: event.target.value })} />
              </Field>
              <Field id="credential-azureDeployments" label="Deployments (optional)" help={editing ? "Kept for your reference; Discover models lists the resource's deployments." : "Comma-separated deployment names; each is registered as a model."}>
                <input id="credential-azureDeployments" placeholder="gpt-4o-prod, embeddings" value={state.azureDeployments} onChange={(event) => set({ azureDeployments: event.target.value })} />
              </Field>
            </>
          ) : (
            <Field
              id="credential-baseUrl"
              label="Base URL"
              help={
                <>
                  Default for {info.name}: <code>{info.defaultBaseUrl}</code>. Include the version path (usually <code>/v1</code>).
                  {editing ? " Leave empty to use the config file, environment or default." : ""}
                </>
              }
            >
              <input id="credential-baseUrl" type="url" spellCheck={false} placeholder={info.defaultBaseUrl} value={state.baseUrl} onChange={(event) => set({ baseUrl: event.target.value })} />
            </Field>
          )}
          <Field
            id="credential-apiKey"
            label={info.local ? "API key (optional)" : "API key"}
            help={
              editing && credential.has_api_key ? (
                <>
                  Stored: <code>{credential.api_key_mask ?? "cannot be read"}</code>. Leave empty to keep it.
                </>
              ) : (
                info.keyHelp
              )
            }
          >
            <input
              id="credential-apiKey"
              type="password"
              autoComplete="off"
              spellCheck={false}
              placeholder={info.keyPlaceholder ?? ""}
              value={state.apiKey}
              aria-invalid={moved && credential.has_api_key && state.apiKey === "" && !state.removeKey}
              onChange={(event) => set({ apiKey: event.target.value })}
            />
            {moved && credential.has_api_key ? (
              <p className="warning-text">You changed the address, so enter the key again: a stored key is never sent to a new address.</p>
            ) : null}
            {editing && credential.has_api_key ? (
              <label className="check">
                <input type="checkbox" checked={state.removeKey} onChange={(event) => set({ removeKey: event.target.checked })} /> Remove the stored key
              </label>
            ) : null}
          </Field>
          {info.form === "services" ? (
            <details className="subsection" open={MODEL_TYPES.some((type) => state.serviceUrls[type] !== "")}>
              <summary>Separate servers per service (optional)</summary>
              <p className="help">For example chat on vLLM, embeddings on a TEI box, speech on Kokoro. Empty fields use the base URL and key above.</p>
              {MODEL_TYPES.map((type) => (
                <div className="service-row" key={type}>
                  <Field id={`credential-serviceUrl-${type}`} label={`${SERVICE_LABELS[type]} URL`}>
                    <input id={`credential-serviceUrl-${type}`} type="url" spellCheck={false} value={state.serviceUrls[type]} onChange={(event) => setService("serviceUrls", type, event.target.value)} />
                  </Field>
                  <Field id={`credential-serviceKey-${type}`} label={`${SERVICE_LABELS[type]} key`} help={editing && credential.service_keys.includes(type) ? "Stored; leave empty to keep it." : undefined}>
                    <input id={`credential-serviceKey-${type}`} type="password" autoComplete="off" value={state.serviceKeys[type]} onChange={(event) => setService("serviceKeys", type, event.target.value)} />
                    {editing ? (
                      <label className="check">
                        <input
                          type="checkbox"
                          checked={state.removeServiceKeys[type]}
                          onChange={(event) => setState((previous) => ({ ...previous, removeServiceKeys: { ...previous.removeServiceKeys, [type]: event.target.checked } }))}
                        />{" "}
                        No key for this service
                      </label>
                    ) : null}
                  </Field>
                </div>
              ))}
            </details>
          ) : null}
          <details className="subsection" open={state.headers.length > 0 || moved}>
            <summary id="credential-headers" tabIndex={-1}>
              Extra headers (optional)
            </summary>
            <p className="help">Sent with every request to this provider{info.suggestedHeaders ? `; ${info.name} uses ${info.suggestedHeaders.join(" and ")} to credit your app` : ""}. Values are encrypted.</p>
            {state.replaceHeaders ? (
              <HeadersEditor rows={state.headers} onChange={(headers) => set({ headers })} />
            ) : (
              <>
                <p>
                  Stored: {credential?.header_names.map((name) => <code key={name}>{name}</code>)} (values hidden).
                  {moved ? <span className="warning-text"> You changed the address, so enter them again.</span> : null}
                </p>
                <button type="button" className="small" onClick={() => set({ replaceHeaders: true })}>
                  Replace headers
                </button>
              </>
            )}
          </details>
          <details className="subsection">
            <summary>Advanced</summary>
            <label className="check">
              <input type="checkbox" checked={state.enabled} onChange={(event) => set({ enabled: event.target.checked })} /> Enabled
            </label>
            <Field id="credential-priority" label="Priority" help="0 to 1,000,000; stored for failover ordering.">
              <input id="credential-priority" inputMode="numeric" value={state.priority} onChange={(event) => set({ priority: event.target.value })} />
            </Field>
          </details>
        </div>
        <ErrorText message={error} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? "Saving…" : editing ? "Save changes" : "Add credential"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
