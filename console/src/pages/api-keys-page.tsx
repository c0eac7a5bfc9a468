/**
 * @module console/pages/api-keys-page
 * API keys: the stored credentials with their provider, address, masked key, last test and enabled
 * switch; Add credential, Test connection (inline diagnosis), Discover models, Edit and Delete.
 */
import { useState } from "react";
import { api, encodeId, errorMessage } from "../api/client.js";
import type { ConnectionTest, Credential, Status } from "../api/types.js";
import { useResource } from "../api/use-resource.js";
import { ConfirmDialog } from "../components/confirm-dialog.js";
import { EmptyState, ErrorText, Loading, ResultText } from "../components/feedback.js";
import { ProviderBadge } from "../components/provider-badge.js";
import { providerKind } from "../provider-kinds.js";
import { announce, notifyDataChanged, useDataVersion } from "../store.js";
import { CredentialDialog } from "./credential-dialog.js";
import { DiscoverDialog } from "./discover-dialog.js";

type OpenDialog =
  | { type: "add" }
  | { type: "edit"; credential: Credential }
  | { type: "delete"; credential: Credential }
  | { type: "discover"; credential: Credential };

/** A test under way, or the failure of the test request itself (the result lands in `last_test`). */
type TestState = { running: true } | { running: false; error: string };

function timeAgo(iso: string): string {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1_000));
  if (seconds < 60) return "just now";
  if (seconds < 3_600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3_600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

function CredentialStatus({ credential, test, keyProblem }: { credential: Credential; test: TestState | undefined; keyProblem: string | undefined }) {
  if (test?.running === true) {
    return (
      <p className="loading" role="status">
        <span className="spinner" aria-hidden="true" />
        Testing the connection…
      </p>
    );
  }
  if (test !== undefined) return <ErrorText message={test.error} />;
  // The red banner already explains a wrong or missing encryption key; do not repeat it on every card.
  if (credential.secrets_error !== null && credential.secrets_error === keyProblem) return <ErrorText message="Its stored secrets cannot be read until the encryption key is fixed (see above)." />;
  if (credential.secrets_error !== null) return <ErrorText message={credential.secrets_error} />;
  if (credential.last_test === null) return <p className="muted">Not tested yet.</p>;
  return (
    <ResultText ok={credential.last_test.ok}>
      {credential.last_test.message} <span className="muted">({timeAgo(credential.last_test.at)})</span>
    </ResultText>
  );
}

function KeyNote({ status }: { status: Status | undefined }) {
  const encryption = status?.encryption;
  if (encryption?.status !== "ok") return null;
  return (
    <p className="muted footnote">
      Keys are encrypted (AES-256-GCM) with key <code>{encryption.key_id}</code>
      {encryption.source === "file" && encryption.key_file !== undefined ? (
        <>
          , generated into <code>{encryption.key_file}</code>. Back that file up together with the database: without it, stored keys cannot be read.
        </>
      ) : (
        <> from SWITCHYARD_ENCRYPTION_KEY.</>
      )}
    </p>
  );
}

/** The API keys (credentials) page. */
export function ApiKeysPage() {
  const version = useDataVersion();
  const credentials = useResource(() => api<{ data: Credential[] }>("GET", "/api/credentials").then((body) => body.data), `credentials-${version}`);
  const status = useResource(() => api<Status>("GET", "/api/status"), `status-${version}`);
  const [dialog, setDialog] = useState<OpenDialog>();
  const [tests, setTests] = useState<Readonly<Record<string, TestState>>>({});
  const [rowError, setRowError] = useState<{ id: string; message: string }>();

  const runTest = (credential: Credential): void => {
    setTests((previous) => ({ ...previous, [credential.id]: { running: true } }));
    api<ConnectionTest>("POST", `/api/credentials/${encodeId(credential.id)}/test`).then(
      (result) => {
        setTests(({ [credential.id]: _done, ...rest }) => rest);
        announce(result.ok ? `“${credential.name}” is connected.` : `“${credential.name}”: ${result.diagnosis}`);
        notifyDataChanged();
      },
      (failure: unknown) => setTests((previous) => ({ ...previous, [credential.id]: { running: false, error: errorMessage(failure) } })),
    );
  };

  const setEnabled = (credential: Credential, enabled: boolean): void => {
    setRowError(undefined);
    api<Credential>("PATCH", `/api/credentials/${encodeId(credential.id)}`, { enabled, version: credential.version }).then(
      () => {
        announce(`“${credential.name}” ${enabled ? "enabled" : "disabled"}.`);
        notifyDataChanged();
      },
      (failure: unknown) => setRowError({ id: credential.id, message: errorMessage(failure) }),
    );
  };

  const list = credentials.data ?? [];
  const encryption = status.data?.encryption;
  const keyProblem = encryption === undefined || encryption.status === "ok" ? undefined : encryption.message;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>API keys</h1>
          <p className="muted">Provider credentials: where each provider lives and the key to reach it.</p>
        </div>
        <button type="button" className="primary" onClick={() => setDialog({ type: "add" })}>
          Add credential
        </button>
      </div>
      {credentials.loading && credentials.data === undefined ? <Loading /> : null}
      <ErrorText message={credentials.error} />
      {credentials.data !== undefined && list.length === 0 ? (
        <EmptyState title="No credentials yet">
          <p>Add your first provider: a local server such as Ollama or vLLM, or a cloud API key.</p>
          <button type="button" className="primary" onClick={() => setDialog({ type: "add" })}>
            Add credential
          </button>
        </EmptyState>
      ) : null}
      <ul className="card-list" aria-label="Credentials">
        {list.map((credential) => (
          <li key={credential.id} className={credential.enabled ? "card" : "card card-disabled"} aria-label={credential.name}>
            <div className="card-main">
              <ProviderBadge kind={credential.kind} />
              <div className="card-title">
                <h2>{credential.name}</h2>
                <p className="muted">{providerKind(credential.kind).name}</p>
              </div>
              <label className="switch">
                <input type="checkbox" role="switch" checked={credential.enabled} onChange={(event) => setEnabled(credential, event.target.checked)} />
                <span>{credential.enabled ? "Enabled" : "Disabled"}</span>
              </label>
            </div>
            <dl className="facts">
              <div>
                <dt>Base URL</dt>
                <dd>
                  <code>{credential.effective_base_url ?? credential.base_url ?? "—"}</code>
                </dd>
              </div>
              <div>
                <dt>Key</dt>
                <dd>{credential.has_api_key ? <code>{credential.api_key_mask ?? "stored (cannot be read)"}</code> : <span className="muted">none stored</span>}</dd>
              </div>
              {credential.header_names.length > 0 ? (
                <div>
                  <dt>Headers</dt>
                  <dd>{credential.header_names.join(", ")}</dd>
                </div>
              ) : null}
            </dl>
            <CredentialStatus credential={credential} test={tests[credential.id]} keyProblem={keyProblem} />
            {rowError?.id === credential.id ? <ErrorText message={rowError.message} /> : null}
            <div className="card-actions">
              <button type="button" onClick={() => runTest(credential)} disabled={tests[credential.id]?.running === true}>
                Test connection
              </button>
              <button type="button" onClick={() => setDialog({ type: "discover", credential })}>
                Discover models
              </button>
              <button type="button" onClick={() => setDialog({ type: "edit", credential })}>
                Edit
              </button>
              <button type="button" className="danger-outline" onClick={() => setDialog({ type: "delete", credential })}>
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
      <KeyNote status={status.data} />

      {dialog?.type === "add" || dialog?.type === "edit" ? (
        <CredentialDialog
          {...(dialog.type === "edit" ? { credential: dialog.credential } : {})}
          takenNames={list.map((credential) => credential.name)}
          onClose={() => setDialog(undefined)}
          onSaved={(saved, created) => {
            setDialog(undefined);
            announce(created ? `Added “${saved.name}”. Testing the connection…` : `Saved “${saved.name}”.`);
            notifyDataChanged();
            // A new credential is tested straight away: the point of adding one is to see it work.
            if (created) runTest(saved);
          }}
        />
      ) : null}
      {dialog?.type === "discover" ? (
        <DiscoverDialog credential={dialog.credential} onClose={() => setDialog(undefined)} onRegistered={() => notifyDataChanged()} />
      ) : null}
      {dialog?.type === "delete" ? (
        <ConfirmDialog
          title={`Delete “${dialog.credential.name}”?`}
          confirmLabel="Delete credential"
          onClose={() => setDialog(undefined)}
          onConfirm={async () => {
            await api("DELETE", `/api/credentials/${encodeId(dialog.credential.id)}`);
            announce(`Deleted “${dialog.credential.name}”.`);
            notifyDataChanged();
          }}
        >
          <p>
            Its stored key, its registered models (<code>{dialog.credential.name}/…</code>) and any default pointing at them are removed. Apps using those model ids will get “model not
            found”.
          </p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
