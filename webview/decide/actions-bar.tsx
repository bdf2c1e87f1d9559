import VscodeButton from '@vscode-elements/react-elements/dist/components/VscodeButton.js';
import type { DecideActionView } from '../../src/shared/protocol';

/**
 * "Copy configuration", "Create on server" (when the host says a connection is active and
 * there is something to create) and "Scaffold code" (when decided) work; "Add to flow design"
 * belongs to a feature that does not exist yet.
 * A disabled action says why in its tooltip (on a wrapper: disabled controls get no hover
 * events).
 */
export function ActionsBar({ actions, onCopy, canCopy, onCreate, onScaffold, busy }: { actions: DecideActionView[]; onCopy: () => void; canCopy: boolean; onCreate: () => void; onScaffold: () => void; busy: boolean }) {
  const handlers: Partial<Record<DecideActionView['id'], () => void>> = { copyConfig: onCopy, createOnServer: onCreate, scaffold: onScaffold };
  return (
    <div className="nf-row decide__actions" data-testid="actions">
      {actions.map((a) => {
        const enabled = a.enabled && (a.id !== 'copyConfig' || canCopy) && ((a.id !== 'createOnServer' && a.id !== 'scaffold') || !busy);
        return (
          <span key={a.id} title={a.tooltip} data-action={a.id} className="decide__action">
            <VscodeButton
              icon={a.icon}
              secondary={a.id !== 'copyConfig'}
              disabled={!enabled}
              aria-disabled={!enabled}
              onClick={enabled ? handlers[a.id] : undefined}
            >
              {a.label}
            </VscodeButton>
          </span>
        );
      })}
    </div>
  );
}
