/**
 * @module console/pages/login-page
 * Sign in with the admin key. The server answers with an HttpOnly, SameSite=Strict cookie, so the
 * key is sent once and never kept by the page.
 */
import { useState, type FormEvent } from "react";
import { api, ApiError, errorMessage } from "../api/client.js";
import { ErrorText } from "../components/feedback.js";

/** The sign-in form; `onSignedIn` runs after the server accepted the key. */
export function LoginPage({ onSignedIn }: { onSignedIn: () => void }) {
  const [key, setKey] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (key.trim() === "") {
      setError("Enter the admin key.");
      return;
    }
    setBusy(true);
    setError(undefined);
    api("POST", "/api/session", { admin_key: key.trim() }).then(
      () => {
        setKey("");
        onSignedIn();
      },
      (failure: unknown) => {
        setBusy(false);
        setError(failure instanceof ApiError && failure.status === 401 ? "That admin key is not right. Check for typos or extra spaces, and ask whoever runs this server if it was changed." : errorMessage(failure));
      },
    );
  };
  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit} noValidate>
        <h1>Sign in to Switchyard</h1>
        <p className="muted">This server asks for its admin key before showing its settings.</p>
        <div className="field">
          <label htmlFor="admin-key">Admin key</label>
          <input id="admin-key" type="password" autoComplete="current-password" value={key} onChange={(event) => setKey(event.target.value)} autoFocus />
        </div>
        <ErrorText message={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
