/**
 * The extension's connection comes back after any outage (issue 8, item 4): with the
 * options the extension uses (LONG_LIVED_CONNECTION), a connection whose server is down for
 * 25 s — longer than nats.js's default 10 attempts × 2 s — is still reconnecting, and is
 * connected again soon after the server returns, with JetStream usable.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NatsConnection } from '@nats-io/transport-node';
import { startNatsServer, type NatsServer } from '../helpers/natsServer';
import { LONG_LIVED_CONNECTION, openConnection, reconnectBackoff } from '../../src/nats/connect';
import { Catalog } from '../../src/nats/catalog';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a long-lived connection reconnects forever', () => {
  let server: NatsServer;
  let nc: NatsConnection | undefined;
  before(async () => {
    server = await startNatsServer();
  });
  after(async () => {
    await nc?.close().catch(() => undefined);
    await server?.stop();
  });

  test('server down for 25 s, then back: the connection reconnects and JetStream answers', { timeout: 90_000 }, async () => {
    const profile = { id: 't', name: 'reconnect test', servers: [server.url], auth: 'none' as const };
    nc = await openConnection(profile, {}, { timeoutMs: 2000, ...LONG_LIVED_CONNECTION });
    const events: string[] = [];
    let reconnected: () => void = () => undefined;
    const back = new Promise<void>((resolve) => (reconnected = resolve));
    void (async () => {
      for await (const s of nc!.status()) {
        events.push(s.type);
        if (s.type === 'reconnect') reconnected();
      }
    })();

    await server.kill();
    await sleep(25_000);
    assert.equal(nc.isClosed(), false, `gave up while the server was down (events: ${[...new Set(events)].join(', ')})`);
    assert.ok(events.includes('disconnect'));
    const attempts = events.filter((e) => e === 'reconnecting').length;
    // backoff from 250 ms to 2 s: far fewer attempts than one per 250 ms (100) would make
    assert.ok(attempts >= 8 && attempts <= 30, `${attempts} reconnect attempts in 25 s`);

    const restarted = Date.now();
    await server.start();
    await Promise.race([back, sleep(20_000).then(() => assert.fail('not reconnected within 20 s of the server coming back'))]);
    const tookMs = Date.now() - restarted;
    // at most 2 s between attempts: open tails are back within 2 s (plus the handshake)
    assert.ok(tookMs < 4000, `reconnected ${tookMs} ms after the server came back`);
    const streams = await new Catalog(nc).streams();
    assert.equal(streams.total, 0);
  });

  test('backoff: 1 s at first, a quarter of the outage later, at most 10 s, and back to 1 s after a reset', () => {
    let t = 0;
    const b = reconnectBackoff({ now: () => t });
    assert.equal(b.delay(), 1000);
    t = 20_000;
    assert.equal(b.delay(), 5000);
    t = 120_000;
    assert.equal(b.delay(), 10_000);
    b.reset();
    assert.equal(b.delay(), 1000);
  });
});
