/**
 * JetStream domains (natscli's --js-domain / jetstream_domain), against a real server whose
 * JetStream runs in domain "hub": the explorer's Catalog, describeServer and `nats-flow ls`
 * reach the API at $JS.hub.API; a wrong domain is a clear failure, not a hang.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NatsConnection } from '@nats-io/transport-node';
import { Catalog, describeServer, jetStreamOptions, openConnection } from '../../src/nats/index';
import { runCli } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/command';
import { natsCli, startNatsServer, type NatsServer } from '../helpers/natsServer';
import { natsCliSkipReason } from '../helpers/binaries';

describe('JetStream domain', { skip: natsCliSkipReason() }, () => {
  let server: NatsServer;
  let nc: NatsConnection;
  before(async () => {
    server = await startNatsServer({ serverName: 'domain-hub', jsDomain: 'hub' });
    const r = await natsCli(['stream', 'add', 'HUBSTREAM', '--subjects', 'hub.>', '--defaults', '--js-domain', 'hub'], { server });
    assert.equal(r.code, 0, r.stderr);
    nc = await openConnection({ id: 'd', name: 'domain', servers: [server.url], auth: 'none' }, {}, { reconnect: false });
  });
  after(async () => {
    await nc?.close();
    await server?.stop();
  });

  test('a profile with jsDomain lists through $JS.hub.API and describeServer reports the domain', async () => {
    const opts = jetStreamOptions({ jsDomain: 'hub' });
    assert.deepEqual(opts, { domain: 'hub' });
    const names = (await new Catalog(nc, opts).allStreams()).map((s) => s.name);
    assert.deepEqual(names, ['HUBSTREAM']);
    const info = await describeServer(nc, opts);
    assert.equal(info.jetstream, true, info.jetstreamReason);
    assert.equal(info.domain, 'hub');
  });

  test('a wrong domain fails with an error instead of listing nothing', async () => {
    await assert.rejects(new Catalog(nc, { domain: 'nowhere', timeoutMs: 1500 }).allStreams());
    const info = await describeServer(nc, { domain: 'nowhere', timeoutMs: 1500 });
    assert.equal(info.jetstream, false);
  });

  test('nats-flow ls --js-domain hub lists the domain’s streams', async () => {
    let out = '';
    let err = '';
    const io: CliIO = { out: (t) => void (out += t), err: (t) => void (err += t), env: { HOME: '/nonexistent', XDG_CONFIG_HOME: '/nonexistent' } };
    const code = await runCli(['ls', 'streams', '--server', server.url, '--js-domain', 'hub', '--json'], io);
    assert.equal(code, 0, err);
    assert.deepEqual((JSON.parse(out) as { name: string }[]).map((s) => s.name), ['HUBSTREAM']);
  });
});
