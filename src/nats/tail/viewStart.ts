/**
 * Where a stream view (no consumer; see streamView.ts) starts when the start point is not a
 * plain sequence: "last per subject" and "at a time". A consumer gets both from the server
 * (deliver_policy last_per_subject / by_start_time); a view has to find them itself, on every
 * server from 2.9 on, without taking anything off a WorkQueue or Interest stream:
 *
 * - last per subject: batched direct get with `multi_last` (2.11+, with allow_direct; one
 *   point-in-time answer, paged by sequence), else — older servers, no allow_direct, or more
 *   than the 1,024 subjects `multi_last` answers for — the subjects the stream holds (stream
 *   info `subjects_filter`) and one last-by-subject get each.
 * - at a time: batched direct get with `start_time` (2.11+), else a binary search on the
 *   sequence with message get: the first message stored at or after the time.
 */
import type { JetStreamManager } from '@nats-io/jetstream';
import type { TailMessage } from '../../core/tail/events';

export interface ViewReadResult {
  msgs: TailMessage[];
  /** More may be stored right after the last one. */
  more: boolean;
}

/** One read from `seq` on with extra request fields (`last_by_subj`, `multi_last`, …). */
export type ViewRead = (seq: number, extra?: Record<string, unknown>) => Promise<ViewReadResult>;

/** Parallel last-by-subject gets at a time (each is one small request). */
const GETS_IN_FLIGHT = 32;

/** Subjects the stream holds that match the filters (all when none), as stream info lists them. */
export async function storedSubjects(jsm: JetStreamManager, stream: string, filters: string[]): Promise<{ subjects: string[]; lastSeq: number }> {
  const subjects = new Set<string>();
  let lastSeq = 0;
  for (const f of filters.length ? filters : ['>']) {
    const si = await jsm.streams.info(stream, { subjects_filter: f });
    lastSeq = Math.max(lastSeq, si.state.last_seq);
    for (const s of Object.keys(si.state.subjects ?? {})) subjects.add(s);
  }
  return { subjects: [...subjects], lastSeq };
}

export interface LastPerSubject {
  /** The newest message of each subject, in stream order, none after `upTo`. */
  msgs: TailMessage[];
  /** The view goes on from here. */
  upTo: number;
  /** How they were read, for the mode marker. */
  how: string;
}

/**
 * The newest message of each subject (matching the filters). `direct` says batched direct get
 * works (2.11+ and allow_direct); then one `multi_last` answer, else a get per subject.
 */
export async function lastPerSubject(o: { jsm: JetStreamManager; stream: string; filters: string[]; direct: boolean; lastSeq: number; read: ViewRead }): Promise<LastPerSubject> {
  if (o.direct) {
    const msgs = await multiLast(o.read, o.filters, o.lastSeq);
    if (msgs) return { msgs, upTo: o.lastSeq, how: 'last per subject from one multi_last direct get' };
  }
  const { subjects, lastSeq } = await storedSubjects(o.jsm, o.stream, o.filters);
  const msgs: TailMessage[] = [];
  let i = 0;
  const worker = async () => {
    while (i < subjects.length) {
      const subject = subjects[i++]!;
      const r = await o.read(0, { last_by_subj: subject });
      // a newer message than the snapshot is read again by the view going on from lastSeq
      for (const m of r.msgs) if (m.seq! <= lastSeq) msgs.push(m);
    }
  };
  await Promise.all(Array.from({ length: Math.min(GETS_IN_FLIGHT, subjects.length) }, worker));
  msgs.sort((a, b) => a.seq! - b.seq!);
  return { msgs, upTo: lastSeq, how: `last per subject from the stream's subject list and ${subjects.length} last-by-subject get${subjects.length === 1 ? '' : 's'}` };
}

/** `multi_last` pages up to `upTo`; undefined when the server will not answer it (more than 1,024 subjects). */
async function multiLast(read: ViewRead, filters: string[], upTo: number): Promise<TailMessage[] | undefined> {
  const msgs: TailMessage[] = [];
  let seq = 0;
  for (;;) {
    let r: ViewReadResult;
    try {
      r = await read(seq, { multi_last: filters.length ? filters : ['>'], up_to_seq: upTo });
    } catch (err) {
      if (/^413\b/.test(err instanceof Error ? err.message : String(err))) return undefined;
      throw err;
    }
    msgs.push(...r.msgs);
    if (!r.more || !r.msgs.length) return msgs;
    seq = r.msgs[r.msgs.length - 1]!.seq! + 1;
  }
}

/**
 * The first sequence at or after `firstSeq` whose next stored message (matching the filter
 * `read` applies) was stored at or after `time`; `lastSeq + 1` when none was. A binary search
 * on the sequence, where `read(seq)` answers the next stored message at or after `seq`, stepping
 * over deleted ones (WorkQueue streams are full of them). About log2(messages) message gets.
 *
 * It relies on timestamps growing with the sequence, which is what nats-server gives as long as
 * the wall clock does not step back (read in the 2.9.10 and 2.14.5 sources): a message is stamped
 * with the server's (in a cluster, the stream leader's) `time.Now()` when stored; a stream that
 * sources others stamps each sourced message anew; a mirror keeps its origin's timestamps with its
 * origin's sequences (test/integration/tail-time-order.test.ts checks all three on a real server).
 * They can go backwards only when the clock does (a clock step, or a new leader whose clock is
 * behind; a mirror inherits that from its origin). The server's own start-time lookup
 * (`GetSeqFromTime`, behind `opt_start_time` consumers and `start_time` gets) makes the same
 * assumption: in 2.14 a binary search over the sequence (memory store; file store: over blocks by
 * their last timestamp, then within the block); in 2.9 the memory store searches the same way and
 * the file store takes the first block whose last timestamp reaches the time and scans only that
 * block. So on such a stream this search, like the server's, finds *a* sequence where the
 * timestamps cross `time`, not necessarily the first one stamped at or after it; a linear scan
 * would be "more correct" but would then disagree with what a consumer started at the same time
 * delivers, so we keep the server's definition.
 */
export async function seqAtTime(read: ViewRead, firstSeq: number, lastSeq: number, time: Date): Promise<number> {
  const t = time.getTime();
  let lo = Math.max(1, firstSeq);
  let hi = lastSeq + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const m = (await read(mid)).msgs[0];
    if (!m || Date.parse(m.time) >= t) hi = mid;
    else lo = m.seq! + 1;
  }
  return lo;
}
