import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createUser } from '@nats-io/nkeys';
import { contextToProfile, listContexts, natsConfigDir, readContext, selectedContextName } from '../../src/nats/natsContext';
import { compareVersions, serverSupports } from '../../src/nats/serverInfo';

const SEED = new TextDecoder().decode(createUser().getSeed());

function withConfig(fn: (configDir: string) => void): void {
  const configDir = mkdtempSync(join(tmpdir(), 'nats-flow-ctx-'));
  try {
    mkdirSync(join(configDir, 'nats', 'context'), { recursive: true });
    fn(configDir);
  } finally {
    rmSync(configDir, { recursive: true, force: true });
  }
}

function writeContext(configDir: string, name: string, body: unknown): void {
  writeFileSync(join(configDir, 'nats', 'context', `${name}.json`), typeof body === 'string' ? body : JSON.stringify(body));
}

test('config dir honours configDir, then XDG_CONFIG_HOME, then ~/.config', () => {
  assert.equal(natsConfigDir({ configDir: '/c' }), join('/c', 'nats'));
  assert.equal(natsConfigDir({ env: { XDG_CONFIG_HOME: '/x', HOME: '/h' } }), join('/x', 'nats'));
  assert.equal(natsConfigDir({ env: { HOME: '/h' } }), join('/h', '.config', 'nats'));
});

test('lists contexts sorted, and a broken file does not hide the others', () => {
  withConfig((configDir) => {
    writeContext(configDir, 'prod', { url: 'nats://a:4222' });
    writeContext(configDir, 'broken', '{ "url": ');
    writeContext(configDir, 'dev', { url: 'nats://b:4222' });
    writeFileSync(join(configDir, 'nats', 'context', 'notes.txt'), 'ignored');
    const all = listContexts({ configDir });
    assert.deepEqual(all.map((c) => c.name), ['broken', 'dev', 'prod']);
    const broken = all[0];
    assert.equal(broken.context, undefined);
    assert.match(broken.error ?? '', /broken\.json is not valid JSON/);
    assert.equal(all[1].context?.url, 'nats://b:4222');
    assert.equal(all[2].error, undefined);
  });
});

test('no context dir means no contexts, not an error', () => {
  assert.deepEqual(listContexts({ configDir: join(tmpdir(), 'nats-flow-does-not-exist') }), []);
});

test('selected context comes from context.txt, trimmed', () => {
  withConfig((configDir) => {
    assert.equal(selectedContextName({ configDir }), undefined);
    writeFileSync(join(configDir, 'nats', 'context.txt'), 'prod\n');
    assert.equal(selectedContextName({ configDir }), 'prod');
    assert.equal(selectedContextName({ env: { XDG_CONFIG_HOME: configDir } }), 'prod');
  });
});

test('readContext reports an unknown name and refuses path tricks', () => {
  withConfig((configDir) => {
    assert.match(readContext('ghost', { configDir }).error ?? '', /no natscli context "ghost"/);
    assert.match(readContext('../etc', { configDir }).error ?? '', /not a valid context name/);
  });
});

test('user/password context: comma-separated URLs split, TLS paths kept, ~ expanded', () => {
  const { profile, secrets, warnings } = contextToProfile(
    'prod',
    { url: 'nats://a:4222, nats://b:4222', user: 'alice', password: 'pw', description: 'Production', ca: '~/ca.pem', cert: '/c.pem', key: '/k.pem' },
    { env: { HOME: '/home/u' } },
  );
  assert.deepEqual(profile.servers, ['nats://a:4222', 'nats://b:4222']);
  assert.equal(profile.auth, 'userPassword');
  assert.equal(profile.user, 'alice');
  assert.equal(profile.source, 'context');
  assert.equal(profile.contextName, 'prod');
  assert.equal(profile.description, 'Production');
  assert.deepEqual(profile.tls, { ca: '/home/u/ca.pem', cert: '/c.pem', key: '/k.pem' });
  assert.deepEqual(secrets, { password: 'pw' });
  assert.deepEqual(warnings, []);
});

test('token, creds and nkey contexts map to their auth kinds; the nkey seed is read from its file', () => {
  withConfig((dir) => {
    assert.deepEqual(contextToProfile('t', { url: 'nats://x', token: 'tok' }).secrets, { token: 'tok' });
    const creds = contextToProfile('c', { url: 'nats://x', creds: '$CREDS_DIR/u.creds' }, { env: { CREDS_DIR: '/keys' } });
    assert.equal(creds.profile.auth, 'creds');
    assert.equal(creds.profile.credsFile, '/keys/u.creds');
    const seedFile = join(dir, 'user.nk');
    writeFileSync(seedFile, `${SEED}\n`);
    const nk = contextToProfile('n', { url: 'nats://x', nkey: seedFile });
    assert.equal(nk.profile.auth, 'nkey');
    assert.equal(nk.secrets.nkeySeed, SEED);
    assert.deepEqual(nk.warnings, []);
  });
});

test('an unreadable nkey file is a warning naming the file, not an exception', () => {
  const { profile, secrets, warnings } = contextToProfile('n', { url: 'nats://x', nkey: '/nope/user.nk' });
  assert.equal(profile.auth, 'nkey');
  assert.equal(secrets.nkeySeed, undefined);
  assert.match(warnings.join('\n'), /\/nope\/user\.nk/);
});

test('unsupported fields become warnings without their values', () => {
  const { warnings } = contextToProfile('d', { url: 'nats://x', user_seed: 'SUSECRETSECRET', inbox_prefix: '_I' });
  const text = warnings.join('\n');
  assert.match(text, /user seed/);
  assert.match(text, /inbox prefix/);
  assert.doesNotMatch(text, /SUSECRET|_I\b/);
});

test('the JetStream domain and API prefix of a context reach the profile', () => {
  const d = contextToProfile('d', { url: 'nats://x', jetstream_domain: 'hub' });
  assert.equal(d.profile.jsDomain, 'hub');
  assert.doesNotMatch(d.warnings.join('\n'), /domain/);
  const p = contextToProfile('p', { url: 'nats://x', jetstream_api_prefix: '$JS.leaf.API' });
  assert.equal(p.profile.jsApiPrefix, '$JS.leaf.API');
});

test('a context without url falls back to natscli default and says so', () => {
  const { profile, warnings } = contextToProfile('e', {});
  assert.deepEqual(profile.servers, ['nats://127.0.0.1:4222']);
  assert.match(warnings.join('\n'), /no url/);
});

test('compareVersions orders numerically and puts pre-releases first', () => {
  assert.equal(compareVersions('2.9.10', '2.10.0'), -1);
  assert.equal(compareVersions('v2.14.5', '2.14.5'), 0);
  assert.equal(compareVersions('2.12.0-beta.1', '2.12.0'), -1);
  assert.equal(compareVersions('2.11.1', '2.11.0'), 1);
});

test('serverSupports says which version a feature needs', () => {
  assert.deepEqual(serverSupports('2.14.5', 'consumerReset'), { supported: true, since: '2.14' });
  assert.equal(serverSupports('2.12.15', 'consumerReset').reason, 'needs nats-server 2.14 or later; connected to 2.12.15');
  assert.equal(serverSupports('2.10.0', 'multiFilter').supported, true);
  assert.equal(serverSupports('2.9.10', 'metadata').reason, 'needs nats-server 2.10 or later; connected to 2.9.10');
});
