/** @module console/components/confirm-dialog — asks before something that cannot be undone. */
import { useState, type ReactNode } from "react";
import { errorMessage } from "../api/client.js";
import { Dialog } from "./dialog.js";
import { ErrorText } from "./feedback.js";

/** Props of {@link ConfirmDialog}. */
export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

/** A confirmation with a destructive button; errors stay in the dialog so the user can retry. */
export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onClose }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  return (
    <Dialog title={title} onClose={onClose}>
      <div className="dialog-body">{children}</div>
      <ErrorText message={error} />
      <div className="dialog-actions">
        <button type="button" onClick={onClose} data-autofocus>
          Cancel
        </button>
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            setError(undefined);
            onConfirm().then(onClose, (failure: unknown) => {
              setBusy(false);
              setError(errorMessage(failure));
            });
          }}
        >
          {busy ? "Working…" : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
