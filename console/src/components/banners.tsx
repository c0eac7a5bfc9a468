/**
 * @module console/components/banners
 * The banners every page shows: red while stored credentials cannot be decrypted (missing or wrong
 * encryption key, with the fix), amber while environment variables hold provider settings that can
 * be imported into the store in one click (with the import's report).
 */
import { useState } from "react";
import { api, errorMessage } from "../api/client.js";
import type { EnvProvider, MigrationResult, Status } from "../api/types.js";
import { useResource } from "../api/use-resource.js";
import { providerKind } from "../provider-kinds.js";
import { announce, notifyDataChanged, useDataVersion } from "../store.js";

/** The fix for each encryption problem, in the words of docs/security.md. */
function EncryptionBanner({ encryption }: { encryption: Status["encryption"] }) {
  if (encryption.status === "ok") return null;
  const wrong = encryption.status === "wrong-key";
  return (
    <section className="banner banner-danger" role="alert" aria-label="Encryption key problem">
      <h2>{wrong ? "The encryption key is not the one your credentials were sealed with" : "No encryption key is configured"}</h2>
      <p>{encryption.message}</p>
      <p>
        <strong>How to fix it:</strong>{" "}
        {wrong ? (
          <>
            set <code>SWITCHYARD_ENCRYPTION_KEY</code> back to the original key or passphrase (key id <code>{encryption.expected_key_id}</code>), or unset it and
            restore <code>encryption.key</code> in the data directory from a backup; then restart Switchyard.
          </>
        ) : (
          <>
            restore <code>encryption.key</code> into the data directory from a backup, or set <code>SWITCHYARD_ENCRYPTION_KEY</code> to the original key; then
            restart Switchyard.
          </>
        )}{" "}
        Nothing stored has been changed or lost meanwhile; adding or editing credentials waits until the key is right.
      </p>
    </section>
  );
}

const RESULT_WORDS: Readonly<Record<MigrationResult["status"], string>> = {
  imported: "imported",
  already_present: "already stored, left unchanged",
  failed: "failed",
};

function MigrationReport({ results, onDismiss }: { results: MigrationResult[]; onDismiss: () => void }) {
  return (
    <section className="banner banner-info" aria-label="Import report">
      <h2>Import from environment variables: report</h2>
      {results.length === 0 ? <p>No provider settings were found in the environment.</p> : null}
      <ul className="report">
        {results.map((result) => (
          <li key={result.name} className={`report-${result.status}`}>
            <strong>{providerKind(result.kind).name}</strong> as <code>{result.name}</code>: {RESULT_WORDS[result.status]}
            {result.reason === undefined ? null : <span className="muted"> — {result.reason}</span>}
          </li>
        ))}
      </ul>
      <p className="muted">
        Imported keys now live encrypted in the store. You can remove them from your environment; stored credentials take precedence anyway.
      </p>
      <button type="button" className="small" onClick={onDismiss}>
        Dismiss
      </button>
    </section>
  );
}

function EnvBanner({ pending, onMigrated }: { pending: EnvProvider[]; onMigrated: (results: MigrationResult[]) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  if (pending.length === 0) return null;
  const migrate = (): void => {
    setBusy(true);
    setError(undefined);
    api<{ results: MigrationResult[] }>("POST", "/api/credentials/migrate-from-env").then(
      ({ results }) => {
        setBusy(false);
        onMigrated(results);
      },
      (failure: unknown) => {
        setBusy(false);
        setError(errorMessage(failure));
      },
    );
  };
  return (
    <section className="banner banner-warning" aria-label="Keys in environment variables">
      <h2>
        Environment variables hold settings for {pending.length} provider{pending.length === 1 ? "" : "s"}
      </h2>
      <p>Import them into the encrypted store to test, edit and discover models for them here:</p>
      <ul className="env-list">
        {pending.map((entry) => (
          <li key={entry.kind}>
            <strong>{providerKind(entry.kind).name}</strong>: {entry.variables.map((variable) => <code key={variable}>{variable}</code>)}
            {entry.api_key_mask === null ? null : <span className="muted"> (key {entry.api_key_mask})</span>}
          </li>
        ))}
      </ul>
      {error === undefined ? null : (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <button type="button" className="primary" onClick={migrate} disabled={busy}>
        {busy ? "Importing…" : "Import into the store"}
      </button>
    </section>
  );
}

/** Both banners, reloaded whenever stored data changes. */
export function Banners() {
  const version = useDataVersion();
  const status = useResource(() => api<Status>("GET", "/api/status"), `status-${version}`);
  const env = useResource(() => api<{ data: EnvProvider[] }>("GET", "/api/credentials/env-status"), `env-${version}`);
  const [report, setReport] = useState<MigrationResult[]>();
  const pending = (env.data?.data ?? []).filter((entry) => !entry.already_stored);
  return (
    <div className="banners">
      {status.data === undefined ? null : <EncryptionBanner encryption={status.data.encryption} />}
      {report === undefined ? null : <MigrationReport results={report} onDismiss={() => setReport(undefined)} />}
      <EnvBanner
        pending={pending}
        onMigrated={(results) => {
          setReport(results);
          const imported = results.filter((result) => result.status === "imported").length;
          announce(`Imported ${imported} provider${imported === 1 ? "" : "s"} from the environment.`);
          notifyDataChanged();
        }}
      />
    </div>
  );
}
