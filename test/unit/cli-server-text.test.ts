/**
 * How the CLI names the server a connection lost or came back on (connectionWatch.ts): the URL
 * the user gave when it is that one, host:port of several given URLs, and a server the cluster
 * told the client about (a reconnect may land there) said to be one, never the given URL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverText } from '../../src/cli/connectionWatch';

test('one given URL, on that server: the URL as given (credentials already masked), whatever the case or default port', () => {
  assert.equal(serverText('nats://127.0.0.1:4222', '127.0.0.1:4222'), 'nats://127.0.0.1:4222');
  assert.equal(serverText('nats://ada:***@Demo.Example:4222', 'demo.example:4222'), 'nats://ada:***@Demo.Example:4222');
  assert.equal(serverText('tls://demo.example', 'demo.example:4222'), 'tls://demo.example');
  assert.equal(serverText('nats://127.0.0.1:4222', undefined), 'nats://127.0.0.1:4222');
});

test('several given URLs: the one it is on, among them', () => {
  assert.equal(serverText('nats://127.0.0.1:4222, nats://127.0.0.1:4223', '127.0.0.1:4223'), '127.0.0.1:4223 (of nats://127.0.0.1:4222, nats://127.0.0.1:4223)');
});

test('a server learnt from the cluster: named as such, not as the URL given', () => {
  assert.equal(serverText('nats://127.0.0.1:4222', '127.0.0.1:4223'), '127.0.0.1:4223 (a server of the cluster behind nats://127.0.0.1:4222)');
  assert.equal(serverText('nats://127.0.0.1:4222, nats://127.0.0.1:4223', '10.0.0.7:4222'), '10.0.0.7:4222 (a server of the cluster behind nats://127.0.0.1:4222, nats://127.0.0.1:4223)');
});
