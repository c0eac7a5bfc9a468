/**
 * @module console/pages/routing-page
 * Routing: each alias (tier) with its strategy and its deployments in order (the first is the
 * primary, the rest are fallbacks), reordered by dragging or from the keyboard and saved with
 * `PUT /api/routes/{name}`; and every deployment's health (breaker, latency, last error).
 */
import { useState, type DragEvent, type KeyboardEvent } from "react";
import { api, encodeId, errorMessage, optionalApi } from "../api/client.js";
import type { DeploymentHealth, RouteAlias, RouteTarget } from "../api/types.js";
import { useResource } from "../api/use-resource.js";
import { EmptyState, ErrorText, Loading } from "../components/feedback.js";
import { BREAKER_LABELS } from "../labels.js";
import { announce, notifyDataChanged, useDataVersion } from "../store.js";

/** Strategies the router implements (src/router/strategies.ts). */
const STRATEGIES: Readonly<Record<string, string>> = {
  priority: "Priority with failover",
  weighted: "Weighted random",
  "round-robin": "Round robin",
  "least-latency": "Least latency",
  "least-busy": "Least busy",
};

/** Moves the item at `from` to `to`. */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const next = [...items];
  const [item] = next.splice(from, 1);
  if (item !== undefined) next.splice(Math.max(0, Math.min(to, next.length)), 0, item);
  return next;
}

/** The model id of a target. */
function targetModel(target: RouteTarget): string {
  return typeof target === "string" ? target : target.model;
}

function lastErrorText(error: DeploymentHealth["last_error"]): string | null {
  if (error === null || error === undefined) return null;
  return typeof error === "string" ? error : error.message;
}

/** The route as `PUT /api/routes/{name}` takes it: everything but the listing's own fields. */
function routeBody(alias: RouteAlias, strategy: string, targets: RouteTarget[]): Record<string, unknown> {
  const { name: _name, source: _source, ...definition } = alias;
  return { ...definition, strategy, targets };
}

function HealthLine({ health }: { health: DeploymentHealth | undefined }) {
  if (health === undefined) return <span className="muted small-text">no health data yet</span>;
  return (
    <span className="health">
      <span className={`breaker breaker-${health.breaker.state}`}>{BREAKER_LABELS[health.breaker.state]}</span>
      <span className="muted small-text">
        {health.latency_ms === null ? "no latency yet" : `${Math.round(health.latency_ms)} ms`} · {health.in_flight} in flight
      </span>
      {lastErrorText(health.last_error) === null ? null : <span className="error-text small-text">Last error: {lastErrorText(health.last_error)}</span>}
    </span>
  );
}

function AliasCard({ alias, health }: { alias: RouteAlias; health: ReadonlyMap<string, DeploymentHealth> }) {
  const [targets, setTargets] = useState(alias.targets);
  const [strategy, setStrategy] = useState(alias.strategy ?? "priority");
  const [dragging, setDragging] = useState<number>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const [moved, setMoved] = useState<string>();
  const dirty = strategy !== (alias.strategy ?? "priority") || JSON.stringify(targets) !== JSON.stringify(alias.targets);

  const move = (from: number, to: number): void => {
    if (to < 0 || to >= targets.length || from === to) return;
    const target = targets[from];
    setTargets(moveItem(targets, from, to));
    setMoved(`${target === undefined ? "" : targetModel(target)} moved to position ${to + 1} of ${targets.length}.`);
    // Keep keyboard focus on the handle of the row that moved.
    window.requestAnimationFrame(() => document.getElementById(`handle-${alias.name}-${to}`)?.focus());
  };
  const onHandleKey = (event: KeyboardEvent<HTMLButtonElement>, index: number): void => {
    if (event.key === "ArrowUp") move(index, index - 1);
    else if (event.key === "ArrowDown") move(index, index + 1);
    else if (event.key === "Home") move(index, 0);
    else if (event.key === "End") move(index, targets.length - 1);
    else return;
    event.preventDefault();
  };
  const onDrop = (event: DragEvent<HTMLLIElement>, index: number): void => {
    event.preventDefault();
    if (dragging !== undefined) move(dragging, index);
    setDragging(undefined);
  };
  const save = (): void => {
    setSaving(true);
    setError(undefined);
    api("PUT", `/api/routes/${encodeId(alias.name)}`, routeBody(alias, strategy, targets)).then(
      () => {
        setSaving(false);
        announce(`Saved the route “${alias.name}”.`);
        notifyDataChanged();
      },
      (failure: unknown) => {
        setSaving(false);
        setError(errorMessage(failure));
      },
    );
  };

  const strategyId = `strategy-${alias.name}`;
  return (
    <section className="card" aria-label={`Route ${alias.name}`}>
      <div className="card-main">
        <div className="card-title">
          <h2>
            <code>{alias.name}</code>
          </h2>
          <p className="muted small-text">
            Clients send this name as the model.
            {alias.source === "config" ? " Defined in the config file; saving here stores your version, which then takes precedence." : ""}
          </p>
        </div>
        <div className="field inline-field">
          <label htmlFor={strategyId}>Strategy</label>
          <select id={strategyId} value={strategy} onChange={(event) => setStrategy(event.target.value)}>
            {(STRATEGIES[strategy] === undefined ? [strategy, ...Object.keys(STRATEGIES)] : Object.keys(STRATEGIES)).map((name) => (
              <option key={name} value={name}>
                {STRATEGIES[name] ?? name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="help" id={`reorder-help-${alias.name}`}>
        Drag a row, or focus its handle and press ↑ / ↓ (Home / End) to change the order.
      </p>
      <ol className="target-list" aria-label={`Deployments of ${alias.name}, in order`}>
        {targets.map((entry, index) => {
          const target = targetModel(entry);
          return (
            <li
              key={target}
              className={dragging === index ? "target dragging" : "target"}
              draggable
              onDragStart={(event) => {
                event.dataTransfer.effectAllowed = "move";
                event.dataTransfer.setData("text/plain", target);
                setDragging(index);
              }}
              onDragEnd={() => setDragging(undefined)}
              onDragOver={(event) => event.preventDefault()}
              onDrop={(event) => onDrop(event, index)}
            >
              <button
                type="button"
                id={`handle-${alias.name}-${index}`}
                className="drag-handle"
                aria-label={`Reorder ${target}, position ${index + 1} of ${targets.length}`}
                aria-describedby={`reorder-help-${alias.name}`}
                onKeyDown={(event) => onHandleKey(event, index)}
              >
                ⠿
              </button>
              <span className="target-role">{index === 0 ? "Primary" : `Fallback ${index}`}</span>
              <span className="target-name">
                <code>{target}</code>
                <HealthLine health={health.get(target)} />
              </span>
              <span className="target-moves">
                <button type="button" className="small" aria-label={`Move ${target} up`} disabled={index === 0} onClick={() => move(index, index - 1)}>
                  ↑
                </button>
                <button type="button" className="small" aria-label={`Move ${target} down`} disabled={index === targets.length - 1} onClick={() => move(index, index + 1)}>
                  ↓
                </button>
              </span>
            </li>
          );
        })}
      </ol>
      <p className="visually-hidden" aria-live="assertive">
        {moved}
      </p>
      <ErrorText message={error} />
      {dirty ? (
        <div className="card-actions">
          <button type="button" className="primary" onClick={save} disabled={saving}>
            {saving ? "Saving…" : "Save"}
          </button>
          <button
            type="button"
            onClick={() => {
              setTargets(alias.targets);
              setStrategy(alias.strategy ?? "priority");
            }}
          >
            Discard changes
          </button>
        </div>
      ) : null}
    </section>
  );
}

/** Loads routes and deployment health; undefined routes mean the server has no routing API. */
export function loadRouting(): Promise<{ routes: RouteAlias[] | undefined; health: DeploymentHealth[] }> {
  return Promise.all([
    optionalApi<{ data: RouteAlias[] }>("GET", "/api/routes"),
    optionalApi<{ data: DeploymentHealth[] }>("GET", "/api/health/deployments"),
  ]).then(([routes, health]) => ({ routes: routes?.data, health: health?.data ?? [] }));
}

/** The routing page. */
export function RoutingPage() {
  const version = useDataVersion();
  const routing = useResource(loadRouting, `routing-${version}`);
  const health = new Map((routing.data?.health ?? []).map((entry) => [entry.id, entry]));
  const routes = routing.data?.routes;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Routing</h1>
          <p className="muted">Aliases (tiers) try their deployments in order; a failing deployment is paused and the next one answers.</p>
        </div>
        <button type="button" onClick={routing.reload}>
          Refresh health
        </button>
      </div>
      {routing.loading && routing.data === undefined ? <Loading /> : null}
      <ErrorText message={routing.error} />
      {routing.data !== undefined && routes === undefined ? (
        <EmptyState title="Routing is not configured on this server">
          <p>This Switchyard has no routing API. Models are still reachable by their own ids.</p>
        </EmptyState>
      ) : null}
      {routes !== undefined && routes.length === 0 ? (
        <EmptyState title="No aliases yet">
          <p>
            Define aliases under <code>routes</code> in the config file; they appear here with their health.
          </p>
        </EmptyState>
      ) : null}
      {/* Keyed by content: a saved or reloaded route resets the card's local order. */}
      {routes?.map((alias) => <AliasCard key={`${alias.name}:${JSON.stringify(alias)}`} alias={alias} health={health} />)}
      {routing.data !== undefined && routing.data.health.length > 0 ? (
        <section className="card" aria-label="Deployment health">
          <h2>Deployments</h2>
          <div className="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">Deployment</th>
                  <th scope="col">Model</th>
                  <th scope="col">State</th>
                  <th scope="col">Latency</th>
                  <th scope="col">In flight</th>
                  <th scope="col">Last error</th>
                </tr>
              </thead>
              <tbody>
                {routing.data.health.map((entry) => (
                  <tr key={entry.id}>
                    <td>
                      <code>{entry.id}</code>
                    </td>
                    <td>{entry.provider === undefined ? "—" : <>{entry.provider} · <code>{entry.upstream_model}</code></>}</td>
                    <td>
                      <span className={`breaker breaker-${entry.breaker.state}`}>{BREAKER_LABELS[entry.breaker.state]}</span>
                    </td>
                    <td>{entry.latency_ms === null ? "—" : `${Math.round(entry.latency_ms)} ms`}</td>
                    <td>{entry.in_flight}</td>
                    <td className="small-text">{lastErrorText(entry.last_error) ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </>
  );
}
