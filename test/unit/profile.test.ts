import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeServers, redactServerUrl, splitServers } from '../../src/nats/profile';

test('credentials written into server URLs are masked wherever URLs are shown or logged', () => {
  assert.equal(redactServerUrl('nats://ada:s3cret@127.0.0.1:4222'), 'nats://ada:***@127.0.0.1:4222');
  assert.equal(redactServerUrl('tls://tok-123@nats.example:4222'), 'tls://***@nats.example:4222');
  assert.equal(redactServerUrl('nats://127.0.0.1:4222'), 'nats://127.0.0.1:4222');
  assert.equal(redactServerUrl('127.0.0.1:4222'), '127.0.0.1:4222');
  assert.equal(describeServers(['nats://a:b@h1:1', 'nats://h2:2']), 'nats://a:***@h1:1, nats://h2:2');
  assert.ok(!describeServers(splitServers('nats://u:pw-9@h:1,nats://tok@h:2')).includes('pw-9'));
  assert.ok(!describeServers(splitServers('nats://u:pw-9@h:1,nats://tok@h:2')).includes('tok@'));
});
