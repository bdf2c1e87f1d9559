/**
 * What a `nats-flow` user sees, and the exit code, when the server is not there: unreachable
 * at start, refusing the credentials, or going away mid-command. Every connected command exits
 * 1 with one line naming the server (and the user), never a stack trace, a hang or exit 0.
 * One-shot commands (ls, pub, req) do not reconnect; `tail` reconnects for as long as it runs
 * and resumes when the server is back on the same port and store, and stops with exit 1 only
 * when the returning server refuses its credentials. The built CLI runs as a real process.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { freePort, makeTempDir, removeTempDir, startNatsServer, type NatsServer } from '../helpers/natsServer';
import { consumerNames } from '../helpers/tailProbe';
import { cli as cliInProcess } from '../helpers/cliInProcess';
import { CliProcess, ensureBuiltCli } from '../helpers/cliProcess';

const root = join(__dirname, '..', '..');

/** No stack traces, no raw JS errors, no "undefined": a sentence for a person. */
function assertHuman(err: string, context: string): void {
  assert.doesNotMatch(err, /TypeError|ReferenceError|is not a function|undefined|\[object Object\]|^\s+at /m, `${context}: ${err}`);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

before(ensureBuiltCli);

describe('nats-flow connected commands when the server is unreachable or refuses the credentials at start', () => {
  let auth: NatsServer;
  let dir: string;
  let downUrl: string;
  /** Every command that connects, with what it needs besides the connection flags. */
  let commands: string[][];

  before(async () => {
    auth = await startNatsServer({ serverName: 'loss-auth', user: 'ada', password: 'pw-right' });
    downUrl = `nats://127.0.0.1:${await freePort()}`;
    dir = makeTempDir('nf-cli-loss-');
    writeFileSync(join(dir, 'app.ts'), "import { connect } from '@nats-io/transport-node';\nconst nc = await connect();\nnc.publish('orders.created', 'x');\n");
    commands = [
      ['tail', '--stream', 'S'],
      ['tail', '--subject', 'x.>'],
      ['tail', '--kv', 'cfg'],
      ['tail', '--advisories'],
      ['pub', 'x.1', 'hi'],
      ['pub', 'x.1', 'hi', '--jetstream'],
      ['req', 'x.1', 'hi'],
      ['ls', 'streams'],
      ['ls', 'keys', 'cfg'],
      ['check', dir],
      ['import', '--out', join(dir, 'imported.natsflow.json')],
      ['apply', join(root, 'examples', 'overmind.natsflow.json'), '--dry-run'],
      ['scaffold', 'worker', '--lang', 'ts', '--out', join(dir, 'scaffold'), '--live', '--stream', 'S', '--consumer', 'C'],
    ];
  });
  after(async () => {
    await auth?.stop();
    removeTempDir(dir);
  });

  test('a refused port: every connected command exits 1 naming the URL, at once', async () => {
    for (const args of commands) {
      const t0 = Date.now();
      const r = await cliInProcess([...args, '--server', downUrl]);
      const label = args.join(' ');
      assert.equal(r.code, 1, `${label}: ${r.err}`);
      assert.match(r.err, new RegExp(`^nats-flow ${args[0]}: Connection "command line": cannot reach ${escape(downUrl)} \\(connection refused\\)\\.`, 'm'), label);
      assert.match(r.err, /hint: Check that nats-server is running/, label);
      assertHuman(r.err, label);
      assert.ok(Date.now() - t0 < 5000, `${label} took ${Date.now() - t0} ms to give up`);
    }
  });

  test('a wrong password: every connected command exits 1 naming the server and the user, never the password', async () => {
    for (const args of commands) {
      const label = args.join(' ');
      const r = await cliInProcess([...args, '--server', auth.url, '--user', 'ada', '--password', 'pw-wrong']);
      assert.equal(r.code, 1, `${label}: ${r.err}`);
      assert.match(r.err, new RegExp(`the server at ${escape(auth.url)} rejected the user/password of user "ada" \\(authorization violation\\)`), `${label}: ${r.err}`);
      assert.doesNotMatch(r.err, /pw-wrong/, label);
      assertHuman(r.err, label);
    }
  });

  test('no credentials, or credentials in the URL: the message says which', async () => {
    const none = await cliInProcess(['ls', 'streams', '--server', auth.url]);
    assert.equal(none.code, 1);
    assert.match(none.err, new RegExp(`the server at ${escape(auth.url)} requires authentication and none is configured`));
    const inUrl = await cliInProcess(['tail', '--subject', 'x', '--server', auth.url.replace('nats://', 'nats://ada:pw-wrong@')]);
    assert.equal(inUrl.code, 1);
    // before: "requires authentication and none is configured", though the URL carried a user
    assert.match(inUrl.err, /rejected the user\/password of user "ada" in the server URL \(authorization violation\)/);
    assert.match(inUrl.err, /nats:\/\/ada:\*\*\*@127\.0\.0\.1/);
    assert.doesNotMatch(inUrl.err, /pw-wrong/);
  });
});

describe('nats-flow one-shot commands whose server goes away mid-command', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  const running: CliProcess[] = [];

  before(async () => {
    server = await startNatsServer({ serverName: 'loss-oneshot' });
    nc = await connect({ servers: server.url, maxReconnectAttempts: 0, reconnect: false });
    await (await jetstreamManager(nc)).streams.add({ name: 'ONESHOT', subjects: ['oneshot.>'] });
  });
  after(async () => {
    for (const p of running) p.kill();
    await nc?.close().catch(() => undefined);
    await server?.stop();
  });

  test('ls, pub (core and JetStream) and req exit 1 naming the server, none hangs or exits 0', { timeout: 120_000 }, async () => {
    // each one provably mid-command when the server goes: we see its traffic arrive
    const seen = { pub: false, pubJs: false, req: false, ls: false };
    nc.subscribe('oneshot.core', { max: 1, callback: () => void (seen.pub = true) });
    nc.subscribe('oneshot.js', { max: 1, callback: () => void (seen.pubJs = true) });
    nc.subscribe('silent.request', { callback: () => void (seen.req = true) }); // a responder that never answers
    nc.subscribe('$JS.stuck.API.>', { callback: () => void (seen.ls = true) }); // a JetStream API that never answers
    await nc.flush();
    const procs = {
      // core pub writes in one synchronous loop, then flushes: the flush's PONG never came and
      // node exited 0 with the messages unsent
      pub: new CliProcess(['pub', 'oneshot.core', 'hi', '--count', '2000000', '--quiet', '--server', server.url]),
      pubJs: new CliProcess(['pub', 'oneshot.js', 'hi', '--count', '2000000', '--quiet', '--jetstream', '--server', server.url]),
      req: new CliProcess(['req', 'silent.request', 'hi', '--timeout', '60s', '--server', server.url]),
      ls: new CliProcess(['ls', 'streams', '--js-api-prefix', '$JS.stuck.API', '--timeout', '60s', '--server', server.url]),
    };
    running.push(...Object.values(procs));
    const until = Date.now() + 60_000;
    while (!Object.values(seen).every(Boolean)) {
      const early = Object.entries(procs).find(([, p]) => p.code !== undefined);
      if (early) assert.fail(`${early[0]} ended (${early[1].code}) before the server went away: ${early[1].err}`);
      assert.ok(Date.now() < until, `not all commands reached the server: ${JSON.stringify(seen)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const killedAt = Date.now();
    await server.kill('SIGKILL');
    for (const [name, p] of Object.entries(procs)) {
      const code = await p.exit(30_000);
      assert.equal(code, 1, `${name}: exit code; stderr: ${p.err}`);
      const command = p.args[0];
      assert.match(
        p.err,
        new RegExp(`^nats-flow ${command}: lost the connection to ${escape(server.url)}: the server went away or closed it before the command finished`, 'm'),
        `${name}: ${p.err}`,
      );
      assertHuman(p.err, name);
      // the core pub finishes its synchronous loop first; everything else ends at once
      assert.ok(p.endedAt - killedAt < (name === 'pub' ? 25_000 : 5000), `${name} ended ${p.endedAt - killedAt} ms after the server went away`);
    }
  });
});

describe('nats-flow tail when its server goes away', () => {
  let server: NatsServer;
  let nc: NatsConnection;
  const running: CliProcess[] = [];

  before(async () => {
    server = await startNatsServer({ serverName: 'loss-tail', user: 'ada', password: 'pw-1' });
    nc = await connect({ servers: server.url, user: 'ada', pass: 'pw-1', maxReconnectAttempts: -1, reconnectTimeWait: 100 });
    await (await jetstreamManager(nc)).streams.add({ name: 'LOSS', subjects: ['loss.>'] });
    await jetstream(nc).publish('loss.1', 'before');
  });
  after(async () => {
    for (const p of running) p.kill();
    await nc?.close().catch(() => undefined);
    await server?.stop();
  });

  const flags = () => ['--server', server.url, '--user', 'ada'];

  test('stream and subject tails keep reconnecting while it is down, say so naming the server, and resume on its return', { timeout: 120_000 }, async () => {
    const auth = [...flags(), '--password', 'pw-1'];
    const streams = [new CliProcess(['tail', '--stream', 'LOSS', '--from', 'all', '--json', ...auth])];
    const subject = new CliProcess(['tail', '--subject', 'loss.>', '--json', ...auth]);
    running.push(...streams, subject);
    for (const p of streams) await p.waitFor(/"data":"before"/, 30_000);
    await subject.waitFor(/"marker":"note"/, 30_000);

    await server.kill();
    const lost = new RegExp(`^nats-flow tail: lost the connection to ${escape(server.url)}; reconnecting until it is back \\(Ctrl-C stops\\)$`, 'm');
    let lostAt = Infinity;
    for (const p of [...streams, subject]) {
      lostAt = Math.min(lostAt, await p.waitFor(lost, 15_000, 'lost the connection …'));
      await p.waitFor(/"marker":"reconnecting"/, 15_000);
    }
    // Down for about 3 s. The stream tail's consumer check starts 2.5 s after the last sign of
    // life and waits 5 s for an answer; the tail's reconnect attempts come at about 3.5 s and
    // 5 s after the drop. So it reconnects with that check still pending: a tail that waited
    // for it came back 2.5 s or more late (bench/tailReconnect.bench.ts goes through the same
    // 3 s outage and reports it against the 2 s target). Meanwhile the tails must keep running.
    const downUntil = lostAt + 3000;
    while (Date.now() < downUntil) {
      for (const p of [...streams, subject]) assert.equal(p.code, undefined, `a tail ended while the server was down: ${p.err}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    await server.start(); // same port, same store
    // a fresh connection: the test's own may still be waiting to reconnect
    const pub = await connect({ servers: server.url, user: 'ada', pass: 'pw-1' });
    await jetstream(pub).publish('loss.2', 'after');
    const publishedAt = Date.now();
    for (const [i, p] of streams.entries()) {
      const back = await p.waitFor(new RegExp(`^nats-flow tail: reconnected to ${escape(server.url)} after [\\d.]+ s$`, 'm'), 15_000, 'reconnected to …');
      const shown = await p.waitFor(/"seq":2,"subject":"loss\.2"/, 15_000, 'message 2');
      // The product's target (back within 2 s) is measured in bench/tailReconnect.bench.ts, with
      // the CLI beside the engine, raw nats.js and natscli: a timed 2 s assertion is at the
      // mercy of other load on a 2-core machine. 10 s still fails a tail that waits for missed
      // heartbeats or inherits nats.js's own recovery (30–60 s).
      assert.ok(shown - Math.max(back, publishedAt) < 10_000, `stream tail ${i + 1} showed message 2 ${shown - Math.max(back, publishedAt)} ms after it reconnected`);
      // the marker names the server it is back on (here the same one), by address and name
      const at = `127.0.0.1:${server.port}`;
      assert.match(p.out, new RegExp(`"marker":"resumed","text":"resumed at stream sequence 2 on ${escape(at)} \\(loss-tail\\)","time":"[^"]+","seq":2,"server":"${escape(at)}"`));
      assert.match(p.out, new RegExp(`"marker":"reconnecting","text":"disconnected from ${escape(at)} \\(loss-tail\\); reconnecting \\(last sequence 1\\)"`));
    }
    await subject.waitFor(/"marker":"resumed"/, 15_000);
    await jetstream(pub).publish('loss.3', 'later');
    await subject.waitFor(/"subject":"loss\.3"/, 15_000);

    // Ctrl-C still ends them cleanly, and no consumer stays on the server
    for (const p of [...streams, subject]) p.interrupt();
    for (const p of [...streams, subject]) assert.equal(await p.exit(15_000), 0, p.err);
    assert.deepEqual(await consumerNames(await jetstreamManager(pub), 'LOSS'), []);
    await pub.close();
  });

  test('a server that comes back refusing the credentials ends the tail with exit 1, naming the server and the user', { timeout: 120_000 }, async () => {
    const tails = [
      new CliProcess(['tail', '--stream', 'LOSS', '--from', 'all', ...flags(), '--password', 'pw-1']),
      new CliProcess(['tail', '--subject', 'loss.>', ...flags(), '--password', 'pw-1']),
    ];
    running.push(...tails);
    await tails[0].waitFor(/before/, 30_000);
    await tails[1].waitFor(/listening on loss\.>/, 30_000);
    await server.kill();
    for (const p of tails) await p.waitFor(/lost the connection to/, 15_000);
    // the password is changed while the server is down
    writeFileSync(server.configFile, readFileSync(server.configFile, 'utf8').replace('password: "pw-1"', 'password: "pw-2"'));
    await server.start();
    const back = Date.now();
    for (const p of tails) {
      // nats.js gives up after the server refuses twice in a row: a few reconnect waits (≤ 2 s each)
      assert.equal(await p.exit(20_000), 1, `exit code; stderr: ${p.err}`);
      assert.match(
        p.err,
        new RegExp(`^nats-flow tail: the connection closed and will not be retried, so the tail stopped: Connection "command line": the server at ${escape(server.url)} rejected the user/password of user "ada" \\(authorization violation\\)\\.`, 'm'),
        p.err,
      );
      assert.match(p.err, /hint: Check the user\/password/);
      assert.doesNotMatch(p.err, /pw-1|pw-2/);
      assertHuman(p.err, p.args.join(' '));
      assert.ok(p.endedAt - back < 15_000, `ended ${p.endedAt - back} ms after the server came back`);
    }
  });
});
