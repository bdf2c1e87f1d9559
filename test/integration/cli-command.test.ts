/**
 * "Copy as nats CLI command" makes the same thing (issue 8, item 7): each copied command is
 * run by bash with the real natscli against a fresh server, and `nats … info --json` there
 * is compared with the original's. Covers an exact backoff list, a mirror, sources, a push
 * consumer's heartbeat and flow control, user metadata beside the server's `_nats.*`, and an
 * invalid duration (no `NaNms`).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { natsCliSkipReason, resolveNatsCli } from '../helpers/binaries';
import { makeTempDir, natsCliJson, removeTempDir, startNatsServer, type NatsServer } from '../helpers/natsServer';
import { Admin } from '../../src/nats/admin';
import { diffConfig } from '../../src/nats/configDiff';
import { toNatsCliCommand } from '../../src/nats/natsCliCommand';

const S = 1_000_000_000;
const MIN = 60 * S;

/** Runs a copied command as a user would paste it: bash, natscli on PATH, NATS_URL set. */
function runCopied(text: string, server: NatsServer, cwd: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-euo', 'pipefail', '-c', text],
      { cwd, timeout: 30_000, env: { PATH: `${dirname(resolveNatsCli().path)}:/usr/bin:/bin`, HOME: cwd, XDG_CONFIG_HOME: cwd, NATS_URL: server.url, NATS_CONTEXT: '' } },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: unknown }).code) || 1 : 0, out: `${stdout}${stderr}` }),
    );
  });
}

describe('copied natscli commands create the same streams and consumers', { skip: natsCliSkipReason() }, () => {
  let original: NatsServer;
  let fresh: NatsServer;
  let nc: NatsConnection;
  let dir: string;

  before(async () => {
    [original, fresh] = await Promise.all([startNatsServer({ serverName: 'cmd-original' }), startNatsServer({ serverName: 'cmd-fresh' })]);
    dir = makeTempDir('nf-copied-');
    nc = await connect({ servers: original.url });
    const admin = new Admin(nc);
    await admin.addStream({ name: 'ORDERS', subjects: ['orders.>'], description: 'all orders', max_age: 60 * MIN, metadata: { owner: 'shop' }, allow_direct: true });
    await admin.addStream({ name: 'COPY', mirror: { name: 'ORDERS' } });
    await admin.addStream({ name: 'AGG', sources: [{ name: 'ORDERS', filter_subject: 'orders.eu.>' }] });
    await admin.addConsumer('ORDERS', { durable_name: 'RETRY', ack_policy: 'explicit' as never, max_deliver: 6, ack_wait: 30 * S, backoff: [5 * MIN, 10 * MIN, 20 * MIN, 30 * MIN] });
    await admin.addConsumer('ORDERS', { durable_name: 'PUSH', deliver_subject: 'push.orders', ack_policy: 'explicit' as never, idle_heartbeat: 10 * S, flow_control: true });
    await admin.addConsumer('ORDERS', { durable_name: 'SHIP', ack_policy: 'explicit' as never, filter_subject: 'orders.shipped', max_deliver: 5, metadata: { team: 'ship' } });
  });
  after(async () => {
    await nc?.close();
    await Promise.all([original?.stop(), fresh?.stop()]);
    removeTempDir(dir);
  });

  const info = async (server: NatsServer, ...args: string[]) => (await natsCliJson<{ config: Record<string, unknown> }>(args, { server })).config;

  for (const name of ['ORDERS', 'COPY', 'AGG']) {
    test(`stream ${name}`, async () => {
      const live = await info(original, 'stream', 'info', name);
      const text = toNatsCliCommand('stream', live);
      assert.doesNotMatch(text, /_nats\.|NaN/);
      if (name !== 'ORDERS') assert.match(text, /--config/, 'a mirror or sources need --config');
      const r = await runCopied(text, fresh, dir);
      assert.equal(r.code, 0, `${text}\n${r.out}`);
      assert.deepEqual(diffConfig('stream', live, await info(fresh, 'stream', 'info', name)), [], text);
    });
  }

  for (const name of ['RETRY', 'PUSH', 'SHIP']) {
    test(`consumer ${name}`, async () => {
      const live = await info(original, 'consumer', 'info', 'ORDERS', name);
      const text = toNatsCliCommand('consumer', { ...live, stream_name: 'ORDERS' });
      assert.doesNotMatch(text, /_nats\.|NaN|backoff=linear/);
      const r = await runCopied(text, fresh, dir);
      assert.equal(r.code, 0, `${text}\n${r.out}`);
      const made = await info(fresh, 'consumer', 'info', 'ORDERS', name);
      assert.deepEqual(diffConfig('consumer', live, made), [], text);
      if (name === 'RETRY') assert.deepEqual(made.backoff, [5 * MIN, 10 * MIN, 20 * MIN, 30 * MIN]);
      if (name === 'PUSH') assert.deepEqual([made.idle_heartbeat, made.flow_control], [10 * S, true]);
    });
  }

  test('an invalid duration never prints NaN: the config is carried as JSON, as it is', () => {
    const text = toNatsCliCommand('stream', { name: 'BAD', subjects: ['bad'], max_age: '1h' });
    assert.doesNotMatch(text, /NaN/);
    assert.match(text, /# --config: max_age "1h" is not a duration in nanoseconds/);
    assert.match(text, /"max_age": "1h"/);
  });
});
