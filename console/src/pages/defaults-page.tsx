/**
 * @module console/pages/defaults-page
 * Defaults: the model used for each service when a client sends `"model": "default"` (or, on the
 * JSON endpoints, no model). Each choice is saved as soon as it is made.
 */
import { useState } from "react";
import { api, errorMessage } from "../api/client.js";
import { MODEL_TYPES, type Defaults, type Model, type ModelType } from "../api/types.js";
import { useResource } from "../api/use-resource.js";
import { ErrorText, Loading } from "../components/feedback.js";
import { announce, notifyDataChanged, useDataVersion } from "../store.js";

const SERVICES: Readonly<Record<ModelType, { title: string; endpoint: string }>> = {
  chat: { title: "Chat", endpoint: "/v1/chat/completions and /v1/completions" },
  embedding: { title: "Embedding", endpoint: "/v1/embeddings" },
  tts: { title: "Text to speech", endpoint: "/v1/audio/speech" },
  stt: { title: "Speech to text", endpoint: "/v1/audio/transcriptions" },
};

/** The defaults page. */
export function DefaultsPage() {
  const version = useDataVersion();
  const data = useResource(
    () => Promise.all([api<Defaults>("GET", "/api/defaults"), api<{ data: Model[] }>("GET", "/api/models").then((body) => body.data)]),
    `defaults-${version}`,
  );
  const [saving, setSaving] = useState<ModelType>();
  const [error, setError] = useState<{ type: ModelType; message: string }>();

  const choose = (type: ModelType, model: string): void => {
    setSaving(type);
    setError(undefined);
    api<Defaults>("PUT", `/api/defaults/${type}`, { model: model === "" ? null : model }).then(
      () => {
        setSaving(undefined);
        announce(model === "" ? `Cleared the ${SERVICES[type].title.toLowerCase()} default.` : `${SERVICES[type].title} default: ${model}.`);
        notifyDataChanged();
      },
      (failure: unknown) => {
        setSaving(undefined);
        setError({ type, message: errorMessage(failure) });
      },
    );
  };

  const [defaults, models] = data.data ?? [undefined, undefined];
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Defaults</h1>
          <p className="muted">
            The model used when a client sends <code>"model": "default"</code> or leaves the model out.
          </p>
        </div>
      </div>
      {data.loading && data.data === undefined ? <Loading /> : null}
      <ErrorText message={data.error} />
      {defaults === undefined || models === undefined ? null : (
        <div className="defaults-grid">
          {MODEL_TYPES.map((type) => {
            const candidates = models.filter((model) => model.type === type);
            const current = defaults[type] ?? "";
            // A default set elsewhere (CLI, another type since) still shows as chosen.
            const orphan = current !== "" && !candidates.some((model) => model.id === current);
            const id = `default-${type}`;
            return (
              <section key={type} className="card">
                <label htmlFor={id}>
                  <h2>{SERVICES[type].title}</h2>
                </label>
                <p className="muted small-text">{SERVICES[type].endpoint}</p>
                <select id={id} value={current} disabled={saving === type || (candidates.length === 0 && current === "")} onChange={(event) => choose(type, event.target.value)}>
                  <option value="">{candidates.length === 0 ? "No models of this type registered" : "No default"}</option>
                  {orphan ? <option value={current}>{current}</option> : null}
                  {candidates.map((model) => (
                    <option key={model.id} value={model.id}>
                      {model.display_name === null ? model.id : `${model.display_name} (${model.id})`}
                    </option>
                  ))}
                </select>
                {saving === type ? <p className="muted small-text">Saving…</p> : null}
                {error?.type === type ? <ErrorText message={error.message} /> : null}
              </section>
            );
          })}
        </div>
      )}
    </>
  );
}
