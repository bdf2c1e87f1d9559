import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startNatsServer, type NatsServer } from '../helpers/natsServer';
import type { NatsFlowApi } from '../../src/vscode/extension';
import { api, waitFor } from '../helpers/vscodeSuite';

const statusText = (a: NatsFlowApi) => a.statusBar.item.text;
const statusTooltip = (a: NatsFlowApi) => {
  const t = a.statusBar.item.tooltip;
  return typeof t === 'string' ? t : (t?.value ?? '');
};

suite('Connections against a real nats-server', function () {
  this.timeout(90_000);
  let plain: NatsServer;
  let secured: NatsServer;
  let noJs: NatsServer;

  suiteSetup(async () => {
    [plain, secured, noJs] = await Promise.all([
      startNatsServer({ serverName: 'vscode-plain' }),
      startNatsServer({ serverName: 'vscode-secured', user: 'ada', password: 's3cret-pw' }),
      startNatsServer({ serverName: 'vscode-nojs', jetstream: false }),
    ]);
    console.log(`connections suite: nats-server ${plain.version} (${plain.binary})`);
  });

  suiteTeardown(async () => {
    const a = await api();
    await a.connections.disconnect();
    for (const id of ['user:plain', 'user:secured', 'user:wrong', 'user:nojs']) await vscode.commands.executeCommand('natsFlow.connection.remove', id, { confirmed: true });
    await Promise.all([plain?.stop(), secured?.stop(), noJs?.stop()]);
  });

  test('status bar says not connected before any connection', async () => {
    const a = await api();
    await a.connections.disconnect();
    assert.match(statusText(a), /NATS$/);
    assert.match(statusTooltip(a), /Not connected/);
  });

  test('add + connect shows server name, version, JetStream and round trip in the status bar', async () => {
    const a = await api();
    await vscode.commands.executeCommand('natsFlow.connection.add', { name: 'plain', servers: plain.url });
    const snap = a.connections.current;
    assert.equal(snap.state, 'connected', JSON.stringify(snap.error));
    assert.equal(snap.server?.serverName, 'vscode-plain');
    assert.equal(snap.server?.version, plain.version);
    assert.equal(snap.server?.jetstream, true);
    const text = statusText(a);
    assert.ok(text.includes('NATS: plain'), text);
    assert.ok(text.includes(`vscode-plain v${plain.version}`), text);
    assert.ok(text.includes('· JS ·'), text);
    assert.match(text, /\d+(\.\d)? ms$/);
    assert.equal(a.statusBar.item.command, 'natsFlow.connection.switch');
  });

  test('user+password profile keeps the password in SecretStorage, never in settings', async () => {
    const a = await api();
    await vscode.commands.executeCommand('natsFlow.connection.add', { name: 'secured', servers: secured.url, auth: 'userPassword', user: 'ada', password: 's3cret-pw' });
    assert.equal(a.connections.current.state, 'connected', JSON.stringify(a.connections.current.error));
    assert.ok(statusText(a).includes('vscode-secured'));
    const stored = JSON.stringify(vscode.workspace.getConfiguration().inspect('natsFlow.connections'));
    assert.ok(stored.includes('"user":"ada"'), stored);
    assert.ok(!stored.includes('s3cret-pw'), 'password leaked into settings');
    assert.deepEqual(await a.profiles.getSecrets('user:secured'), { password: 's3cret-pw' });
  });

  test('a wrong password fails with an authorization message and an error status bar', async () => {
    const a = await api();
    await vscode.commands.executeCommand('natsFlow.connection.add', { name: 'wrong', servers: secured.url, auth: 'userPassword', user: 'ada', password: 'not-it' });
    const snap = a.connections.current;
    assert.equal(snap.state, 'failed');
    assert.equal(snap.error?.kind, 'auth');
    assert.match(snap.error!.message, /wrong/i);
    assert.ok(!snap.error!.message.includes('not-it'), 'password leaked into the message');
    assert.ok(statusText(a).startsWith('$(error)'), statusText(a));
    assert.match(statusTooltip(a), /authoriz|password|credential/i);
  });

  test('losing the server shows reconnecting, and the connection comes back by itself when it restarts', async () => {
    const a = await api();
    const snap = await vscode.commands.executeCommand<{ state: string; error?: { kind: string; message: string } }>('natsFlow.connection.connect', 'user:plain');
    assert.equal(snap?.state, 'connected');
    await plain.kill();
    try {
      await waitFor('reconnecting state', () => a.connections.current.state === 'reconnecting');
      assert.match(statusText(a), /reconnecting/);
      await plain.start();
      await waitFor('automatic reconnect', () => a.connections.current.state === 'connected', 30_000);
      assert.ok(statusText(a).includes('vscode-plain'));
    } finally {
      if (!plain.pid) await plain.start();
    }
  });

  test('an unreachable server fails with a message naming the URL', async () => {
    const a = await api();
    const url = `nats://127.0.0.1:${await freePort()}`;
    await vscode.commands.executeCommand('natsFlow.connection.add', { name: 'down', servers: url });
    try {
      assert.equal(a.connections.current.state, 'failed');
      assert.equal(a.connections.current.error?.kind, 'unreachable');
      assert.ok(a.connections.current.error!.message.includes(url.replace('nats://', '')), a.connections.current.error!.message);
      assert.ok(statusText(a).startsWith('$(error)'));
    } finally {
      await vscode.commands.executeCommand('natsFlow.connection.remove', 'user:down', { confirmed: true });
    }
  });

  test('a server without JetStream connects and says JetStream is off', async () => {
    const a = await api();
    await vscode.commands.executeCommand('natsFlow.connection.add', { name: 'nojs', servers: noJs.url });
    assert.equal(a.connections.current.state, 'connected');
    assert.equal(a.connections.current.server?.jetstream, false);
    assert.ok(statusText(a).includes('no JS'), statusText(a));
  });

  test('bad input is refused with a message naming the problem and saves nothing', async () => {
    const a = await api();
    const before = a.profiles.configured().length;
    const result = await vscode.commands.executeCommand('natsFlow.connection.add', { name: 'bad', servers: 'http://127.0.0.1:4222' });
    assert.equal(result, undefined);
    assert.equal(a.profiles.configured().length, before);
    // credentials inside the URL would land in settings.json: refused, and not echoed
    const { checkServerUrl } = await import('../../src/vscode/connections/profileStore');
    const problem = checkServerUrl('nats://ada:pw-in-url@127.0.0.1:4222');
    assert.match(problem ?? '', /carries credentials/);
    assert.ok(!problem!.includes('pw-in-url'), problem);
    assert.equal(await vscode.commands.executeCommand('natsFlow.connection.add', { name: 'creds-in-url', servers: 'nats://ada:pw-in-url@127.0.0.1:4222' }), undefined);
    assert.equal(a.profiles.configured().length, before);
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration().inspect('natsFlow.connections')).includes('pw-in-url'));
  });

  test('a natscli context is imported as a profile with its token in SecretStorage, and connects', async () => {
    const a = await api();
    const tokenServer = await startNatsServer({ serverName: 'vscode-ctx', token: 'ctx-token-1' });
    // the extension host runs with the run folder's XDG_CONFIG_HOME, never the developer's
    const dir = join(process.env.XDG_CONFIG_HOME!, 'nats', 'context');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'ctxtest.json'), JSON.stringify({ description: 'made by the test', url: tokenServer.url, token: 'ctx-token-1' }));
    try {
      const imported = await vscode.commands.executeCommand<string[]>('natsFlow.connection.importContexts', ['ctxtest']);
      assert.deepEqual(imported, ['context:ctxtest']);
      const p = a.profiles.get('context:ctxtest');
      assert.equal(p?.source, 'user');
      assert.equal(p?.auth, 'token');
      assert.deepEqual(await a.profiles.getSecrets('context:ctxtest'), { token: 'ctx-token-1' });
      assert.ok(!JSON.stringify(vscode.workspace.getConfiguration().inspect('natsFlow.connections')).includes('ctx-token-1'), 'token leaked into settings');
      const snap = await vscode.commands.executeCommand<{ state: string }>('natsFlow.connection.connect', 'context:ctxtest');
      assert.equal(snap?.state, 'connected');
      assert.ok(statusText(a).includes('vscode-ctx'), statusText(a));
    } finally {
      await a.connections.disconnect();
      await vscode.commands.executeCommand('natsFlow.connection.remove', 'context:ctxtest', { confirmed: true });
      rmSync(join(dir, 'ctxtest.json'), { force: true });
      await tokenServer.stop();
    }
  });

  test('disconnect and remove: the profile and its secret are gone', async () => {
    const a = await api();
    await vscode.commands.executeCommand('natsFlow.connection.disconnect');
    assert.equal(a.connections.current.state, 'disconnected');
    assert.match(statusText(a), /NATS$/);
    assert.equal(await vscode.commands.executeCommand('natsFlow.connection.remove', 'user:secured', { confirmed: true }), true);
    assert.equal(a.profiles.get('user:secured'), undefined);
    assert.deepEqual(await a.profiles.getSecrets('user:secured'), {});
  });
});
