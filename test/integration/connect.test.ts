/**
 * openConnection / classifyConnectError / describeServer against real servers from the rig:
 * every auth kind connects, every common mistake comes back as the right kind of error with a
 * message that names the profile and never contains the secret.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { createUser } from '@nats-io/nkeys';
import { ConnectionError, describeServer, openConnection, serverSupports, type ConnectionProfile, type ProfileSecrets } from '../../src/nats/index';
import { findNatsServer29, natsCliSkipReason, natsServer29SkipReason } from '../helpers/binaries';
import { freePort, makeOperatorSetup, makeTempDir, makeTestCertificates, removeTempDir, startNatsServer, type NatsServer, type OperatorSetup, type TestCertificates } from '../helpers/natsServer';

function profile(server: NatsServer | string, extra: Partial<ConnectionProfile> = {}): ConnectionProfile {
  return { id: 'p1', name: 'Test profile', servers: [typeof server === 'string' ? server : server.url], auth: 'none', ...extra };
}

async function connectOk(p: ConnectionProfile, s: ProfileSecrets = {}): Promise<NatsConnection> {
  const nc = await openConnection(p, s, { timeoutMs: 3000, reconnect: false });
  // a round trip proves the server accepted us, not just the socket
  await nc.flush();
  return nc;
}

async function connectFails(p: ConnectionProfile, s: ProfileSecrets = {}): Promise<ConnectionError> {
  try {
    const nc = await openConnection(p, s, { timeoutMs: 3000, reconnect: false });
    await nc.close();
  } catch (err) {
    assert.ok(err instanceof ConnectionError, `expected ConnectionError, got ${String(err)}`);
    assert.ok(err.message.includes('"Test profile"'), `message names the profile: ${err.message}`);
    assert.ok(err.hint.length > 0);
    for (const secret of [s.password, s.token, s.nkeySeed]) {
      if (secret) assert.ok(!err.message.includes(secret) && !err.hint.includes(secret), 'secret leaked into the message');
    }
    return err;
  }
  assert.fail('connection unexpectedly succeeded');
}

describe('auth kinds connect against a real server', () => {
  test('no auth', async () => {
    const server = await startNatsServer({ jetstream: false });
    try {
      const nc = await connectOk(profile(server));
      assert.equal(nc.info?.server_name, server.serverName);
      await nc.close();
    } finally {
      await server.stop();
    }
  });

  test('token: right token connects, wrong token is kind auth naming the auth kind', async () => {
    const server = await startNatsServer({ token: 'right-token-123', jetstream: false });
    try {
      await (await connectOk(profile(server, { auth: 'token' }), { token: 'right-token-123' })).close();
      const err = await connectFails(profile(server, { auth: 'token' }), { token: 'wrong-token-456' });
      assert.equal(err.kind, 'auth');
      assert.match(err.message, /token/);
    } finally {
      await server.stop();
    }
  });

  test('user/password: wrong password is kind auth; no credentials at all says auth is required', async () => {
    const server = await startNatsServer({ user: 'alice', password: 'correct horse', jetstream: false });
    try {
      await (await connectOk(profile(server, { auth: 'userPassword', user: 'alice' }), { password: 'correct horse' })).close();
      const wrong = await connectFails(profile(server, { auth: 'userPassword', user: 'alice' }), { password: 'battery staple' });
      assert.equal(wrong.kind, 'auth');
      assert.match(wrong.message, /user\/password/);
      const none = await connectFails(profile(server));
      assert.equal(none.kind, 'auth');
      assert.match(none.hint, /requires authentication/);
    } finally {
      await server.stop();
    }
  });

  test('NKey: the generated seed connects, another user seed is kind auth, garbage is kind config', async () => {
    const server = await startNatsServer({ nkey: true, jetstream: false });
    try {
      await (await connectOk(profile(server, { auth: 'nkey' }), { nkeySeed: server.nkey!.seed })).close();
      const other = new TextDecoder().decode(createUser().getSeed());
      assert.equal((await connectFails(profile(server, { auth: 'nkey' }), { nkeySeed: other })).kind, 'auth');
      const bad = await connectFails(profile(server, { auth: 'nkey' }), { nkeySeed: 'SUNOTASEED' });
      assert.equal(bad.kind, 'config');
      assert.match(bad.message, /seed/);
    } finally {
      await server.stop();
    }
  });

  test('creds: a missing file is kind config naming the path; a file without JWT/seed too', async () => {
    const dir = makeTempDir();
    const missing = join(dir, 'nope.creds');
    const err = await connectFails(profile('nats://127.0.0.1:1', { auth: 'creds', credsFile: missing }));
    assert.equal(err.kind, 'config');
    assert.ok(err.message.includes(missing));
    const junk = join(dir, 'junk.creds');
    writeFileSync(junk, 'not a creds file\n');
    assert.equal((await connectFails(profile('nats://127.0.0.1:1', { auth: 'creds', credsFile: junk }))).kind, 'config');
  });

  test('a missing secret is kind config before any network', async () => {
    assert.equal((await connectFails(profile('nats://127.0.0.1:1', { auth: 'token' }))).kind, 'config');
    assert.equal((await connectFails(profile('nats://127.0.0.1:1', { auth: 'userPassword' }), { password: 'x' })).kind, 'config');
  });
});

describe('TLS', () => {
  let tlsServer: NatsServer;
  let mtlsServer: NatsServer;
  let otherCa: TestCertificates;
  before(async () => {
    [tlsServer, mtlsServer, otherCa] = await Promise.all([startNatsServer({ tls: true, jetstream: false }), startNatsServer({ tls: { verify: true }, jetstream: false }), makeTestCertificates()]);
  });
  after(async () => {
    await Promise.all([tlsServer?.stop(), mtlsServer?.stop()]);
  });

  test('verifies the server with the CA file (tls:// URL)', async () => {
    const nc = await connectOk(profile(tlsServer, { tls: { ca: tlsServer.tls!.caFile } }));
    assert.equal(nc.info?.tls_required, true);
    await nc.close();
  });

  test('a plain client (no CA) against a TLS server is kind tls with a CA hint', async () => {
    const err = await connectFails(profile(tlsServer.url.replace('tls://', 'nats://')));
    assert.equal(err.kind, 'tls');
    assert.match(err.hint, /CA/);
  });

  test('the wrong CA is kind tls', async () => {
    const err = await connectFails(profile(tlsServer, { tls: { ca: otherCa.caFile } }));
    assert.equal(err.kind, 'tls');
    assert.match(err.message, /could not be verified/);
  });

  test('tls:// against a plain server is kind tls', async () => {
    const plain = await startNatsServer({ jetstream: false });
    try {
      const err = await connectFails(profile(plain.url.replace('nats://', 'tls://')));
      assert.equal(err.kind, 'tls');
    } finally {
      await plain.stop();
    }
  });

  test('mutual TLS: the client certificate connects', async () => {
    const t = mtlsServer.tls!;
    await (await connectOk(profile(mtlsServer, { tls: { ca: t.caFile, cert: t.clientCertFile, key: t.clientKeyFile } }))).close();
  });

  test('mutual TLS: no client certificate is kind tls saying one is required', async () => {
    const err = await connectFails(profile(mtlsServer, { tls: { ca: mtlsServer.tls!.caFile } }));
    assert.equal(err.kind, 'tls');
    assert.match(err.message, /client certificate/);
  });

  test('mutual TLS: a client certificate from another CA is kind tls', async () => {
    const err = await connectFails(profile(mtlsServer, { tls: { ca: mtlsServer.tls!.caFile, cert: otherCa.clientCertFile, key: otherCa.clientKeyFile } }));
    assert.equal(err.kind, 'tls');
  });

  test('a missing CA file is kind config naming the path', async () => {
    const err = await connectFails(profile(tlsServer, { tls: { ca: '/does/not/exist/ca.pem' } }));
    assert.equal(err.kind, 'config');
    assert.match(err.message, /\/does\/not\/exist\/ca\.pem/);
  });
});

describe('creds files (decentralized JWT auth, operator made with natscli)', { skip: natsCliSkipReason() }, () => {
  let ops: OperatorSetup;
  let server: NatsServer;
  before(async () => {
    ops = await makeOperatorSetup();
    server = await startNatsServer({ serverName: 'creds', extraConfig: ops.serverConfig });
  });
  after(async () => {
    await server?.stop();
    if (ops) removeTempDir(ops.dir);
  });

  test('a user .creds file connects and JetStream answers for its account', async () => {
    const p = profile(server, { auth: 'creds', credsFile: ops.credsFile });
    const nc = await connectOk(p);
    try {
      const info = await describeServer(nc);
      assert.equal(info.jetstream, true, info.jetstreamReason);
    } finally {
      await nc.close();
    }
  });

  test('creds signed by another operator are kind auth', async () => {
    const err = await connectFails(profile(server, { auth: 'creds', credsFile: ops.foreignCredsFile }));
    assert.equal(err.kind, 'auth');
  });

  test('no credentials against an operator-mode server are kind auth', async () => {
    const err = await connectFails(profile(server));
    assert.equal(err.kind, 'auth');
  });
});

describe('unreachable servers', () => {
  test('a closed port is kind unreachable naming the URL', async () => {
    const url = `nats://127.0.0.1:${await freePort()}`;
    const err = await connectFails(profile(url));
    assert.equal(err.kind, 'unreachable');
    assert.ok(err.message.includes(url));
  });

  test('an unknown host is kind unreachable', async () => {
    const err = await connectFails(profile('nats://no-such-host.invalid:4222'));
    assert.equal(err.kind, 'unreachable');
    assert.match(err.message, /resolve/);
  });
});

describe('describeServer', () => {
  test('JetStream on: reports identity, version, RTT and jetstream true', async () => {
    const server = await startNatsServer();
    try {
      const nc = await connectOk(profile(server));
      const s = await describeServer(nc);
      assert.equal(s.serverName, server.serverName);
      assert.equal(s.version, server.version);
      assert.equal(s.jetstream, true);
      assert.equal(s.jetstreamReason, undefined);
      assert.ok(s.rttMs >= 0 && Number.isFinite(s.rttMs));
      assert.equal(s.headers, true);
      assert.ok(s.maxPayload > 0);
      assert.match(s.connectedUrl, /127\.0\.0\.1/);
      assert.match(s.serverId, /^N/);
      await nc.close();
    } finally {
      await server.stop();
    }
  });

  test('JetStream off: jetstream false with a reason, not an exception', async () => {
    const server = await startNatsServer({ jetstream: false });
    try {
      const nc = await connectOk(profile(server));
      const s = await describeServer(nc);
      assert.equal(s.jetstream, false);
      assert.match(s.jetstreamReason ?? '', /not enabled/);
      await nc.close();
    } finally {
      await server.stop();
    }
  });

  test('2.9 server: version detected and 2.11 features disabled with a reason', { skip: natsServer29SkipReason() }, async () => {
    const server = await startNatsServer({ binary: findNatsServer29()!.path });
    try {
      const nc = await connectOk(profile(server));
      const s = await describeServer(nc);
      assert.match(s.version, /^2\.9\./);
      assert.equal(s.jetstream, true);
      const pause = serverSupports(s.version, 'pause');
      assert.equal(pause.supported, false);
      assert.equal(pause.reason, `needs nats-server 2.11 or later; connected to ${s.version}`);
      await nc.close();
    } finally {
      await server.stop();
    }
  });
});
