/** Python KV watcher, idempotent publisher and request/reply. */
import type { ScaffoldFile, ScaffoldSpec } from '../spec';
import { pq, pyComment, pyProjectFiles, secs } from './common';
import { pyTopology } from './consumers';
import { endOfBootstrapCheck, indentLines, liveFlagDeclaration } from '../bootstrap';

function kvWatcherPy(spec: ScaffoldSpec): string {
  const b = spec.bucket;
  return `"""KV watcher wiring: bootstrap vs live (seed 000), transitions and a cursor (seed 004), CAS updates."""
import asyncio
import os
import sys
from dataclasses import dataclass
from typing import Callable, Dict, Optional, Protocol

from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from nats.js.api import KeyValueConfig, StorageType
from nats.js.errors import BucketNotFoundError, KeyNotFoundError, KeyWrongLastSequenceError, NotFoundError
from nats.js.kv import KV_DEL, KV_PURGE, KeyValue

# Settings from ${spec.source}.
BUCKET = ${pq(b.bucket)}
KEYS = ${pq(spec.keyPattern)}
# the watcher's cursor (seed 004: "your subscriber owns the cursor"): the last revision handled
CURSOR_FILE = os.environ.get("KV_CURSOR_FILE", f".{BUCKET}.cursor")


@dataclass
class KvValue:
    """One key's state: a value with its revision."""
    value: bytes
    revision: int


@dataclass
class KvTransition:
    """What the key was -> what it is, with both revisions (seed 004)."""
    key: str
    op: str
    # None when the key was deleted
    current: Optional[KvValue]
    # None for a new key, or for a change made while this watcher was down
    previous: Optional[KvValue]
    revision: int
    # True for changes made after our cursor but before this start (caught up in bootstrap)
    while_down: bool


class KvHandlers(Protocol):
    async def initial(self, key: str, value: KvValue) -> None:
        """Bootstrap: a value that existed when the watcher started. Rebuild state; it is not news."""
    async def ready(self, keys: int) -> None:
        """Bootstrap done (also for an empty bucket): from here on everything is live."""
    async def change(self, t: KvTransition) -> None: ...


async def open_bucket(js: JetStreamContext) -> KeyValue:
    """Opens the bucket, creating it when missing."""
    try:
        return await js.key_value(BUCKET)
    except BucketNotFoundError:
        # history keeps the KV "twofer" audit trail (seed 000); file storage survives restarts
        return await js.create_key_value(KeyValueConfig(
            bucket=BUCKET, history=${b.history}, ttl=${b.ttl ? secs(b.ttl) : 'None'},  # ${b.ttl ? pyComment(b.ttl) : 'values never expire'}
            storage=StorageType.FILE, replicas=${b.replicas}))


async def watch(kv: KeyValue, on: KvHandlers, stop: asyncio.Event) -> None:
    """A KV watch first replays every current value, then sends None (also at once for an
    empty bucket), then live updates. Values up to the cursor are state, not news; newer
    ones were changed while we were down."""
    # no cursor yet (first start): everything in the bucket is existing state
    cursor = sys.maxsize
    if os.path.exists(CURSOR_FILE):
        with open(CURSOR_FILE) as f:
            cursor = int(f.read().strip() or 0)
    watcher = await kv.watch(KEYS)
    state: Dict[str, KvValue] = {}
    ${liveFlagDeclaration('python')}
    last = 0
    while not stop.is_set():
        try:
            e = await watcher.updates(timeout=1)
        except (NatsTimeoutError, asyncio.TimeoutError):  # nothing changed: look at stop again
            continue
${indentLines(endOfBootstrapCheck('python', 'e', ['await on.ready(len(state))']), '        ')}
        op = e.operation or "PUT"
        current = KvValue(e.value or b"", e.revision or 0) if op not in (KV_DEL, KV_PURGE) else None
        previous = state.get(e.key)
        if current:
            state[e.key] = current
        else:
            state.pop(e.key, None)
        rev = e.revision or 0
        if not live and rev <= cursor:
            # seen before this restart: state, not news
            if current:
                await on.initial(e.key, current)
        else:
            while_down = not live
            # a delete we never saw the value of is noise during bootstrap
            if not (while_down and current is None and previous is None):
                await on.change(KvTransition(e.key, op, current, None if while_down else previous, rev, while_down))
        if rev > last:
            last = rev
            with open(CURSOR_FILE, "w") as f:
                f.write(str(last))
    await watcher.stop()


async def update_with_retry(kv: KeyValue, key: str, change: Callable[[Optional[bytes]], bytes], attempts: int = 20) -> int:
    """Compare-and-set: read, compute the new value, write only if nobody wrote in between (the
    expected revision), else read again and retry. create() refuses an existing key and
    update() a moved revision with the same "wrong last sequence" error."""
    for attempt in range(1, attempts + 1):
        try:
            entry = await kv.get(key)
        except (KeyNotFoundError, NotFoundError):
            entry = None
        try:
            if entry is not None and entry.revision is not None:
                return await kv.update(key, change(entry.value), last=entry.revision)
            return await kv.create(key, change(None))
        except KeyWrongLastSequenceError:
            if attempt >= attempts:
                raise
    raise RuntimeError("unreachable")
`;
}

function kvMainPy(spec: ScaffoldSpec): string {
  return `"""\`main.py\` watches the bucket; \`main.py incr KEY\` bumps a counter with compare-and-set."""
import asyncio
import sys

from handler import Handlers
from kv_watcher import BUCKET, KEYS, open_bucket, update_with_retry, watch
from natsconn import connect_from_env, drain, stop_on_signal


async def main() -> None:
    stop = stop_on_signal()
    nc = await connect_from_env(${pq(spec.project)})
    kv = await open_bucket(nc.jetstream())
    if len(sys.argv) == 3 and sys.argv[1] == "incr":
        key = sys.argv[2]
        rev = await update_with_retry(kv, key, lambda cur: str(int(cur or b"0") + 1).encode())
        print(f"updated {key} revision={rev}")
    else:
        print(f"watching {BUCKET} {KEYS}")
        await watch(kv, Handlers(), stop)
    await drain(nc)


if __name__ == "__main__":
    asyncio.run(main())
`;
}

const KV_HANDLER_PY = `"""Your reactions. Keep them fast and idempotent: every watcher sees every change."""
from kv_watcher import KvTransition, KvValue


class Handlers:
    async def initial(self, key: str, value: KvValue) -> None:
        print(f"initial {key}={value.value.decode()} rev={value.revision}")

    async def ready(self, keys: int) -> None:
        print(f"live after bootstrap of {keys} keys")

    async def change(self, t: KvTransition) -> None:
        before = f"{t.previous.value.decode()}@{t.previous.revision}" if t.previous else "(none)"
        after = f"{t.current.value.decode()}@{t.current.revision}" if t.current else f"({t.op.lower()})"
        print(f"change {t.key} {before} -> {after}" + (" while down" if t.while_down else ""))
`;

const PUBLISHER_PY = `"""Idempotent publishing: Nats-Msg-Id, await the ack, retry with the same id."""
import asyncio
from dataclasses import dataclass

from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext


@dataclass
class Published:
    seq: int
    # the stream already had this Nats-Msg-Id within its duplicate window: nothing was stored
    duplicate: bool


async def publish_once(js: JetStreamContext, subject: str, data: bytes, msg_id: str, attempts: int = 5) -> Published:
    """Publishes with a Nats-Msg-Id and waits for the stream's ack. Retrying with the SAME id is
    safe: if the first attempt did land, the stream drops the retry and says duplicate. The id
    must come from the business event, never be random per attempt. Dedupe only lasts the
    stream's duplicate_window."""
    for attempt in range(1, attempts + 1):
        try:
            ack = await js.publish(subject, data, timeout=2, headers={"Nats-Msg-Id": msg_id})
            return Published(ack.seq, bool(ack.duplicate))
        except (NatsTimeoutError, asyncio.TimeoutError, NoRespondersError):
            # a timeout or a lost connection: it may or may not have landed, retry the same id
            # (no responders: JetStream restarting, or no stream for the subject; the last
            # attempt raises it; API errors such as limits are not retried at all)
            if attempt >= attempts:
                raise
            await asyncio.sleep(0.25 * 2 ** attempt)
    raise RuntimeError("unreachable")
`;

function publisherMain(spec: ScaffoldSpec): string {
  return `"""\`main.py ID [DATA]\` publishes one event whose Nats-Msg-Id is ID."""
import asyncio
import sys

from handler import build_event
from natsconn import connect_from_env, drain
from publisher import publish_once
from topology import SUBJECT, ensure_topology


async def main() -> None:
    if len(sys.argv) < 2:
        print("usage: main.py ID [DATA]", file=sys.stderr)
        sys.exit(2)
    nc = await connect_from_env(${pq(spec.project)})
    js = nc.jetstream()
    await ensure_topology(js)
    subject, data, msg_id = build_event(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "")
    r = await publish_once(js, subject or SUBJECT, data, msg_id)
    print(f"duplicate of seq={r.seq} (id {msg_id})" if r.duplicate else f"published seq={r.seq} (id {msg_id})")
    await drain(nc)


if __name__ == "__main__":
    asyncio.run(main())
`;
}

const PUBLISHER_HANDLER_PY = `"""Your event: the payload, and a Nats-Msg-Id derived from what makes it unique."""
from typing import Optional, Tuple


def build_event(event_id: str, payload: str) -> Tuple[Optional[str], bytes, str]:
    """Returns (subject or None for the default, data, Nats-Msg-Id)."""
    return None, payload.encode(), event_id
`;

function responderPy(spec: ScaffoldSpec): string {
  return `"""Answers requests on SUBJECT in a queue group."""
import asyncio

from nats.aio.msg import Msg

from handler import respond
from natsconn import connect_from_env, drain, stop_on_signal

SUBJECT = ${pq(spec.subject)}
# a queue group: run several responders and each request goes to one of them
QUEUE = ${pq(spec.queue)}


async def main() -> None:
    stop = stop_on_signal()
    nc = await connect_from_env(${pq(spec.project + '-responder')})

    async def on_request(msg: Msg) -> None:
        try:
            await msg.respond(await respond(msg.data, msg.subject))
        except Exception as err:
            # answer with an error instead of silence, so the requester does not wait for its timeout
            await nc.publish(msg.reply, b"", headers={"Nats-Service-Error": str(err), "Nats-Service-Error-Code": "500"})

    await nc.subscribe(SUBJECT, queue=QUEUE, cb=on_request)
    print(f"responding on {SUBJECT} (queue {QUEUE})")
    await stop.wait()
    # drain (not close): requests already received still get their replies
    await drain(nc)


if __name__ == "__main__":
    asyncio.run(main())
`;
}

function requesterPy(spec: ScaffoldSpec): string {
  return `"""Sends one request and prints the reply."""
import asyncio
import sys

from nats.errors import NoRespondersError
from nats.errors import TimeoutError as NatsTimeoutError

from natsconn import connect_from_env, drain

SUBJECT = ${pq(spec.subject)}


async def main() -> int:
    nc = await connect_from_env(${pq(spec.project + '-requester')})
    code = 0
    try:
        # core request/reply: no responder gives an immediate "no responders" error, a slow one a timeout
        reply = await nc.request(SUBJECT, (sys.argv[1] if len(sys.argv) > 1 else "").encode(), timeout=5)
        error = (reply.headers or {}).get("Nats-Service-Error")
        if error:
            print(f"error reply: {error}")
            code = 1
        else:
            print(f"reply: {reply.data.decode()}")
    except (NoRespondersError, NatsTimeoutError, asyncio.TimeoutError) as err:
        print(f"request failed: {err!r}")
        code = 1
    await drain(nc)
    return code


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
`;
}

const RESPONDER_HANDLER_PY = `"""Your answer to one request. Raise to send an error reply (Nats-Service-Error header)."""


async def respond(data: bytes, subject: str) -> bytes:
    return f"ok: {data.decode()} ({subject})".encode()
`;

export function pyKvWatcher(spec: ScaffoldSpec): ScaffoldFile[] {
  return [
    ...pyProjectFiles(spec),
    { path: 'kv_watcher.py', content: kvWatcherPy(spec) },
    { path: 'main.py', content: kvMainPy(spec) },
    { path: 'handler.py', content: KV_HANDLER_PY },
  ];
}

export function pyPublisher(spec: ScaffoldSpec): ScaffoldFile[] {
  return [
    ...pyProjectFiles(spec),
    { path: 'topology.py', content: pyTopology(spec, { consumer: false, dlq: false }) },
    { path: 'publisher.py', content: PUBLISHER_PY },
    { path: 'main.py', content: publisherMain(spec) },
    { path: 'handler.py', content: PUBLISHER_HANDLER_PY },
  ];
}

export function pyResponder(spec: ScaffoldSpec): ScaffoldFile[] {
  return [
    ...pyProjectFiles(spec),
    { path: 'responder.py', content: responderPy(spec) },
    { path: 'requester.py', content: requesterPy(spec) },
    { path: 'handler.py', content: RESPONDER_HANDLER_PY },
  ];
}
