import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Codicon } from './codicon';

interface Props {
  children: ReactNode;
  onError?: (message: string) => void;
}

/** Catches a render failure so the panel shows what went wrong instead of going blank. */
export class ErrorBoundary extends Component<Props, { error: string | null }> {
  override state = { error: null as string | null };

  static getDerivedStateFromError(err: unknown) {
    return { error: err instanceof Error ? err.message : String(err) };
  }

  override componentDidCatch(err: unknown, info: ErrorInfo) {
    this.props.onError?.(`render failed: ${err instanceof Error ? err.message : String(err)}${info.componentStack?.split('\n')[1] ?? ''}`);
  }

  override render() {
    if (this.state.error === null) return this.props.children;
    return (
      <div className="nf-banner nf-banner--error" role="alert" data-testid="render-error">
        <Codicon name="error" />
        <div>
          <strong>This view could not be shown.</strong>
          <div className="nf-muted">{this.state.error}</div>
        </div>
      </div>
    );
  }
}
