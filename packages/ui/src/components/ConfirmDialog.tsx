import { useEffect, useRef, type ReactNode } from "react";

/**
 * A modal question with a confirm and a cancel button. Escape and the cancel button close it; the
 * cancel button has the focus first, so Enter never confirms a destructive action by accident.
 */
export function ConfirmDialog(props: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** The label of the button that closes the question (default "Cancel"). */
  cancelLabel?: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  const { onCancel } = props;
  useEffect(() => {
    cancelRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onCancel();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onCancel]);
  return (
    <div className="dialog-backdrop">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="confirm-dialog-title">
        <h2 id="confirm-dialog-title">{props.title}</h2>
        <div>{props.children}</div>
        <div className="dialog-buttons">
          <button type="button" ref={cancelRef} onClick={props.onCancel} disabled={props.busy}>
            {props.cancelLabel ?? "Cancel"}
          </button>
          <button type="button" className="danger" onClick={props.onConfirm} disabled={props.busy}>
            {props.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
