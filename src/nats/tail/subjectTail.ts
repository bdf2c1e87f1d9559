/** Core subject tail: a plain subscription (wildcards, optional queue group). */
import type { Subscription } from '@nats-io/transport-node';
import { isoNow } from '../../core/tail/events';
import { subjectProblem } from '../../core/tail/spec';
import { headerPairs } from './orderedPull';
import { TailSession } from './session';
import { coreReconnectMarkers } from './connectionMarkers';

export class SubjectTail extends TailSession {
  private sub?: Subscription;
  private unwatch?: () => void;

  protected async openSource(): Promise<void> {
    if (this.spec.kind !== 'subject') throw new Error('SubjectTail needs a subject spec');
    const { subject, queue } = this.spec;
    const bad = subjectProblem(subject);
    if (bad) throw new Error(`subject "${subject}" ${bad}`);
    if (queue !== undefined && (queue === '' || /[\s*>]/.test(queue))) throw new Error(`queue group "${queue}" must be one word without spaces or wildcards`);
    this.mode = queue ? `core subscription, queue group ${queue}` : 'core subscription';
    this.sub = this.ctx.nc.subscribe(subject, {
      ...(queue ? { queue } : {}),
      callback: (_err, msg) => {
        this.emit({ kind: 'msg', subject: msg.subject, time: isoNow(), headers: headerPairs(msg), data: msg.data, ...(msg.reply ? { reply: msg.reply } : {}) });
      },
    });
    // a flush makes sure the server has the subscription before we say we listen
    await this.ctx.nc.flush();
    this.unwatch = coreReconnectMarkers(this.ctx.nc, subject, (m) => this.emit(m));
    this.note(
      'note',
      `listening on ${subject}${queue ? ` in queue group ${queue} (members share the messages)` : ''}: a core subscription only sees messages published while it listens, nothing from before and nothing while disconnected`,
    );
  }

  protected async release(): Promise<void> {
    this.unwatch?.();
    try {
      this.sub?.unsubscribe();
      if (!this.ctx.nc.isClosed()) await this.ctx.nc.flush();
    } catch {
      /* connection already closed: the subscription is gone with it */
    }
  }
}
