/**
 * natscli's connection flags on `nats-flow`, against real servers: token, user/password,
 * NKey seed file, TLS with a CA and mutual TLS, natscli contexts (given and selected),
 * NATS_URL, and the failures users hit (wrong password, TLS mismatch, unreachable),
 * each a clear message on stderr with exit 1, and bad flag combinations exit 2.
 * Runs the real CLI entry point in-process (runCli), so exit codes are main's own.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, makeOperatorSetup, makeTempDir, removeTempDir, startNatsServer, type NatsServer } from '../helpers/natsServer';
import { natsCliSkipReason } from '../helpers/binaries';
import { cli } from '../helpers/cliInProcess';


describe('nats-flow connection flags (as natscli)', () => {
  let token: NatsServer;
  let userpass: NatsServer;
  let nkey: NatsServer;
  let tls: NatsServer;
  let mtls: NatsServer;
  let dir: string;

  before(async () => {
    [token, userpass, nkey, tls, mtls] = await Promise.all([
      startNatsServer({ serverName: 'cli-token', token: 'tok-123' }),
      startNatsServer({ serverName: 'cli-userpass', user: 'ada', password: 'pw-456' }),
      startNatsServer({ serverName: 'cli-nkey', nkey: true }),
      startNatsServer({ serverName: 'cli-tls', tls: true }),
      startNatsServer({ serverName: 'cli-mtls', tls: { verify: true } }),
    ]);
    dir = makeTempDir('nats-flow-cli-');
  });
  after(async () => {
    await Promise.all([token, userpass, nkey, tls, mtls].map((s) => s?.stop()));
    removeTempDir(dir);
  });

  test('--token connects; a wrong token is an authorization failure naming the server, not the token', async () => {
    const ok = await cli(['ls', 'streams', '--json', '--server', token.url, '--token', 'tok-123']);
    assert.equal(ok.code, 0, ok.err);
    assert.deepEqual(JSON.parse(ok.out), []);
    const bad = await cli(['ls', 'streams', '--server', token.url, '--token', 'wrong-token']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /authori[sz]ation|token/i);
    assert.ok(!bad.err.includes('wrong-token'), 'the token leaked into the message');
  });

  test('--user/--password connect; a wrong password exits 1 with a clear message', async () => {
    const ok = await cli(['ls', 'kv', '--server', userpass.url, '--user', 'ada', '--password', 'pw-456', '--json']);
    assert.equal(ok.code, 0, ok.err);
    const bad = await cli(['ls', 'kv', '--server', userpass.url, '--user', 'ada', '--password', 'nope']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /authori[sz]ation|password/i);
    assert.ok(!bad.err.includes('nope'));
  });

  test('--nkey reads a seed file', async () => {
    const seedFile = join(dir, 'user.nk');
    writeFileSync(seedFile, `${nkey.nkey!.seed}\n`);
    const ok = await cli(['ls', 'streams', '--server', nkey.url, '--nkey', seedFile, '--json']);
    assert.equal(ok.code, 0, ok.err);
    const missing = await cli(['ls', 'streams', '--server', nkey.url, '--nkey', join(dir, 'absent.nk')]);
    // a missing file is a failure (exit 1), the same for --nkey as for --creds
    assert.equal(missing.code, 1);
    assert.match(missing.err, /--nkey: the NKey seed file .*absent\.nk does not exist/);
  });

  test('--tlsca verifies the server; without it the TLS failure is named as such', async () => {
    const ok = await cli(['ls', 'streams', '--server', tls.url, '--tlsca', tls.tls!.caFile, '--json']);
    assert.equal(ok.code, 0, ok.err);
    const bad = await cli(['ls', 'streams', '--server', tls.url]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /TLS|certificate/i);
  });

  test('--tlscert/--tlskey give mutual TLS; one without the other is bad usage', async () => {
    const ok = await cli(['ls', 'streams', '--server', mtls.url, '--tlsca', mtls.tls!.caFile, '--tlscert', mtls.tls!.clientCertFile, '--tlskey', mtls.tls!.clientKeyFile, '--json']);
    assert.equal(ok.code, 0, ok.err);
    const half = await cli(['ls', 'streams', '--server', mtls.url, '--tlscert', mtls.tls!.clientCertFile]);
    assert.equal(half.code, 2);
    assert.match(half.err, /--tlscert and --tlskey go together/);
  });

  test('--context NAME and the selected natscli context supply URL and credentials; --server overrides the URL', async () => {
    const config = join(dir, 'xdg');
    mkdirSync(join(config, 'nats', 'context'), { recursive: true });
    writeFileSync(join(config, 'nats', 'context', 'secured.json'), JSON.stringify({ description: 'test', url: userpass.url, user: 'ada', password: 'pw-456' }));
    writeFileSync(join(config, 'nats', 'context', 'tok.json'), JSON.stringify({ url: token.url, token: 'tok-123' }));
    const given = await cli(['ls', 'streams', '--context', 'secured', '--json'], { XDG_CONFIG_HOME: config });
    assert.equal(given.code, 0, given.err);
    writeFileSync(join(config, 'nats', 'context.txt'), 'tok');
    const selected = await cli(['ls', 'streams', '--json'], { XDG_CONFIG_HOME: config });
    assert.equal(selected.code, 0, selected.err);
    // --server replaces the context's URL but keeps its credentials (natscli's precedence)
    const overridden = await cli(['ls', 'streams', '--server', token.url, '--json'], { XDG_CONFIG_HOME: config });
    assert.equal(overridden.code, 0, overridden.err);
    const flagsWin = await cli(['ls', 'streams', '--server', userpass.url, '--user', 'ada', '--password', 'pw-456', '--json'], { XDG_CONFIG_HOME: config });
    assert.equal(flagsWin.code, 0, flagsWin.err);
    const unknown = await cli(['ls', 'streams', '--context', 'nope'], { XDG_CONFIG_HOME: config });
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /nope/);
  });

  test('NATS_URL is the default server; an unreachable one names the URL', async () => {
    const ok = await cli(['ls', 'streams', '--json', '--token', 'tok-123'], { NATS_URL: token.url });
    assert.equal(ok.code, 0, ok.err);
    const port = await freePort();
    const down = await cli(['ls', 'streams'], { NATS_URL: `nats://127.0.0.1:${port}` });
    assert.equal(down.code, 1);
    assert.ok(down.err.includes(`127.0.0.1:${port}`), down.err);
  });

  test('--creds connects to an operator-mode server; creds of another operator are refused', { skip: natsCliSkipReason() }, async () => {
    const ops = await makeOperatorSetup(join(dir, 'operator'));
    const server = await startNatsServer({ serverName: 'cli-creds', extraConfig: ops.serverConfig });
    try {
      const ok = await cli(['ls', 'streams', '--server', server.url, '--creds', ops.credsFile, '--json']);
      assert.equal(ok.code, 0, ok.err);
      const bad = await cli(['ls', 'streams', '--server', server.url, '--creds', ops.foreignCredsFile]);
      assert.equal(bad.code, 1);
      assert.match(bad.err, /authori[sz]ation|credentials/i);
    } finally {
      await server.stop();
    }
  });

  test('--help lists the commands; an unknown command exits 2 naming it', async () => {
    const help = await cli(['--help']);
    assert.equal(help.code, 0);
    for (const name of ['decide', 'ls']) assert.match(help.out, new RegExp(`^  ${name}\\b`, 'm'));
    const unknown = await cli(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown command "frobnicate"/);
  });
});
