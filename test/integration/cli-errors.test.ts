/**
 * Every `nats-flow ls` form fails with a named, human message and the right exit code
 * (issue 8, item 6: `ls keys nosuch` printed `TypeError: err.code?.startsWith is not a
 * function`): against missing streams, buckets and stores, a server without JetStream and
 * an unreachable server; bad names, filters and flags are refused before connecting (exit 2),
 * and --timeout bounds the requests too.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { freePort, makeTempDir, removeTempDir, startNatsServer, type NatsServer } from '../helpers/natsServer';
import { cli } from '../helpers/cliInProcess';

const FORMS: string[][] = [
  ['streams'],
  ['streams', '--all'],
  ['streams', '--filter', 'x.>'],
  ['consumers', 'NOSUCH'],
  ['kv'],
  ['keys', 'nosuch'],
  ['keys', 'nosuch', '--filter', 'a.>'],
  ['objects'],
  ['objects', 'nosuch'],
  ['account'],
];

/** No stack traces, no raw JS errors, no "undefined": a sentence for a person. */
function assertHuman(err: string, context: string): void {
  assert.doesNotMatch(err, /TypeError|ReferenceError|is not a function|undefined|\[object Object\]|^\s+at /m, `${context}: ${err}`);
}

describe('nats-flow ls errors are named and human', () => {
  let js: NatsServer;
  let nojs: NatsServer;
  let downUrl: string;
  let dir: string;
  before(async () => {
    [js, nojs] = await Promise.all([startNatsServer({ serverName: 'err-js' }), startNatsServer({ serverName: 'err-nojs', jetstream: false })]);
    downUrl = `nats://127.0.0.1:${await freePort()}`;
    dir = makeTempDir('nf-cli-errors-');
  });
  after(async () => {
    await Promise.all([js?.stop(), nojs?.stop()]);
    removeTempDir(dir);
  });

  test('missing stream, bucket and store are named; listings of what exists succeed', async () => {
    const expect: Record<string, RegExp> = {
      consumers: /stream NOSUCH does not exist/,
      keys: /KV bucket nosuch does not exist/,
      objects: /object store nosuch does not exist/,
    };
    for (const form of FORMS) {
      const r = await cli(['ls', ...form, '--server', js.url]);
      const what = form[0];
      const missing = form[1] !== undefined && !form[1].startsWith('--');
      if (missing) {
        assert.equal(r.code, 1, `ls ${form.join(' ')}: ${r.err}`);
        assert.match(r.err, expect[what], `ls ${form.join(' ')}`);
        assert.match(r.err, /hint: check the name/);
      } else {
        assert.equal(r.code, 0, `ls ${form.join(' ')}: ${r.err}`);
      }
      assertHuman(r.err, `ls ${form.join(' ')}`);
    }
  });

  test('a server without JetStream: every form says JetStream is not enabled', async () => {
    for (const form of FORMS) {
      const r = await cli(['ls', ...form, '--server', nojs.url]);
      assert.equal(r.code, 1, `ls ${form.join(' ')}`);
      assert.match(r.err, /JetStream is not enabled/, `ls ${form.join(' ')}: ${r.err}`);
      assertHuman(r.err, `ls ${form.join(' ')}`);
    }
  });

  test('an unreachable server: every form names the URL', async () => {
    for (const form of FORMS) {
      const r = await cli(['ls', ...form, '--server', downUrl, '--timeout', '1s']);
      assert.equal(r.code, 1, `ls ${form.join(' ')}`);
      assert.match(r.err, new RegExp(`cannot reach ${downUrl.replace(/[.:/]/g, '\\$&')}`), `ls ${form.join(' ')}: ${r.err}`);
      assertHuman(r.err, `ls ${form.join(' ')}`);
    }
  });

  test('bad names, filters and flags are refused before connecting, with exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['consumers', 'ORDERS.x'], /stream name "ORDERS\.x" contains "\."/],
      [['consumers', 'ORD*'], /contains "\*"/],
      [['keys', 'a.b'], /KV bucket name "a\.b" contains "\."/],
      [['objects', 'x'.repeat(100_000)], /100000 characters long; the limit is 255/],
      [['keys', 'cfg', '--filter', 'a.*b'], /"\*" must be a whole token/],
      [['streams', '--filter', 'a..b'], /empty token/],
      [['streams', '--server', ''], /--server is empty/],
      [['streams', '--timeout', '0s'], /--timeout "0s" is zero/],
    ];
    for (const [args, re] of cases) {
      // the down URL: a refusal after connecting would say "cannot reach" instead
      const r = await cli(['ls', ...args, ...(args.includes('--server') ? [] : ['--server', downUrl])]);
      assert.equal(r.code, 2, `ls ${args.join(' ').slice(0, 80)}: ${r.err.slice(0, 300)}`);
      assert.match(r.err, re);
      assert.doesNotMatch(r.err, /cannot reach/);
    }
  });

  test('a missing --nkey or --creds file is exit 1, both named', async () => {
    for (const flag of ['--nkey', '--creds']) {
      const r = await cli(['ls', 'streams', '--server', js.url, flag, join(dir, 'absent')]);
      assert.equal(r.code, 1, `${flag}: ${r.err}`);
      assert.match(r.err, /absent does not exist/);
    }
  });

  test('--timeout bounds requests too, not only the connect', async () => {
    // a JetStream API that takes requests and never answers (a stuck domain)
    const nc = await connect({ servers: js.url });
    nc.subscribe('$JS.stuck.API.>');
    await nc.flush();
    try {
      const t0 = Date.now();
      const r = await cli(['ls', 'consumers', 'ORDERS', '--server', js.url, '--timeout', '1s', '--js-domain', 'stuck']);
      const took = Date.now() - t0;
      assert.equal(r.code, 1);
      assert.match(r.err, /did not answer in time/);
      assert.ok(took < 3500, `took ${took} ms with --timeout 1s`);
      assertHuman(r.err, 'timeout');
    } finally {
      await nc.close();
    }
  });
});
