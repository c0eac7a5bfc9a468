/** @module console/components/toasts — confirmations in one polite live region. */
import { useToasts } from "../store.js";

/** Renders the current confirmations; screen readers announce each once. */
export function Toasts() {
  const toasts = useToasts();
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <p key={toast.id} className="toast">
          {toast.message}
        </p>
      ))}
    </div>
  );
}
