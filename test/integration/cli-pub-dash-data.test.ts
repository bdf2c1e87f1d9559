/**
 * DATA that starts with a dash, through the built CLI on a real server. As with natscli
 * (`nats pub subj -- -5`), it goes after `--` and arrives byte for byte, with the flags before
 * `--` still applied; given without `--` (`nats-flow pub subj -5`, which natscli refuses as
 * an unknown flag too) it is bad usage (exit 2) saying how to send it, and nothing is sent.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { startNatsServer, type NatsServer } from '../helpers/natsServer';
import { CliProcess, ensureBuiltCli } from '../helpers/cliProcess';

before(ensureBuiltCli);

async function cli(...args: string[]): Promise<CliProcess> {
  const p = new CliProcess(args);
  await p.exit(30_000);
  return p;
}

/** Messages on `subject` in arrival order, as "DATA" or "DATA X-Tag=V". */
function collect(nc: NatsConnection, subject: string): { got: string[]; sub: Subscription } {
  const got: string[] = [];
  const sub = nc.subscribe(subject, {
    callback: (_e, m: Msg) => {
      got.push(m.headers?.get('X-Tag') ? `${m.string()} X-Tag=${m.headers.get('X-Tag')}` : m.string());
    },
  });
  return { got, sub };
}

/** Waits until `got` has `n` entries: the CLI has exited, so they are on their way or there. */
async function until(got: string[], n: number): Promise<void> {
  const end = Date.now() + 10_000;
  while (got.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}

describe('nats-flow pub and req with DATA that starts with a dash', () => {
  let server: NatsServer;
  let nc: NatsConnection;

  before(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  test('pub SUBJ -- DATA publishes DATA exactly, flags before -- still apply, and -h after -- is data, not help', async () => {
    const { got, sub } = collect(nc, 'dash.pub');
    await nc.flush();
    const a = await cli('pub', '--server', server.url, 'dash.pub', '--', '-5');
    assert.equal(a.code, 0, a.err);
    const b = await cli('pub', '--server', server.url, 'dash.pub', '--count', '2', '-H', 'X-Tag:t', '--', '--count {{Count}}');
    assert.equal(b.code, 0, b.err);
    const c = await cli('pub', '--server', server.url, 'dash.pub', '--', '-h');
    assert.equal(c.code, 0, c.err);
    assert.doesNotMatch(c.out, /Usage:/);
    await until(got, 4);
    sub.unsubscribe();
    assert.deepEqual(got, ['-5', '--count 1 X-Tag=t', '--count 2 X-Tag=t', '-h']);
  });

  test('pub SUBJ -5 exits 2 saying to put it after --, and publishes nothing', async () => {
    const { got, sub } = collect(nc, 'dash.refused');
    await nc.flush();
    for (const [data, shown] of [['-5', '-5'], ['-.5', '-.5'], ['--not-a-flag=1', '--not-a-flag=1'], ["-it's", `'-it'\\''s'`]] as const) {
      const r = await cli('pub', '--server', server.url, 'dash.refused', data);
      assert.equal(r.code, 2, `${data}: ${r.err}`);
      assert.equal(
        r.err,
        `nats-flow pub: "${data}" is not a flag of pub. DATA that starts with a dash goes after "--": nats-flow pub SUBJECT -- ${shown}\nRun "nats-flow pub --help" for usage.\n`,
      );
    }
    // a message published after the refused ones is the first (and only) to arrive
    const ok = await cli('pub', '--server', server.url, 'dash.refused', 'after');
    assert.equal(ok.code, 0, ok.err);
    await until(got, 1);
    await nc.flush();
    sub.unsubscribe();
    assert.deepEqual(got, ['after']);
  });

  test('pub --jetstream SUBJ -- DATA stores DATA exactly in the stream', async () => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'DASH', subjects: ['dash.js'] });
    const r = await cli('pub', '--server', server.url, '--jetstream', 'dash.js', '--', '-1e3');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /stream DASH sequence 1/);
    const m = await jsm.streams.getMessage('DASH', { seq: 1 });
    assert.equal(m?.string(), '-1e3');
    await jsm.streams.delete('DASH');
  });

  test('req SUBJ -- DATA sends DATA exactly; req SUBJ -5 exits 2 saying to put it after --', async () => {
    const asked: string[] = [];
    const responder = nc.subscribe('dash.req', {
      callback: (_e, m) => {
        asked.push(m.string());
        m.respond(`echo: ${m.string()}`);
      },
    });
    await nc.flush();
    const q = await cli('req', '--server', server.url, 'dash.req', '--raw', '--timeout', '5s', '--', '-5');
    assert.equal(q.code, 0, q.err);
    assert.equal(q.out, 'echo: -5\n');
    const bad = await cli('req', '--server', server.url, 'dash.req', '-5');
    assert.equal(bad.code, 2, bad.err);
    assert.match(bad.err, /^nats-flow req: "-5" is not a flag of req\. DATA that starts with a dash goes after "--": nats-flow req SUBJECT -- -5$/m);
    responder.unsubscribe();
    assert.deepEqual(asked, ['-5']);
  });
});
