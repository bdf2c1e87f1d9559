import { Codicon } from './codicon';

/** The error state shown when the host sent something this view cannot use. */
export function ErrorBanner({ title, detail, onDismiss }: { title: string; detail?: string; onDismiss?: () => void }) {
  return (
    <div className="nf-banner nf-banner--error" role="alert" data-testid="error-banner">
      <Codicon name="error" />
      <div className="nf-banner__body">
        <strong>{title}</strong>
        {detail ? <div className="nf-banner__detail">{detail}</div> : null}
      </div>
      {onDismiss ? (
        <button type="button" className="nf-icon-button" onClick={onDismiss} aria-label="Dismiss" title="Dismiss">
          <Codicon name="close" />
        </button>
      ) : null}
    </div>
  );
}
