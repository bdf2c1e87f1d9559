import type { ReportFlag, ReportFlagKind } from '../../src/shared/protocol';
import { Codicon } from '../components/codicon';

/** Codicon, short word and severity (which theme colour) of each health flag. */
const LOOK: Record<ReportFlagKind, { icon: string; word: string; severity: 'warning' | 'error' | 'paused' | 'info' }> = {
  nearLimit: { icon: 'warning', word: 'near limit', severity: 'warning' },
  ackPendingNearMax: { icon: 'warning', word: 'ack pending near max', severity: 'warning' },
  behind: { icon: 'arrow-down', word: 'behind', severity: 'warning' },
  replicaLag: { icon: 'history', word: 'replica lag', severity: 'warning' },
  replicaOffline: { icon: 'debug-disconnect', word: 'replica offline', severity: 'error' },
  lost: { icon: 'error', word: 'lost data', severity: 'error' },
  paused: { icon: 'debug-pause', word: 'paused', severity: 'paused' },
  sealed: { icon: 'lock', word: 'sealed', severity: 'info' },
};

export function Flags({ flags }: { flags: ReportFlag[] }) {
  if (!flags.length) {
    return (
      <span className="report__ok" title="No problems seen">
        <Codicon name="pass" /> ok
      </span>
    );
  }
  return (
    <ul className="report__flags">
      {flags.map((f, i) => {
        const look = LOOK[f.kind];
        return (
          <li key={i} className={`report__flag report__flag--${look.severity}`} data-flag={f.kind} title={f.label}>
            <Codicon name={look.icon} label={f.label} /> <span>{look.word}</span>
          </li>
        );
      })}
    </ul>
  );
}
