/**
 * @module console/components/feedback
 * Loading, empty and error states, written once so every page shows them the same way.
 */
import type { ReactNode } from "react";

/** A polite "loading" line with a spinner. */
export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

/** What a page shows when there is nothing yet, with the next step. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

/** An error message in plain words; renders nothing without one. */
export function ErrorText({ message }: { message: string | undefined }) {
  if (message === undefined) return null;
  return (
    <p className="error-text" role="alert">
      {message}
    </p>
  );
}

/** A result line: green for success, red for failure. */
export function ResultText({ ok, children }: { ok: boolean; children: ReactNode }) {
  return (
    <p className={ok ? "result result-ok" : "result result-fail"} role="status">
      <span aria-hidden="true">{ok ? "✓ " : "✕ "}</span>
      {children}
    </p>
  );
}
