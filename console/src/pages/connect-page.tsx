/**
 * @module console/pages/connect-page
 * Connect your app: the OpenAI base URL, a gateway key (created here when the server has gateway
 * keys), and copy-ready snippets for curl, the Python and Node OpenAI SDKs, LangChain and the
 * Vercel AI SDK.
 */
import { useId, useState, type KeyboardEvent } from "react";
import { api, errorMessage, optionalApi } from "../api/client.js";
import type { Defaults, GatewayKey, Model } from "../api/types.js";
import { useResource } from "../api/use-resource.js";
import { CopyButton } from "../components/copy-button.js";
import { ErrorText, Loading } from "../components/feedback.js";
import { announce, notifyDataChanged, useDataVersion } from "../store.js";
import { buildSnippets } from "./snippets.js";

/** What a client may send as the key while the server checks none (the SDKs insist on a value). */
const ANY_KEY = "switchyard";

function loadConnectData(): Promise<{ models: Model[]; defaults: Defaults; keys: GatewayKey[] | undefined }> {
  return Promise.all([
    api<{ data: Model[] }>("GET", "/api/models"),
    api<Defaults>("GET", "/api/defaults"),
    optionalApi<{ data: GatewayKey[] }>("GET", "/api/keys"),
  ]).then(([models, defaults, keys]) => ({ models: models.data, defaults, keys: keys?.data }));
}

function GatewayKeys({ keys, created, onCreated }: { keys: GatewayKey[]; created: string | undefined; onCreated: (key: string) => void }) {
  const [name, setName] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const active = keys.filter((key) => (key.status === undefined ? key.revoked_at === null || key.revoked_at === undefined : key.status === "active"));
  const create = (): void => {
    setBusy(true);
    setError(undefined);
    api<{ key: string }>("POST", "/api/keys", { name: name.trim() || "console" }).then(
      (result) => {
        setBusy(false);
        setName("");
        onCreated(result.key);
        announce("Gateway key created. Copy it now: it is shown only once.");
        notifyDataChanged();
      },
      (failure: unknown) => {
        setBusy(false);
        setError(errorMessage(failure));
      },
    );
  };
  return (
    <>
      {created === undefined ? null : (
        <div className="banner banner-info" role="status">
          <p>
            <strong>Your new gateway key</strong> (shown only once; Switchyard keeps only a hash of it):
          </p>
          <p className="copy-line">
            <code className="secret">{created}</code> <CopyButton text={created} />
          </p>
        </div>
      )}
      {active.length > 0 ? (
        <>
          <p className="muted">Existing keys (their full values are not stored; create a new key if you lost one):</p>
          <ul className="key-list">
            {active.map((key) => (
              <li key={key.id}>
                {key.name} {key.key_prefix === undefined ? null : <code>{key.key_prefix}</code>}
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">
          No gateway keys yet, so clients need none and any value works. Create one per app: once a key exists, every client must send one, and each can be revoked on its own.
        </p>
      )}
      <div className="toolbar">
        <input aria-label="New key name" placeholder="Key name, e.g. my-app" value={name} onChange={(event) => setName(event.target.value)} />
        <button type="button" onClick={create} disabled={busy}>
          {busy ? "Creating…" : "Create gateway key"}
        </button>
      </div>
      <ErrorText message={error} />
    </>
  );
}

/** The Connect your app page. */
export function ConnectPage() {
  const version = useDataVersion();
  const data = useResource(loadConnectData, `connect-${version}`);
  const [createdKey, setCreatedKey] = useState<string>();
  const [chosenModel, setChosenModel] = useState<string>();
  const [tab, setTab] = useState("curl");
  const tabsId = useId();
  const baseUrl = `${window.location.origin}/v1`;

  const chatModels = (data.data?.models ?? []).filter((model) => model.type === "chat");
  const fallbackModel = data.data?.defaults.chat !== undefined ? "default" : (chatModels[0]?.id ?? "ollama/llama3.1:8b");
  const model = chosenModel ?? fallbackModel;
  const keysRoute = data.data?.keys !== undefined;
  const activeKeys = (data.data?.keys ?? []).filter((key) => key.status === undefined || key.status === "active");
  const apiKey = createdKey ?? (keysRoute && activeKeys.length > 0 ? "YOUR_GATEWAY_KEY" : ANY_KEY);
  const snippets = buildSnippets({ baseUrl, apiKey, model });
  const current = snippets.find((snippet) => snippet.id === tab) ?? snippets[0];

  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>, index: number): void => {
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = snippets[(index + step + snippets.length) % snippets.length];
    if (next === undefined) return;
    setTab(next.id);
    document.getElementById(`${tabsId}-${next.id}`)?.focus();
  };

  return (
    <>
      <div className="page-header">
        <div>
          <h1>Connect your app</h1>
          <p className="muted">Any OpenAI client works: point it at this base URL and pick a model.</p>
        </div>
      </div>
      {data.loading && data.data === undefined ? <Loading /> : null}
      <ErrorText message={data.error} />
      <section className="card" aria-label="Base URL">
        <h2>Base URL</h2>
        <p className="copy-line">
          <code>{baseUrl}</code> <CopyButton text={baseUrl} />
        </p>
      </section>
      <section className="card" aria-label="API key">
        <h2>API key</h2>
        {data.data === undefined ? null : keysRoute ? (
          <GatewayKeys keys={data.data.keys ?? []} created={createdKey} onCreated={setCreatedKey} />
        ) : (
          <p className="muted">
            This server does not check client keys. The SDKs insist on one, so any value works; the snippets use <code>{ANY_KEY}</code>.
          </p>
        )}
      </section>
      <section className="card" aria-label="Code">
        <div className="card-main">
          <h2>Code</h2>
          <div className="field inline-field">
            <label htmlFor="connect-model">Model</label>
            <select id="connect-model" value={model} onChange={(event) => setChosenModel(event.target.value)}>
              {data.data?.defaults.chat === undefined ? null : <option value="default">default ({data.data.defaults.chat})</option>}
              {chatModels.map((entry) => (
                <option key={entry.id} value={entry.id}>
                  {entry.id}
                </option>
              ))}
              {chatModels.length === 0 ? <option value={model}>{model}</option> : null}
            </select>
          </div>
        </div>
        <div role="tablist" aria-label="Language" className="tabs">
          {snippets.map((snippet, index) => (
            <button
              key={snippet.id}
              id={`${tabsId}-${snippet.id}`}
              type="button"
              role="tab"
              aria-selected={snippet.id === current?.id}
              aria-controls={`${tabsId}-panel`}
              tabIndex={snippet.id === current?.id ? 0 : -1}
              onClick={() => setTab(snippet.id)}
              onKeyDown={(event) => onTabKey(event, index)}
            >
              {snippet.label}
            </button>
          ))}
        </div>
        {current === undefined ? null : (
          <div role="tabpanel" id={`${tabsId}-panel`} aria-labelledby={`${tabsId}-${current.id}`} className="snippet">
            {current.install === undefined ? null : (
              <p className="muted small-text">
                First: <code>{current.install}</code>
              </p>
            )}
            <pre>
              <code>{current.code}</code>
            </pre>
            <CopyButton text={current.code} label="Copy code" />
          </div>
        )}
      </section>
    </>
  );
}
