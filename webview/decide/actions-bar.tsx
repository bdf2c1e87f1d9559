import VscodeButton from '@vscode-elements/react-elements/dist/components/VscodeButton.js';
import type { DecideActionView } from '../../src/shared/protocol';

/**
 * "Copy configuration" works; the others belong to features that do not exist yet and are
 * shown disabled with the reason (the tooltip sits on a wrapper: disabled controls get no
 * hover events).
 */
export function ActionsBar({ actions, onCopy, canCopy }: { actions: DecideActionView[]; onCopy: () => void; canCopy: boolean }) {
  return (
    <div className="nf-row decide__actions" data-testid="actions">
      {actions.map((a) => {
        const enabled = a.enabled && (a.id !== 'copyConfig' || canCopy);
        return (
          <span key={a.id} title={a.tooltip} data-action={a.id} className="decide__action">
            <VscodeButton
              icon={a.icon}
              secondary={a.id !== 'copyConfig'}
              disabled={!enabled}
              aria-disabled={!enabled}
              onClick={enabled && a.id === 'copyConfig' ? onCopy : undefined}
            >
              {a.label}
            </VscodeButton>
          </span>
        );
      })}
    </div>
  );
}
