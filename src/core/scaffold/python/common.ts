/** Files every Python scaffold shares: requirements, mypy config, connection and shutdown. */
import { formatDuration } from '../../decide';
import type { ScaffoldFile, ScaffoldSpec } from '../spec';

export const PY_VERSIONS = { natsPy: '2.16.0', mypy: '2.4.1' } as const;

export function pyProjectFiles(_spec: ScaffoldSpec): ScaffoldFile[] {
  return [
    { path: 'requirements.txt', content: `nats-py==${PY_VERSIONS.natsPy}\n` },
    { path: 'requirements-dev.txt', content: `-r requirements.txt\nmypy==${PY_VERSIONS.mypy}\n` },
    { path: 'mypy.ini', content: '[mypy]\nstrict = True\n# nats-py has untyped corners (KeyWatcher.updates, Msg callbacks)\ndisallow_untyped_calls = False\n' },
    { path: '.gitignore', content: '.venv/\n__pycache__/\n.mypy_cache/\n*.cursor\n' },
    { path: 'natsconn.py', content: NATSCONN_PY },
  ];
}

const NATSCONN_PY = `"""Connection from the environment and graceful shutdown, shared by every program here."""
import asyncio
import io
import os
import signal
import sys

import nats
from nats.aio.client import Client

# line-buffered output, so logs show up at once when piped to a file or a supervisor
if isinstance(sys.stdout, io.TextIOWrapper):
    sys.stdout.reconfigure(line_buffering=True)


async def connect_from_env(name: str) -> Client:
    """Connects the way natscli and the NATS Flow sandbox do: NATS_URL (comma-separated
    servers), plus NATS_CREDS, NATS_TOKEN or NATS_USER + NATS_PASSWORD when set."""
    servers = os.environ.get("NATS_URL", "nats://127.0.0.1:4222").split(",")
    creds = os.environ.get("NATS_CREDS")
    token = os.environ.get("NATS_TOKEN")
    user = os.environ.get("NATS_USER")
    # keep trying through server restarts: JetStream state lives on the server, not here
    if creds:
        return await nats.connect(servers, name=name, max_reconnect_attempts=-1, user_credentials=creds)
    if token:
        return await nats.connect(servers, name=name, max_reconnect_attempts=-1, token=token)
    if user:
        return await nats.connect(servers, name=name, max_reconnect_attempts=-1, user=user, password=os.environ.get("NATS_PASSWORD", ""))
    return await nats.connect(servers, name=name, max_reconnect_attempts=-1)


def stop_on_signal() -> asyncio.Event:
    """An event set on SIGINT/SIGTERM: stop taking new work, finish the message in hand,
    then drain so pending acks and publishes reach the server before exit. Exiting without
    a drain leaves in-flight messages to be redelivered after AckWait."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def on_signal(sig: signal.Signals) -> None:
        print(f"{sig.name}: draining")
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, on_signal, sig)
    return stop


async def drain(nc: Client) -> None:
    await nc.drain()
    print("drained")
`;

/** A Python string literal. */
export const pq = (s: string): string => JSON.stringify(s);

/** Nanoseconds as Python seconds. */
export const secs = (ns: number): string => String(ns / 1e9);

export const pyComment = (ns: number): string => formatDuration(ns);
