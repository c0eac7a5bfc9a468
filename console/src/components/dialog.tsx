/**
 * @module console/components/dialog
 * A modal on the native `<dialog>` element: the browser traps focus, closes on Escape and returns
 * focus to the button that opened it, which hand-made modals usually get wrong.
 */
import { useEffect, useId, useRef, type ReactNode } from "react";

/** Props of {@link Dialog}. */
export interface DialogProps {
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Wider layout for lists (Discover models). */
  wide?: boolean;
  /** A line under the title. */
  description?: ReactNode;
}

/** A modal dialog, open while mounted. The element marked `data-autofocus` gets focus first. */
export function Dialog({ title, onClose, children, wide = false, description }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return undefined;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    return () => dialog.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={wide ? "dialog dialog-wide" : "dialog"}
      aria-labelledby={titleId}
      onCancel={(event) => {
        // Escape: let React unmount the dialog rather than the browser closing it behind React's back.
        event.preventDefault();
        onClose();
      }}
    >
      <div className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      {description === undefined ? null : <p className="dialog-description">{description}</p>}
      {children}
    </dialog>
  );
}
