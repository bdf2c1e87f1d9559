import VscodeButton from '@vscode-elements/react-elements/dist/components/VscodeButton.js';
import type { DecideActionView } from '../../src/shared/protocol';

/**
 * "Copy configuration" and "Create on server" (when the host says a connection is active and
 * there is something to create) work; the others belong to features that do not exist yet.
 * A disabled action says why in its tooltip (on a wrapper: disabled controls get no hover
 * events).
 */
export function ActionsBar({ actions, onCopy, canCopy, onCreate, busy }: { actions: DecideActionView[]; onCopy: () => void; canCopy: boolean; onCreate: () => void; busy: boolean }) {
  const handlers: Partial<Record<DecideActionView['id'], () => void>> = { copyConfig: onCopy, createOnServer: onCreate };
  return (
    <div className="nf-row decide__actions" data-testid="actions">
      {actions.map((a) => {
        const enabled = a.enabled && (a.id !== 'copyConfig' || canCopy) && (a.id !== 'createOnServer' || !busy);
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
