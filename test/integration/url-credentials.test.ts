/**
 * Credentials written into a server URL are honoured, as natscli honours them (issue 8,
 * item 3): `--server nats://user:pass@host`, `nats://token@host`, NATS_URL and a natscli
 * context whose url carries them, through the real CLI entry point and through the
 * connection code the extension uses for context and NATS_URL profiles. They never show in
 * output: a refused password is masked in the message.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, removeTempDir, startNatsServer, type NatsServer } from '../helpers/natsServer';
import { cli } from '../helpers/cliInProcess';
import { openConnection, splitUrlCredentials } from '../../src/nats/connect';
import { contextToProfile, readContext } from '../../src/nats/natsContext';


const withAuth = (url: string, userinfo: string) => url.replace('nats://', `nats://${userinfo}@`);

describe('credentials in server URLs', () => {
  let userpass: NatsServer;
  let token: NatsServer;
  let dir: string;
  before(async () => {
    [userpass, token] = await Promise.all([
      startNatsServer({ serverName: 'url-userpass', user: 'ada', password: 'p@ss:w/rd' }),
      startNatsServer({ serverName: 'url-token', token: 'tok-789' }),
    ]);
    dir = makeTempDir('nf-url-creds-');
  });
  after(async () => {
    await Promise.all([userpass?.stop(), token?.stop()]);
    removeTempDir(dir);
  });

  test('--server with user:password and with a token connects', async () => {
    const up = await cli(['ls', 'streams', '--json', '--server', withAuth(userpass.url, `ada:${encodeURIComponent('p@ss:w/rd')}`)]);
    assert.equal(up.code, 0, up.err);
    assert.deepEqual(JSON.parse(up.out), []);
    const tok = await cli(['ls', 'account', '--server', withAuth(token.url, 'tok-789')]);
    assert.equal(tok.code, 0, tok.err);
  });

  test('NATS_URL with credentials is honoured', async () => {
    const r = await cli(['ls', 'streams', '--json'], { NATS_URL: withAuth(token.url, 'tok-789') });
    assert.equal(r.code, 0, r.err);
  });

  test('a natscli context whose url carries credentials connects, in the CLI and through the profile the extension makes', async () => {
    const config = join(dir, 'config');
    mkdirSync(join(config, 'nats', 'context'), { recursive: true });
    writeFileSync(join(config, 'nats', 'context', 'inurl.json'), JSON.stringify({ url: withAuth(userpass.url, `ada:${encodeURIComponent('p@ss:w/rd')}`) }));
    const r = await cli(['ls', 'streams', '--context', 'inurl', '--json'], { XDG_CONFIG_HOME: config });
    assert.equal(r.code, 0, r.err);

    const ctx = readContext('inurl', { env: { XDG_CONFIG_HOME: config } });
    const { profile, secrets } = contextToProfile('inurl', ctx.context!);
    const nc = await openConnection(profile, secrets, { timeoutMs: 5000, reconnect: false });
    await nc.flush();
    await nc.close();
  });

  test('a refused password in a URL is masked in the message', async () => {
    const r = await cli(['ls', 'streams', '--server', withAuth(userpass.url, 'ada:wrong-secret-123')]);
    assert.equal(r.code, 1);
    assert.match(r.err, /rejected|authorization/i);
    assert.match(r.err, /ada:\*\*\*@127\.0\.0\.1/);
    assert.doesNotMatch(r.err, /wrong-secret-123/);
  });

  // (profiles made by the user still refuse such URLs: test/suite/connections.test.ts)
  test('explicit flags win over URL credentials', async () => {
    const r = await cli(['ls', 'streams', '--json', '--server', withAuth(userpass.url, 'ada:wrong'), '--user', 'ada', '--password', 'p@ss:w/rd']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(splitUrlCredentials(['nats://a%40b:c@h:1', 'tls://h2:2']), { servers: ['nats://h:1', 'tls://h2:2'], credentials: { user: 'a@b', pass: 'c' } });
  });
});
