/**
 * The explorer on the other servers users run: a 3-node JetStream cluster with R3 streams
 * (leader and followers in the tree) and nats-server 2.9 (listing works, features it lacks
 * are not offered). Objects are created through natscli, the independent client.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { natsCli, startNatsCluster, startNatsServer, type NatsCluster, type NatsServer } from '../helpers/natsServer';
import { findNatsServer29 } from '../helpers/binaries';
import type { NatsFlowApi } from '../../src/vscode/extension';
import type { ExplorerNode } from '../../src/vscode/explorer';
import { api } from '../helpers/vscodeSuite';

const run = (id: string, ...args: unknown[]) => vscode.commands.executeCommand<any>(id, ...args);
const tooltipText = (item: vscode.TreeItem) => (typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? ''));

async function children(a: NatsFlowApi, profileId: string, path: ((n: ExplorerNode) => boolean)[]): Promise<ExplorerNode[]> {
  const root = await a.tree.getChildren();
  let node = root.find((n) => n.kind === 'profile' && n.profileId === profileId);
  assert.ok(node, `profile ${profileId}`);
  for (const step of path) {
    const next: ExplorerNode | undefined = (await a.tree.getChildren(node)).find(step);
    assert.ok(next, `tree path step ${step.toString()}`);
    node = next;
  }
  return a.tree.getChildren(node);
}

suite('Explorer on a 3-node cluster', function () {
  this.timeout(180_000);
  let cluster: NatsCluster;
  let a: NatsFlowApi;
  const cli = async (...args: string[]) => {
    const r = await natsCli(args, { server: cluster.servers[0] });
    assert.equal(r.code, 0, `${r.command}: ${r.stderr || r.stdout}`);
  };

  suiteSetup(async () => {
    cluster = await startNatsCluster(3);
    await cli('stream', 'add', 'PAYMENTS', '--subjects', 'payments.>', '--replicas', '3', '--storage', 'file', '--defaults');
    await cli('pub', 'payments.eu.captured', 'p{{Count}}', '--count', '5');
    await cli('consumer', 'add', 'PAYMENTS', 'ledger', '--pull', '--ack', 'explicit', '--deliver', 'all', '--replicas', '3', '--defaults');
    a = await api();
    await run('natsFlow.connection.add', { name: 'cluster', servers: cluster.urls });
    assert.equal(a.connections.current.state, 'connected', JSON.stringify(a.connections.current.error));
  });
  suiteTeardown(async () => {
    await a?.connections.disconnect();
    await run('natsFlow.connection.remove', 'user:cluster', { confirmed: true });
    await cluster?.stop();
  });

  test('an R3 stream shows R3 and its leader and followers; its consumer is listed', async () => {
    const streams = await children(a, 'user:cluster', [(n) => n.kind === 'streams']);
    const payments = streams.find((n) => n.kind === 'stream' && n.stream.name === 'PAYMENTS');
    assert.ok(payments, 'PAYMENTS listed');
    const item = a.tree.getTreeItem(payments);
    assert.match(String(item.description), /^5 msgs · .* · R3/);
    const tip = tooltipText(item);
    assert.match(tip, /\*\*Replicas\*\* 3 in cluster nf-cluster · leader nf-n[123]/);
    assert.match(tip, /followers nf-n[123].*nf-n[123]/);
    const consumers = await a.tree.getChildren(payments);
    assert.deepEqual(consumers.map((n) => n.kind === 'consumer' && n.consumer.name), ['ledger']);
    assert.match(String(a.tree.getTreeItem(consumers[0]).description), /5 pending/);
  });

  test('the server node names the cluster', async () => {
    const kids = await children(a, 'user:cluster', []);
    const server = a.tree.getTreeItem(kids.find((n) => n.kind === 'server')!);
    assert.match(`${server.description} ${tooltipText(server)}`, /nf-cluster/);
  });
});

const old = findNatsServer29();
suite('Explorer on nats-server 2.9', function () {
  this.timeout(120_000);
  let server: NatsServer;
  let a: NatsFlowApi;

  suiteSetup(async function () {
    if (!old) {
      console.log('skipped: no nats-server 2.9 (install Debian nats-server or set NATS_SERVER_29_BIN)');
      this.skip();
    }
    server = await startNatsServer({ binary: old.path, serverName: 'vscode-old' });
    for (const args of [
      ['stream', 'add', 'LEGACY', '--subjects', 'legacy.>', '--defaults'],
      ['pub', 'legacy.a', 'x', '--count', '3'],
      ['consumer', 'add', 'LEGACY', 'worker', '--pull', '--ack', 'explicit', '--defaults'],
      ['kv', 'add', 'flags'],
      ['kv', 'put', 'flags', 'beta', 'on'],
    ]) {
      const r = await natsCli(args, { server });
      assert.equal(r.code, 0, `${r.command}: ${r.stderr}`);
    }
    a = await api();
    await run('natsFlow.connection.add', { name: 'old', servers: server.url });
    assert.equal(a.connections.current.state, 'connected', JSON.stringify(a.connections.current.error));
  });
  suiteTeardown(async () => {
    await a?.connections.disconnect();
    await run('natsFlow.connection.remove', 'user:old', { confirmed: true });
    await server?.stop();
  });

  test('streams, consumers, buckets and keys created by natscli are listed from a 2.9 server', async () => {
    assert.match(a.connections.current.server?.version ?? '', /^2\.9\./);
    const redrawn: ExplorerNode[] = [];
    const sub = a.tree.onDidChangeTreeData((n) => n && redrawn.push(n));
    const streams = await children(a, 'user:old', [(n) => n.kind === 'streams']);
    sub.dispose();
    // the first load knows the count: the Streams row is redrawn with it, without a refresh
    const container = redrawn.find((n) => n.kind === 'streams');
    assert.ok(container, `Streams row redrawn after its first load (redrawn: ${redrawn.map((n) => n.kind).join(', ')})`);
    assert.equal(a.tree.getTreeItem(container).description, '1');
    assert.deepEqual(streams.map((n) => n.kind === 'stream' && n.stream.name), ['LEGACY']);
    assert.match(String(a.tree.getTreeItem(streams[0]).description), /^3 msgs/);
    const consumers = await a.tree.getChildren(streams[0]);
    const worker = a.tree.getTreeItem(consumers[0]);
    assert.equal(worker.label, 'worker');
    // pause (2.11) and reset (2.14) are not offered on 2.9: the menus key off these flags
    assert.ok(!String(worker.contextValue).includes('canPause'), String(worker.contextValue));
    assert.ok(!String(worker.contextValue).includes('canReset'), String(worker.contextValue));
    const keys = await children(a, 'user:old', [(n) => n.kind === 'kvs', (n) => n.kind === 'kv']);
    assert.deepEqual(keys.map((n) => a.tree.getTreeItem(n).label), ['beta']);
  });
});
