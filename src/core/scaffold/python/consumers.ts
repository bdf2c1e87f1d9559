/** Python work-queue worker and fan-out listener. */
import { deadLetterCopierName } from '../../design/plan';
import { advisorySubject, type ScaffoldFile, type ScaffoldSpec } from '../spec';
import { pq, pyComment, pyProjectFiles, secs } from './common';

const RETENTION: Record<string, string> = { workqueue: 'RetentionPolicy.WORK_QUEUE', limits: 'RetentionPolicy.LIMITS', interest: 'RetentionPolicy.INTEREST' };

export function pyTopology(spec: ScaffoldSpec, parts: { consumer: boolean; dlq: boolean }): string {
  const st = spec.stream;
  const c = spec.consumer;
  const out: string[] = [];
  out.push(`"""Stream${parts.consumer ? ', consumer' : ''}${parts.dlq ? ' and DLQ' : ''} settings, and code that creates them when missing.

Settings from ${spec.source}. Edit here; ensure_topology() only creates what is missing and
never changes a live stream or consumer (use NATS Flow or natscli for that).
"""
from typing import List

from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError

STREAM = ${pq(st.name)}
SUBJECT = ${pq(spec.subject)}
`);
  if (parts.consumer) {
    out.push(`DURABLE = ${pq(c.durable_name)}
FILTER = ${pq(c.filter_subject)}
# AckWait is how long the server waits for an ack before redelivering, per delivery. It is a
# deadline, not a processing budget: long work sends in-progress acks (see delivery.py).
ACK_WAIT = ${secs(c.ack_wait)}  # seconds, ${pyComment(c.ack_wait)}
# bounded redelivery (seed 001): after MAX_DELIVER attempts the server gives up and publishes
# a MAX_DELIVERIES advisory, which the dead-letter plan picks up
MAX_DELIVER = ${c.max_deliver}
# wait before each redelivery; a bare nak() would burn all attempts within milliseconds
BACKOFF: List[float] = [${c.backoff.map(secs).join(', ')}]  # seconds
MAX_ACK_PENDING = ${c.max_ack_pending}
DELIVER_POLICY = DeliverPolicy.${c.deliver_policy === 'new' ? 'NEW' : 'ALL'}
`);
  }
  if (parts.dlq) {
    out.push(`DLQ_STREAM = ${pq(spec.dlq.stream)}
# the server publishes this when a message used up MAX_DELIVER; JetStream has no native DLQ
DLQ_ADVISORY = ${pq(advisorySubject(spec))}
# copies of dead messages land here, with headers naming where they came from
DLQ_SUBJECT = ${pq(spec.dlq.subject)}
DLQ_COPIER = ${pq(deadLetterCopierName(c.durable_name))}
# the copier's own limit, not the worker's: each worker copies one advisory at a time, so this
# many workers can copy at once
DLQ_COPIER_MAX_ACK_PENDING = 10
`);
  }
  out.push(`
async def ensure_stream(js: JetStreamContext, name: str, subjects: List[str], retention: RetentionPolicy, max_age: float) -> None:
    try:
        await js.stream_info(name)
        return
    except NotFoundError:
        pass
    await js.add_stream(StreamConfig(
        name=name,
        subjects=subjects,
        retention=retention,
        # file storage survives a server restart (seed 001); R3 in production, R1 for development
        storage=StorageType.FILE,
        num_replicas=${st.replicas},
        discard=DiscardPolicy.OLD,
        # publishers set Nats-Msg-Id; retries inside this window are dropped as duplicates
        duplicate_window=${secs(st.duplicate_window)},
        max_age=max_age,
    ))
    print(f"created stream {name}")
`);
  if (parts.consumer) {
    out.push(`
async def ensure_consumer(js: JetStreamContext, stream: str, durable: str, filter_subject: str, deliver: DeliverPolicy, backoff: List[float], max_deliver: int, max_ack_pending: int) -> None:
    try:
        await js.consumer_info(stream, durable)
        return
    except NotFoundError:
        pass
    await js.add_consumer(stream, ConsumerConfig(
        durable_name=durable,
        filter_subject=filter_subject,
        deliver_policy=deliver,
        # explicit acks: a message counts as done only when the handler says so (seed 001)
        ack_policy=AckPolicy.EXPLICIT,
        # with a backoff list the server takes backoff[0] as the first ack wait, so keep them equal
        ack_wait=backoff[0] if backoff else ACK_WAIT,
        max_deliver=max_deliver,
        backoff=backoff if backoff and len(backoff) < max_deliver else None,
        max_ack_pending=max_ack_pending,
    ))
    print(f"created consumer {stream}/{durable}")


async def ensure_topology(js: JetStreamContext, durable: str = DURABLE) -> None:
    await ensure_stream(js, STREAM, ${JSON.stringify(st.subjects)}, ${RETENTION[st.retention]}, ${secs(st.max_age)})${parts.dlq ? `
    # one stream holds both the advisories (durable, so none is lost while no worker runs) and the copies
    await ensure_stream(js, DLQ_STREAM, [DLQ_ADVISORY, DLQ_SUBJECT], RetentionPolicy.LIMITS, 14 * 24 * 3600.0)
    await ensure_consumer(js, DLQ_STREAM, DLQ_COPIER, DLQ_ADVISORY, DeliverPolicy.ALL, [5.0], 10, DLQ_COPIER_MAX_ACK_PENDING)` : ''}
    await ensure_consumer(js, STREAM, durable, FILTER, DELIVER_POLICY, BACKOFF, MAX_DELIVER, MAX_ACK_PENDING)
`);
  } else {
    out.push(`
async def ensure_topology(js: JetStreamContext) -> None:
    await ensure_stream(js, STREAM, ${JSON.stringify(st.subjects)}, ${RETENTION[st.retention]}, ${secs(st.max_age)})
`);
  }
  return out.join('');
}

const DELIVERY_PY = `"""Delivery handling shared by the consumers: in-progress acks, ack, term, nak with backoff."""
import asyncio
from dataclasses import dataclass, field
from typing import Awaitable, Callable, Dict, List, Optional

from nats.aio.msg import Msg

from topology import ACK_WAIT, BACKOFF, MAX_DELIVER


@dataclass
class Delivery:
    """What a handler sees: the message without the ack machinery."""
    subject: str
    data: bytes
    # a stable id for idempotent handling: a redelivery has the same one
    stream_seq: int
    # 1 on first delivery, 2 on the first redelivery, … up to MAX_DELIVER
    delivery: int
    headers: Dict[str, str] = field(default_factory=dict)


class PoisonMessage(Exception):
    """Raise from a handler for a message that can never succeed: it is terminated, not retried."""


def ack_wait_for(delivery: int) -> float:
    """The ack wait the server applies to this delivery: BACKOFF[n-1] when a backoff list is set."""
    return BACKOFF[min(delivery, len(BACKOFF)) - 1] if BACKOFF else ACK_WAIT


async def keep_alive(waiting: List[Msg]) -> None:
    """In-progress acks, every half of the shortest AckWait, for the messages of a batch that
    wait their turn: AckWait runs from delivery, so behind a slow handler they would be
    redelivered (wasted work, a delivery counted toward MAX_DELIVER) without ever being handled.
    Runs until cancelled."""
    every = max(0.1, min([ACK_WAIT, *BACKOFF]) / 2)
    while True:
        await asyncio.sleep(every)
        for m in list(waiting):
            # settled meanwhile: an in-progress ack would cancel its nak delay
            if m in waiting:
                await m.in_progress()


async def settle(msg: Msg, handle: Callable[[Delivery], Awaitable[None]], on_poison: Optional[Callable[[Msg, str], Awaitable[None]]] = None) -> str:
    """Runs the handler for one message and settles it: ack on success, term for poison, nak
    with a delay otherwise. While the handler runs, in-progress acks keep the message ours."""
    md = msg.metadata
    d = Delivery(msg.subject, msg.data, md.sequence.stream, md.num_delivered, dict(msg.headers or {}))

    # AckWait counts from delivery, whatever the handler is doing (a disconnect does not pause
    # it either): without these the server redelivers long work to another worker mid-flight
    async def heartbeat() -> None:
        while True:
            await asyncio.sleep(max(0.1, ack_wait_for(d.delivery) / 2))
            await msg.in_progress()

    beat = asyncio.create_task(heartbeat())
    try:
        await handle(d)
    except PoisonMessage as err:
        beat.cancel()
        if on_poison:
            await on_poison(msg, str(err))
        # term: never redeliver; retrying cannot fix a message the handler calls poison
        await msg.term()
        print(f"terminated seq={d.stream_seq}: {err}")
        return "terminated"
    except Exception as err:
        beat.cancel()
        if d.delivery >= MAX_DELIVER:
            # the last attempt: the server now publishes the MAX_DELIVERIES advisory
            await msg.nak()
            print(f"gave up seq={d.stream_seq} after {d.delivery} deliveries: {err}")
            return "gave-up"
        # nak with a delay: a bare nak() redelivers at once and burns every attempt in milliseconds
        delay = ack_wait_for(d.delivery)
        await msg.nak(delay=delay)
        print(f"retry seq={d.stream_seq} delivery={d.delivery} in {delay}s: {err}")
        return "retry"
    beat.cancel()
    # ack_sync waits for the server to confirm: a lost ack would mean a redelivery of done work
    await msg.ack_sync()
    return "acked"
`;

const DLQ_PY = `"""The dead-letter plan: copies of dead messages in the DLQ stream."""
import asyncio
import json

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError

from topology import DLQ_COPIER, DLQ_STREAM, DLQ_SUBJECT, STREAM


async def copy(js: JetStreamContext, seq: int, subject: str, data: bytes, reason: str) -> None:
    """Publishes a copy of a dead message to the DLQ subject. Nats-Msg-Id makes a second copy a no-op."""
    await js.publish(DLQ_SUBJECT, data, headers={
        "Nats-Msg-Id": f"{STREAM}-{seq}",
        "Dlq-Stream": STREAM,
        "Dlq-Stream-Seq": str(seq),
        "Dlq-Subject": subject,
        "Dlq-Reason": reason,
    })
    print(f"dead-lettered seq={seq}: {reason}")


async def copy_poison(js: JetStreamContext, msg: Msg, reason: str) -> None:
    """For poison messages: copy before term (on a work queue a terminated message is gone)."""
    await copy(js, msg.metadata.sequence.stream, msg.subject, msg.data, f"terminated: {reason}")


async def run_dlq_copier(nc: Client, delete_original: bool, stop: asyncio.Event) -> None:
    """The DLQ stream captures MAX_DELIVERIES advisories; this reads them, fetches the original
    by sequence and copies it to the DLQ subject. Every worker runs one on the same durable
    consumer, so each advisory is handled once, also after a restart."""
    js = nc.jetstream()
    sub = await js.pull_subscribe_bind(durable=DLQ_COPIER, stream=DLQ_STREAM)
    while not stop.is_set():
        try:
            # one advisory at a time: a buffered one's AckWait would run while the one before is copied
            msgs = await sub.fetch(1, timeout=1)
        # nats-py raises its own TimeoutError or asyncio's, depending on where the wait ended
        except (NatsTimeoutError, asyncio.TimeoutError):
            continue
        for m in msgs:
            adv = json.loads(m.data)
            seq = int(adv["stream_seq"])
            try:
                try:
                    original = await js.get_msg(STREAM, seq)
                except NotFoundError:
                    print(f"dead letter seq={seq} is no longer in {STREAM}")
                    await m.ack()
                    continue
                await copy(js, seq, original.subject or "", original.data or b"", f"max deliveries ({adv.get('deliveries')})")
                # a work queue keeps an unacked message forever: remove it once it is safe in the DLQ
                if delete_original:
                    try:
                        await js.delete_msg(STREAM, seq)
                    except NotFoundError:
                        pass
                await m.ack_sync()
            except Exception as err:  # a timeout or a disconnect: retry later, never lose the dead letter
                print(f"dlq copier: {err!r}")
                await m.nak(delay=5)
    await sub.unsubscribe()
`;

function workerMain(spec: ScaffoldSpec): string {
  return `"""Work-queue worker: a durable pull consumer shared by every instance; each message goes to
exactly one of them. Scale by starting more processes."""
import asyncio

from nats.errors import TimeoutError as NatsTimeoutError

from delivery import settle
from dlq import copy_poison, run_dlq_copier
from handler import handle
from natsconn import connect_from_env, drain, stop_on_signal
from topology import DURABLE, STREAM, ensure_topology


async def main() -> None:
    stop = stop_on_signal()
    nc = await connect_from_env(${pq(spec.project)})
    js = nc.jetstream()
    await ensure_topology(js)
    # pull: the worker asks for messages at its own pace (backpressure, seed 001)
    sub = await js.pull_subscribe_bind(durable=DURABLE, stream=STREAM)
    copier = asyncio.create_task(run_dlq_copier(nc, ${spec.stream.retention === 'workqueue' ? 'True' : 'False'}, stop))
    print(f"worker ready: {STREAM}/{DURABLE}")
    while not stop.is_set():
        try:
            # one at a time: a prefetched message's AckWait runs while it waits behind slow work
            msgs = await sub.fetch(1, timeout=1)
        # nats-py raises its own TimeoutError or asyncio's, depending on where the wait ended
        except (NatsTimeoutError, asyncio.TimeoutError):
            continue
        for m in msgs:
            await settle(m, handle, lambda msg, reason: copy_poison(js, msg, reason))
    # the loop ends after the message in hand is settled
    await copier
    await sub.unsubscribe()
    await drain(nc)


if __name__ == "__main__":
    asyncio.run(main())
`;
}

const WORKER_HANDLER_PY = `"""Your work. The other files are the NATS wiring."""
from delivery import Delivery, PoisonMessage


async def handle(d: Delivery) -> None:
    """One message at a time. Return to ack. Raise PoisonMessage for a message that can never
    succeed (it goes to the DLQ at once); any other exception is retried with backoff and
    dead-lettered after MAX_DELIVER attempts.
    Make it idempotent: a message can arrive twice (a crash after the work, before the ack);
    d.stream_seq or a business id in the payload tells you that you did it already."""
    if not d.data:
        raise PoisonMessage("empty payload")
    print(f"handled {d.subject} seq={d.stream_seq}: {d.data.decode()}")
`;

function listenerMain(spec: ScaffoldSpec): string {
  return `"""Fan-out listener: one durable consumer PER SERVICE, so every service sees every message and
resumes where it left off after a restart. Instances of one service share its consumer."""
import asyncio
import os
from collections import OrderedDict
from typing import List

from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from delivery import Delivery, keep_alive, settle
from handler import handle
from natsconn import connect_from_env, drain, stop_on_signal
from topology import DURABLE, FILTER, STREAM, ensure_topology

# Messages taken per pull: fewer round trips for fast handlers. The ones waiting their turn get
# in-progress acks (keep_alive), so a handler slower than ACK_WAIT / PREFETCH causes no
# redelivery; a smaller batch leaves more to the service's other instances.
PREFETCH = 10


async def main() -> None:
    stop = stop_on_signal()
    service = os.environ.get("SERVICE_NAME", DURABLE)
    nc = await connect_from_env(${pq(spec.project)} + "-" + service)
    js = nc.jetstream()
    replay_from = int(os.environ.get("REPLAY_FROM", "0") or 0)
    if replay_from > 0:
        await replay(js, service, replay_from, stop)
        await drain(nc)
        return
    await ensure_topology(js, service)
    sub = await js.pull_subscribe_bind(durable=service, stream=STREAM)

    # Idempotent handling: a redelivery (an ack lost in a disconnect) carries the same stream
    # sequence; remember recent ones and ack repeats without running the handler twice.
    # The handler should still be idempotent across restarts (this memory is per process).
    seen: "OrderedDict[int, None]" = OrderedDict()

    async def once(d: Delivery) -> None:
        if d.stream_seq in seen:
            print(f"duplicate seq={d.stream_seq} skipped")
            return
        await handle(d, service)
        seen[d.stream_seq] = None
        if len(seen) > 10_000:
            seen.popitem(last=False)

    print(f"listener ready: {STREAM}/{service}")
    while not stop.is_set():
        try:
            waiting = await take_batch(sub)
        # nats-py raises its own TimeoutError or asyncio's, depending on where the wait ended
        except (NatsTimeoutError, asyncio.TimeoutError):
            continue
        keeper = asyncio.create_task(keep_alive(waiting))
        # the loop ends after the message in hand is settled
        while waiting and not stop.is_set():
            await settle(waiting.pop(0), once)
        keeper.cancel()
        # stopped mid-batch: hand the rest back now, not after AckWait
        for m in waiting:
            await m.nak()
    await sub.unsubscribe()
    await drain(nc)


async def take_batch(sub: JetStreamContext.PullSubscription) -> List[Msg]:
    """Waits up to 1 s for one message, then takes only what is already waiting (up to
    PREFETCH): a batch for a backlog, no added latency for a quiet stream."""
    msgs = await sub.fetch(1, timeout=1)
    # num_pending: how many more the consumer holds for this service right now
    more = min(PREFETCH - 1, msgs[0].metadata.num_pending or 0)
    if more > 0:
        try:
            msgs += await sub.fetch(more, timeout=1)
        except (NatsTimeoutError, asyncio.TimeoutError):
            pass
    return msgs


async def replay(js: JetStreamContext, service: str, start: int, stop: asyncio.Event) -> None:
    """REPLAY_FROM=<stream sequence>: read from anywhere with an ordered consumer instead. It is
    ephemeral and unacknowledged (nothing to clean up, the service's durable is untouched), so
    use it to rebuild state or backfill, not for work that must be acknowledged."""
    async def on_msg(msg: Msg) -> None:
        md = msg.metadata
        d = Delivery(msg.subject, msg.data, md.sequence.stream, md.num_delivered, dict(msg.headers or {}))
        try:
            await handle(d, service + " (replay)")
        except Exception as err:
            # no ack, no redelivery: a failure is logged and replay goes on
            print(f"replay seq={d.stream_seq} failed: {err}")

    sub = await js.subscribe(FILTER, stream=STREAM, cb=on_msg, ordered_consumer=True,
                             config=ConsumerConfig(deliver_policy=DeliverPolicy.BY_START_SEQUENCE, opt_start_seq=start))
    print(f"replaying {STREAM} from seq {start}")
    await stop.wait()
    # the server would drop it after its inactivity threshold; leave nothing behind now
    name = (await sub.consumer_info()).name
    await sub.unsubscribe()
    try:
        await js.delete_consumer(STREAM, name)
    except NotFoundError:
        pass


if __name__ == "__main__":
    asyncio.run(main())
`;
}

const LISTENER_HANDLER_PY = `"""Your reaction to each event. The other files are the NATS wiring."""
from delivery import Delivery


async def handle(d: Delivery, service: str) -> None:
    """Return to ack; raise to retry with backoff (PoisonMessage from delivery.py to give up at
    once). Keep it fast and idempotent: every service gets its own copy and a message may come
    again after a lost ack."""
    print(f"{service} got {d.subject} seq={d.stream_seq}: {d.data.decode()}")
`;

export function pyConsumer(spec: ScaffoldSpec, worker: boolean): ScaffoldFile[] {
  const files: ScaffoldFile[] = [
    ...pyProjectFiles(spec),
    { path: 'topology.py', content: pyTopology(spec, { consumer: true, dlq: worker }) },
    { path: 'delivery.py', content: DELIVERY_PY },
    { path: 'main.py', content: worker ? workerMain(spec) : listenerMain(spec) },
    { path: 'handler.py', content: worker ? WORKER_HANDLER_PY : LISTENER_HANDLER_PY },
  ];
  if (worker) files.push({ path: 'dlq.py', content: DLQ_PY });
  return files;
}
