/**
 * The Explorer in a real VS Code against a real nats-server: what natscli creates shows up in
 * the tree with the facts users check, and the management commands (driven with arguments,
 * confirmations answered by a stand-in ExplorerUi) change the server as natscli then sees it.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { natsCli, natsCliOn, startNatsServer, type NatsServer } from '../helpers/natsServer';
import { findNatsServer29 } from '../helpers/binaries';
import type { NatsFlowApi } from '../../src/vscode/extension';
import type { ExplorerApi, ExplorerNode } from '../../src/vscode/explorer';
import { api, waitFor } from '../helpers/vscodeSuite';

const run = (id: string, ...args: unknown[]) => vscode.commands.executeCommand<any>(id, ...args);
const tooltipText = (item: vscode.TreeItem) => (typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? ''));
const iconId = (item: vscode.TreeItem) => (item.iconPath as vscode.ThemeIcon | undefined)?.id;
const iconColor = (item: vscode.TreeItem) => ((item.iconPath as vscode.ThemeIcon | undefined)?.color as { id?: string } | undefined)?.id;

suite('Explorer against a real nats-server', function () {
  this.timeout(240_000);
  let server: NatsServer;
  let a: NatsFlowApi;
  let ex: ExplorerApi;
  const asked: { message: string; detail: string }[] = [];
  const errors: string[] = [];
  let answer = false;
  let savedUi: ExplorerApi['ui'];

  const { cli, cliJson, cliFails } = natsCliOn(() => server);

  const tree = () => a.tree;
  async function profileChildren(): Promise<ExplorerNode[]> {
    const root = await tree().getChildren();
    const profile = root.find((n) => n.kind === 'profile' && n.profileId === 'user:explorer');
    assert.ok(profile, `profile user:explorer in ${JSON.stringify(root.map((n) => n.kind))}`);
    return tree().getChildren(profile);
  }
  async function container(kind: 'streams' | 'kvs' | 'objs'): Promise<ExplorerNode> {
    const c = (await profileChildren()).find((n) => n.kind === kind);
    assert.ok(c, `${kind} container`);
    return c;
  }
  async function streamNode(name: string): Promise<ExplorerNode & { kind: 'stream' }> {
    const s = (await tree().getChildren(await container('streams'))).find((n) => n.kind === 'stream' && n.stream.name === name);
    assert.ok(s, `stream ${name} in the tree`);
    return s as ExplorerNode & { kind: 'stream' };
  }

  suiteSetup(async () => {
    server = await startNatsServer({ serverName: 'vscode-explorer' });
    a = await api();
    assert.ok(a.explorer, 'the API exposes the explorer');
    ex = a.explorer;
    savedUi = ex.ui;
    ex.ui = {
      confirm: async (message, detail) => {
        asked.push({ message, detail });
        return answer;
      },
      info: () => undefined,
      error: (m) => void errors.push(m),
    };
    await cli('stream', 'add', 'ORDERS', '--subjects', 'orders.>', '--storage', 'file', '--replicas', '1', '--defaults');
    await cli('pub', 'orders.eu.1', 'hello {{Count}}', '--count', '10');
    await cli('consumer', 'add', 'ORDERS', 'PROCESSOR', '--pull', '--filter', 'orders.eu.>', '--ack', 'explicit', '--deliver', 'all', '--defaults');
    await cli('kv', 'add', 'config', '--history', '5');
    await cli('kv', 'put', 'config', 'orders.limit', '10');
    await cli('kv', 'put', 'config', 'app.name', 'demo');
    await cli('object', 'add', 'assets');
    const file = join(server.dir, 'logo.txt');
    writeFileSync(file, 'not really a logo');
    await cli('object', 'put', 'assets', file);
    await run('natsFlow.connection.add', { name: 'explorer', servers: server.url });
    assert.equal(a.connections.current.state, 'connected', JSON.stringify(a.connections.current.error));
  });

  suiteTeardown(async () => {
    if (ex && savedUi) ex.ui = savedUi;
    await vscode.workspace.getConfiguration('natsFlow.explorer').update('showSystemStreams', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await a?.connections.disconnect();
    await run('natsFlow.connection.remove', 'user:explorer', { confirmed: true });
    await server?.stop();
  });

  setup(() => {
    asked.length = 0;
    errors.length = 0;
    answer = false;
    if (ex) ex.lastError = undefined;
  });

  test('what natscli created appears under Server, Streams, KV Buckets and Object Stores with its facts', async () => {
    const kids = await profileChildren();
    assert.deepEqual(kids.map((n) => n.kind), ['server', 'streams', 'kvs', 'objs']);
    const srv = tree().getTreeItem(kids[0]);
    assert.equal(srv.label, 'Server vscode-explorer');
    // counted as the Streams node counts them: the KV_/OBJ_ backing streams apart
    assert.match(String(srv.description), new RegExp(`^v${server.version.replace(/\./g, '\\.')} · 1 stream \\(\\+2 KV/object\\)`));
    assert.match(tooltipText(srv), /JetStream account usage/);

    const streams = await tree().getChildren(await container('streams'));
    assert.deepEqual(streams.map((n) => n.kind === 'stream' && n.stream.name), ['ORDERS'], 'KV_config and OBJ_assets are hidden by default');
    const orders = tree().getTreeItem(streams[0]);
    assert.match(String(orders.description), /^10 msgs · \d+ B · 1 consumer$/);
    for (const fact of ['`orders.>`', '**Retention** limits', '**Storage** file', '**Replicas** 1', '**First** #1', '**Last** #10', '**Consumers** 1']) assert.ok(tooltipText(orders).includes(fact), `stream tooltip lacks ${fact}: ${tooltipText(orders)}`);
    assert.equal(orders.contextValue, 'stream');
    assert.equal(iconId(orders), 'database');

    const consumers = await tree().getChildren(streams[0]);
    assert.equal(consumers.length, 1);
    const proc = tree().getTreeItem(consumers[0]);
    assert.equal(proc.label, 'PROCESSOR');
    assert.match(String(proc.description), /^durable pull · 10 pending · 0 ack pending/);
    assert.ok(tooltipText(proc).includes('`orders.eu.>`'), tooltipText(proc));
    assert.ok(tooltipText(proc).includes('**Ack** explicit'), tooltipText(proc));
    // a 2.14 server has pause (2.11) and reset (2.14): the menus key on these flags
    assert.equal(proc.contextValue, 'consumer.running.pull.canPause.canReset');

    const buckets = await tree().getChildren(await container('kvs'));
    const config = buckets.find((n) => n.kind === 'kv' && n.bucket.bucket === 'config')!;
    assert.match(String(tree().getTreeItem(config).description), /^2 values · .* · history 5$/);
    const keys = await tree().getChildren(config);
    assert.deepEqual(keys.map((k) => (k.kind === 'kvKey' ? k.key : k.kind)).sort(), ['app.name', 'orders.limit']);
    assert.equal(tree().getTreeItem(keys[0]).command?.command, 'natsFlow.kv.get');

    const stores = await tree().getChildren(await container('objs'));
    assert.equal(stores.length, 1);
    const objects = await tree().getChildren(stores[0]);
    assert.equal(objects.length, 1);
    assert.ok(objects[0].kind === 'object' && objects[0].object.name.endsWith('logo.txt'), JSON.stringify(objects[0]));
    assert.match(String(tree().getTreeItem(objects[0]).description), /^17 B · /);
  });

  test('natsFlow.explorer.showSystemStreams shows the KV_ and OBJ_ backing streams', async () => {
    await vscode.workspace.getConfiguration('natsFlow.explorer').update('showSystemStreams', true, vscode.ConfigurationTarget.Global);
    try {
      const names = await waitFor('system streams listed', async () => {
        const n = (await tree().getChildren(await container('streams'))).map((s) => (s.kind === 'stream' ? s.stream.name : ''));
        return n.includes('KV_config') ? n : undefined;
      }, 15_000);
      assert.deepEqual(names.sort(), ['KV_config', 'OBJ_assets', 'ORDERS']);
      const kv = (await tree().getChildren(await container('streams'))).find((s) => s.kind === 'stream' && s.stream.name === 'KV_config')!;
      assert.equal(tree().getTreeItem(kv).contextValue, 'stream.system');
    } finally {
      await vscode.workspace.getConfiguration('natsFlow.explorer').update('showSystemStreams', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('a key filter set on a bucket lists only matching keys, and clears', async () => {
    await run('natsFlow.kv.setKeyFilter', { bucket: 'config', filter: 'orders.>' });
    const bucket = (await tree().getChildren(await container('kvs')))[0];
    assert.equal(bucket.kind === 'kv' && bucket.filter, 'orders.>');
    assert.match(String(tree().getTreeItem(bucket).description), /^\[orders\.>\]/);
    assert.deepEqual((await tree().getChildren(bucket)).map((k) => k.kind === 'kvKey' && k.key), ['orders.limit']);
    await run('natsFlow.kv.setKeyFilter', { bucket: 'config', filter: '' });
    const again = (await tree().getChildren(await container('kvs')))[0];
    assert.equal((await tree().getChildren(again)).length, 2);
  });

  test('create stream and consumer from arguments (confirmed): natscli sees them', async () => {
    const r = await run('natsFlow.stream.create', { stream: 'EVENTS', config: { subjects: ['events.>'], storage: 'file', num_replicas: 1, max_age: 3600 * 1e9 }, confirmed: true });
    assert.equal(r?.applied, true, ex.lastError);
    const info = await cliJson('stream', 'info', 'EVENTS');
    assert.deepEqual(info.config.subjects, ['events.>']);
    assert.equal(info.config.max_age, 3600 * 1e9);
    const c = await run('natsFlow.consumer.create', { stream: 'EVENTS', consumer: 'AUDIT', config: { ack_policy: 'explicit', filter_subject: 'events.audit.>', max_deliver: 5 }, confirmed: true });
    assert.equal(c?.applied, true, ex.lastError);
    const ci = await cliJson('consumer', 'info', 'EVENTS', 'AUDIT');
    assert.equal(ci.config.filter_subject, 'events.audit.>');
    assert.equal(ci.config.max_deliver, 5);
    assert.ok((await tree().getChildren(await container('streams'))).some((n) => n.kind === 'stream' && n.stream.name === 'EVENTS'), 'the tree lists the new stream');
    // a create that is not confirmed creates nothing
    const refused = await run('natsFlow.stream.create', { stream: 'NOPE', config: { subjects: ['nope.>'] } });
    assert.equal(refused?.applied, false);
    assert.match(asked[0].message, /Create stream "NOPE"\?/);
    assert.match(asked[0].detail, /nats stream add NOPE --subjects='nope\.>'/);
    assert.ok(await cliFails('stream', 'info', 'NOPE'));
  });

  test('edit shows the changes and applies only after confirmation; immutable changes are refused with the reason', async () => {
    const refused = await run('natsFlow.stream.edit', { stream: 'EVENTS', config: { max_msgs: 1000 } });
    assert.equal(refused?.applied, false);
    assert.equal(asked.at(-1)?.message, 'Apply 1 change to stream "EVENTS"?');
    assert.match(asked.at(-1)!.detail, /max_msgs: -1 → 1000/);
    assert.equal((await cliJson('stream', 'info', 'EVENTS')).config.max_msgs, -1, 'nothing changed when refused');

    const ok = await run('natsFlow.stream.edit', { stream: 'EVENTS', config: { max_msgs: 1000 }, confirmed: true });
    assert.equal(ok?.applied, true, ex.lastError);
    assert.equal((await cliJson('stream', 'info', 'EVENTS')).config.max_msgs, 1000);

    const immutable = await run('natsFlow.stream.edit', { stream: 'EVENTS', config: { storage: 'memory' }, confirmed: true });
    assert.equal(immutable?.applied, false);
    assert.match(immutable.reason, /storage \(storage type is fixed at creation\)/);
    assert.equal((await cliJson('stream', 'info', 'EVENTS')).config.storage, 'file');

    const consumerEdit = await run('natsFlow.consumer.edit', { stream: 'EVENTS', consumer: 'AUDIT', config: { max_deliver: 7 }, confirmed: true });
    assert.equal(consumerEdit?.applied, true, ex.lastError);
    assert.equal((await cliJson('consumer', 'info', 'EVENTS', 'AUDIT')).config.max_deliver, 7);
  });

  test('edit in the JSON config document: saving asks with the diff and applies after confirmation', async () => {
    const uri: vscode.Uri = await run('natsFlow.stream.edit', { stream: 'EVENTS' });
    assert.ok(uri, ex.lastError);
    assert.equal(uri.scheme, 'natsflow-config');
    assert.ok(uri.path.endsWith('EVENTS.nats-stream.json'), uri.path);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.languageId, 'json');
    const cfg = JSON.parse(doc.getText());
    assert.equal(cfg.name, 'EVENTS');
    cfg.description = 'edited in the document';
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), JSON.stringify(cfg, null, 2));
    assert.ok(await vscode.workspace.applyEdit(edit));
    answer = true;
    assert.ok(await doc.save(), 'saved');
    await waitFor('the description applied', async () => (await cliJson('stream', 'info', 'EVENTS')).config.description === 'edited in the document', 15_000);
    assert.equal(asked.at(-1)?.message, 'Apply 1 change to stream "EVENTS"?');
    assert.match(asked.at(-1)!.detail, /description: \(unset\) → "edited in the document"/);

    // the JSON schema (contributes.jsonValidation → media/schemas/stream.json) flags a bad enum
    const bad = new vscode.WorkspaceEdit();
    bad.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), JSON.stringify({ ...cfg, retention: 'forever' }, null, 2));
    await vscode.workspace.applyEdit(bad);
    const diags = await waitFor('schema diagnostics', () => {
      const d = vscode.languages.getDiagnostics(uri);
      return d.length ? d : undefined;
    }, 20_000);
    assert.ok(diags.some((d) => /limits|interest|workqueue|not accepted/i.test(d.message)), diags.map((d) => d.message).join('; '));
    await vscode.commands.executeCommand('workbench.action.files.revert');

    // a KV bucket config document, applied through the command
    const kvUri: vscode.Uri = await run('natsFlow.kv.edit', { bucket: 'config' });
    const kvDoc = await vscode.workspace.openTextDocument(kvUri);
    const kvCfg = JSON.parse(kvDoc.getText());
    assert.equal(kvCfg.history, 5);
    kvCfg.history = 10;
    const e2 = new vscode.WorkspaceEdit();
    e2.replace(kvUri, new vscode.Range(0, 0, kvDoc.lineCount, 0), JSON.stringify(kvCfg, null, 2));
    await vscode.workspace.applyEdit(e2);
    const r = await ex.applyDocument(kvUri, { confirmed: true });
    assert.equal(r.applied, true);
    assert.deepEqual(r.changes.map((c) => c.field), ['history']);
    assert.equal((await cliJson('stream', 'info', 'KV_config')).config.max_msgs_per_subject, 10);
  });

  test('a field removed in the document is removed on the server; human durations convert; a bad one is named', async () => {
    const uri: vscode.Uri = await run('natsFlow.stream.edit', { stream: 'EVENTS' });
    const doc = await vscode.workspace.openTextDocument(uri);
    const cfg = JSON.parse(doc.getText());
    assert.equal(cfg.description, 'edited in the document');
    assert.ok(!Object.keys(cfg.metadata ?? {}).some((k) => k.startsWith('_nats.')), 'the server\'s _nats metadata is not in the document');
    delete cfg.description;
    cfg.max_age = '2h';
    const put = async (c: unknown) => {
      const e = new vscode.WorkspaceEdit();
      e.replace(uri, new vscode.Range(0, 0, doc.lineCount, 0), JSON.stringify(c, null, 2));
      assert.ok(await vscode.workspace.applyEdit(e));
    };
    await put(cfg);
    const r = await ex.applyDocument(uri, { confirmed: true });
    assert.equal(r.applied, true, ex.lastError);
    assert.deepEqual(r.changes.map((c) => c.field).sort(), ['description', 'max_age']);
    assert.equal(r.notTaken, undefined, 'the server took every field');
    const info = (await cliJson('stream', 'info', 'EVENTS')).config;
    assert.equal(info.description, undefined, 'the removed description is gone on the server');
    assert.equal(info.max_age, 2 * 3600 * 1e9);

    await put({ ...cfg, max_age: '1 hour' });
    await assert.rejects(ex.applyDocument(uri, { confirmed: true }), /max_age is "1 hour": expected a duration in nanoseconds/);
    assert.equal((await cliJson('stream', 'info', 'EVENTS')).config.max_age, 2 * 3600 * 1e9, 'nothing sent');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('delete asks, naming the object, and deletes nothing when refused; confirmed deletes', async () => {
    const refused = await run('natsFlow.consumer.delete', { stream: 'EVENTS', consumer: 'AUDIT' });
    assert.deepEqual(refused, { deleted: false });
    assert.equal(asked[0].message, 'Delete consumer "AUDIT" of stream "EVENTS"?');
    await cliJson('consumer', 'info', 'EVENTS', 'AUDIT');
    assert.deepEqual(await run('natsFlow.consumer.delete', { stream: 'EVENTS', consumer: 'AUDIT', confirmed: true }), { deleted: true });
    assert.ok(await cliFails('consumer', 'info', 'EVENTS', 'AUDIT'));

    // from the tree node, the way the context menu calls it
    const node = await streamNode('EVENTS');
    assert.deepEqual(await run('natsFlow.stream.delete', node), { deleted: false });
    assert.equal(asked[1].message, 'Delete stream "EVENTS"?');
    assert.match(asked[1].detail, /cannot be undone/);
    await cliJson('stream', 'info', 'EVENTS');
    assert.deepEqual(await run('natsFlow.stream.delete', node, { confirmed: true }), { deleted: true });
    assert.ok(!(await cliJson<string[]>('stream', 'ls')).includes('EVENTS'));

    await run('natsFlow.kv.create', { bucket: 'scratch', config: { history: 1 }, confirmed: true });
    await run('natsFlow.obj.create', { store: 'blobs', config: {}, confirmed: true });
    assert.ok((await cli('kv', 'ls', '--names')).includes('scratch'));
    assert.deepEqual(await run('natsFlow.kv.delete', { bucket: 'scratch' }), { deleted: false });
    assert.match(asked.at(-1)!.message, /Delete KV bucket "scratch"\?/);
    assert.deepEqual(await run('natsFlow.kv.delete', { bucket: 'scratch', confirmed: true }), { deleted: true });
    assert.deepEqual(await run('natsFlow.obj.delete', { store: 'blobs', confirmed: true }), { deleted: true });
    assert.ok(!(await cli('kv', 'ls', '--names')).includes('scratch'));
    assert.ok(!(await cli('object', 'ls', '--names')).includes('blobs'));
  });

  test('purge: refused changes nothing; by subject, keep N, below a sequence, then all', async () => {
    await cli('stream', 'add', 'PURGE', '--subjects', 'p.>', '--storage', 'memory', '--replicas', '1', '--defaults');
    await cli('pub', 'p.a', 'a', '--count', '10');
    await cli('pub', 'p.b', 'b', '--count', '10');
    const msgs = async () => (await cliJson('stream', 'info', 'PURGE')).state.messages as number;

    assert.deepEqual(await run('natsFlow.stream.purge', { stream: 'PURGE', filter: 'p.a' }), { purged: 0, confirmed: false });
    assert.equal(asked[0].message, 'Purge messages on "p.a" from stream "PURGE"?');
    assert.equal(await msgs(), 20);

    assert.equal((await run('natsFlow.stream.purge', { stream: 'PURGE', filter: 'p.a', confirmed: true }))?.purged, 10);
    assert.equal(await msgs(), 10);
    assert.equal((await run('natsFlow.stream.purge', { stream: 'PURGE', keep: 3, confirmed: true }))?.purged, 7);
    assert.equal(ex.lastConfirm?.message, 'Purge all messages except the newest 3 from stream "PURGE"?');
    assert.equal((await cliJson('stream', 'info', 'PURGE')).state.first_seq, 18);
    assert.equal((await run('natsFlow.stream.purge', { stream: 'PURGE', untilSeq: 20, confirmed: true }))?.purged, 2);
    assert.equal((await cliJson('stream', 'info', 'PURGE')).state.first_seq, 20);
    assert.equal((await run('natsFlow.stream.purge', { stream: 'PURGE', confirmed: true }))?.purged, 1);
    assert.equal(await msgs(), 0);
  });

  test('messages: get by sequence, last on a subject, delete one only after confirmation', async () => {
    const m = await run('natsFlow.message.get', { stream: 'ORDERS', seq: 3, show: false });
    assert.equal(m.subject, 'orders.eu.1');
    assert.equal(m.text, 'hello 3');
    const last = await run('natsFlow.message.getLast', { stream: 'ORDERS', subject: 'orders.eu.1', show: false });
    assert.equal(last.seq, 10);
    assert.deepEqual(await run('natsFlow.message.delete', { stream: 'ORDERS', seq: 3 }), { deleted: false });
    assert.equal(asked[0].message, 'Delete message #3 from stream "ORDERS"?');
    assert.equal((await cliJson('stream', 'info', 'ORDERS')).state.messages, 10);
    assert.deepEqual(await run('natsFlow.message.delete', { stream: 'ORDERS', seq: 3, confirmed: true }), { deleted: true });
    assert.equal((await cliJson('stream', 'info', 'ORDERS')).state.messages, 9);
    assert.equal(await run('natsFlow.message.get', { stream: 'ORDERS', seq: 3, show: false }), undefined);
    assert.match(ex.lastError ?? '', /no message with sequence 3/);
  });

  test('KV: put, CAS update, a stale revision is refused with a clear message, create refuses existing keys, history shows operations', async () => {
    const { revision: r1 } = await run('natsFlow.kv.put', { bucket: 'config', key: 'feature.x', value: 'on' });
    const { revision: r2 } = await run('natsFlow.kv.update', { bucket: 'config', key: 'feature.x', value: 'off', revision: r1 });
    assert.ok(r2 > r1);
    const stale = await run('natsFlow.kv.update', { bucket: 'config', key: 'feature.x', value: 'lost', revision: r1 });
    assert.equal(stale, undefined, 'a stale update is refused');
    assert.match(ex.lastError ?? '', new RegExp(`key "feature.x" in bucket config changed: expected revision ${r1}, current revision is ${r2}`));
    assert.match(ex.lastError ?? '', /reload the value/i, 'the hint is shown too');
    assert.equal(errors.at(-1), ex.lastError);
    assert.equal((await cli('kv', 'get', 'config', 'feature.x', '--raw')).trim(), 'off');

    assert.equal(await run('natsFlow.kv.createKey', { bucket: 'config', key: 'feature.x', value: 'again' }), undefined);
    assert.match(ex.lastError ?? '', /already exists/);

    const got = await run('natsFlow.kv.get', { bucket: 'config', key: 'feature.x', show: false });
    assert.equal(got.text, 'off');
    assert.deepEqual(await run('natsFlow.kv.deleteKey', { bucket: 'config', key: 'feature.x' }), { deleted: false });
    assert.equal(asked[0].message, 'Delete key "feature.x" from KV bucket "config"?');
    assert.deepEqual(await run('natsFlow.kv.deleteKey', { bucket: 'config', key: 'feature.x', confirmed: true }), { deleted: true });
    const history = await run('natsFlow.kv.history', { bucket: 'config', key: 'feature.x', show: false });
    assert.deepEqual(history.map((e: { operation: string }) => e.operation), ['PUT', 'PUT', 'DEL']);
    assert.deepEqual(history.map((e: { text?: string }) => e.text), ['on', 'off', undefined]);
    assert.deepEqual(await run('natsFlow.kv.purgeKey', { bucket: 'config', key: 'feature.x', confirmed: true }), { purged: true });
    assert.deepEqual((await run('natsFlow.kv.history', { bucket: 'config', key: 'feature.x', show: false })).map((e: { operation: string }) => e.operation), ['PURGE']);
  });

  test('consumer pause shows the pause icon, resume clears it, reset restarts at a sequence (2.14)', async () => {
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const p = await run('natsFlow.consumer.pause', { stream: 'ORDERS', consumer: 'PROCESSOR', until });
    assert.equal(p?.paused, true, ex.lastError);
    assert.equal((await cliJson('consumer', 'info', 'ORDERS', 'PROCESSOR')).paused, true);
    const item = tree().getTreeItem((await tree().getChildren(await streamNode('ORDERS')))[0]);
    assert.equal(iconId(item), 'debug-pause');
    assert.equal(iconColor(item), 'charts.yellow');
    assert.match(String(item.contextValue), /^consumer\.paused\./);
    assert.match(String(item.description), /paused for (59m|1h)/);
    assert.deepEqual(await run('natsFlow.consumer.resume', { stream: 'ORDERS', consumer: 'PROCESSOR' }), { paused: false });
    assert.notEqual((await cliJson('consumer', 'info', 'ORDERS', 'PROCESSOR')).paused, true);
    const reset = await run('natsFlow.consumer.reset', { stream: 'ORDERS', consumer: 'PROCESSOR', seq: 5, confirmed: true });
    assert.deepEqual(reset, { resetSeq: 5 }, ex.lastError);
  });

  test('copy as nats CLI command and copy name put the text on the clipboard', async () => {
    const text: string = await run('natsFlow.stream.copyCliCommand', { stream: 'ORDERS' });
    assert.match(text, /^nats stream add ORDERS --subjects='orders\.>' --storage=file --replicas=1 --retention=limits/);
    assert.equal(await vscode.env.clipboard.readText(), text);
    const ctext: string = await run('natsFlow.consumer.copyCliCommand', { stream: 'ORDERS', consumer: 'PROCESSOR' });
    assert.match(ctext, /^nats consumer add ORDERS PROCESSOR --pull --ack=explicit/);
    assert.match(ctext, /--filter='orders\.eu\.>'/);
    const node = await streamNode('ORDERS');
    assert.equal(await run('natsFlow.explorer.copyName', node), 'ORDERS');
    assert.equal(await vscode.env.clipboard.readText(), 'ORDERS');
  });

  test('objects: put a file, open a text object read-only, save one, replace and delete only after a modal naming it', async () => {
    const file = join(server.dir, 'notes.txt');
    writeFileSync(file, 'hello from vscode\n');
    const put = await run('natsFlow.object.put', { store: 'assets', name: 'docs/notes.txt', file });
    assert.equal(put?.put, true, ex.lastError);
    assert.equal(put.info.size, 18);
    assert.match(await cli('object', 'ls', 'assets'), /docs\/notes\.txt/);
    const out = join(server.dir, 'from-cli.txt');
    await cli('object', 'get', 'assets', 'docs/notes.txt', '--output', out, '--force');
    assert.equal(readFileSync(out, 'utf8'), 'hello from vscode\n', 'natscli reads what the command put');

    // a text object opens read-only in an editor
    const got = await run('natsFlow.object.get', { store: 'assets', name: 'docs/notes.txt' });
    assert.equal(got?.text, 'hello from vscode\n', ex.lastError);
    const editor = await waitFor('the object editor', () => vscode.window.activeTextEditor?.document.uri.scheme === 'natsflow-view' && vscode.window.activeTextEditor, 15_000);
    assert.equal(editor.document.getText(), 'hello from vscode\n');
    assert.match(editor.document.uri.path, /assets notes\.txt$/);
    // saving: to a given file (the save dialog's answer)
    const binary = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 13) % 256));
    writeFileSync(join(server.dir, 'blob.bin'), binary);
    await cli('object', 'put', 'assets', join(server.dir, 'blob.bin'), '--name', 'blob.bin', '--force');
    const target = join(server.dir, 'saved.bin');
    const saved = await run('natsFlow.object.save', { store: 'assets', name: 'blob.bin', file: target });
    assert.equal(saved?.file, target, ex.lastError);
    assert.deepEqual(readFileSync(target), binary, 'the bytes natscli put are the bytes saved');

    // replacing asks first; refused keeps the old content
    writeFileSync(file, 'v2');
    assert.deepEqual(await run('natsFlow.object.put', { store: 'assets', name: 'docs/notes.txt', file }), { put: false });
    assert.equal(asked.at(-1)?.message, 'Replace object "docs/notes.txt" in object store "assets"?');
    assert.equal((await run('natsFlow.object.get', { store: 'assets', name: 'docs/notes.txt', show: false })).text, 'hello from vscode\n');
    assert.equal((await run('natsFlow.object.put', { store: 'assets', name: 'docs/notes.txt', file, confirmed: true }))?.put, true);
    await cli('object', 'get', 'assets', 'docs/notes.txt', '--output', out, '--force');
    assert.equal(readFileSync(out, 'utf8'), 'v2');

    // delete from the tree node, the way the context menu calls it
    const store = (await tree().getChildren(await container('objs')))[0]!;
    const objects = await tree().getChildren(store);
    const node = objects.find((n) => n.kind === 'object' && n.object.name === 'docs/notes.txt');
    assert.ok(node, `docs/notes.txt in the tree: ${JSON.stringify(objects.map((o) => o.kind === 'object' && o.object.name))}`);
    assert.equal(tree().getTreeItem(node).contextValue, 'object');
    assert.deepEqual(await run('natsFlow.object.delete', node), { deleted: false });
    assert.equal(asked.at(-1)?.message, 'Delete object "docs/notes.txt" from object store "assets"?');
    assert.match(await cli('object', 'ls', 'assets'), /docs\/notes\.txt/, 'refused: still there');
    assert.deepEqual(await run('natsFlow.object.delete', node, { confirmed: true }), { deleted: true });
    assert.deepEqual(await run('natsFlow.object.delete', { store: 'assets', name: 'blob.bin', confirmed: true }), { deleted: true });
    const ls = await cli('object', 'ls', 'assets');
    assert.doesNotMatch(ls, /docs\/notes\.txt|blob\.bin/);
    assert.equal((await tree().getChildren(store)).filter((n) => n.kind === 'object').length, 1, 'the tree lists only logo.txt again');
    // a missing object is an error naming it
    assert.equal(await run('natsFlow.object.get', { store: 'assets', name: 'nope.txt', show: false }), undefined);
    assert.match(ex.lastError ?? '', /object store assets has no object "nope\.txt"/);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('stream and consumer reports open as a sortable webview table and return the rows they show', async () => {
    const t = await run('natsFlow.explorer.streamReport', { sort: 'Messages', show: false });
    assert.deepEqual(t.columns.map((c: { id: string }) => c.id).slice(0, 7), ['name', 'subjects', 'storage', 'replicas', 'consumers', 'messages', 'bytes']);
    assert.deepEqual(t.sort, { column: 'messages', descending: true }, 'numeric columns sort descending, as natscli');
    assert.deepEqual(t.rows.map((r: { id: string }) => r.id), ['ORDERS', 'PURGE']);
    const messages = t.columns.findIndex((c: { id: string }) => c.id === 'messages');
    assert.deepEqual(t.rows.map((r: { cells: { sort: number }[] }) => r.cells[messages]!.sort), [9, 0]);
    const asc = await run('natsFlow.explorer.streamReport', { sort: 'messages', descending: false, show: false });
    assert.deepEqual(asc.rows.map((r: { id: string }) => r.id), ['PURGE', 'ORDERS']);
    const c = await run('natsFlow.explorer.consumerReport', { stream: 'ORDERS', sort: 'pending', show: false });
    assert.equal(c.rows[0].id, 'PROCESSOR');
    const col = (id: string) => c.columns.findIndex((x: { id: string }) => x.id === id);
    assert.equal(c.rows[0].cells[col('type')].text, 'pull');
    assert.equal(c.rows[0].cells[col('mode')].text, 'durable');
    assert.equal(c.rows[0].cells[col('filter')].text, 'orders.eu.>');
    assert.equal(await run('natsFlow.explorer.streamReport', { sort: 'nope', show: false }), undefined);
    assert.match(ex.lastError ?? '', /cannot sort by "nope"/);

    // the panel: the webview renders the rows, and Refresh re-reads the server
    await run('natsFlow.explorer.streamReport', { sort: 'bytes' });
    const panel = await waitFor('the stream report panel', () => ex.report('streams'), 15_000);
    const rendered = await waitFor('report/rendered from the webview', () => panel.lastRendered, 30_000);
    assert.deepEqual(rendered, { kind: 'streams', rows: 2, shown: 2, sort: { column: 'bytes', descending: true }, filter: '' });
    await cli('pub', 'p.a', 'again', '--count', '3');
    const next = await panel.handlers['report/refresh']({});
    assert.equal(next.rows.find((r) => r.id === 'PURGE')!.cells[messages]!.sort, 3, 'refresh reads the server again');
    assert.deepEqual(panel.host.stats.webviewErrors, []);
    await run('natsFlow.explorer.consumerReport', { stream: 'ORDERS' });
    const cpanel = await waitFor('the consumer report panel', () => ex.report('consumers/ORDERS'), 15_000);
    assert.equal((await waitFor('consumer report rendered', () => cpanel.lastRendered, 30_000)).rows, 1);
    panel.dispose();
    cpanel.dispose();
    assert.equal(ex.report('streams'), undefined, 'closing disposes the panel');
  });

  test('600 streams: the first page shows 256 and "Load more (N remaining)", loading more brings all; refresh lists only what is expanded', async () => {
    const nc = await connect({ servers: server.url });
    try {
      const jsm = await jetstreamManager(nc);
      for (let i = 0; i < 600; i += 50) {
        await Promise.all(Array.from({ length: 50 }, (_, j) => jsm.streams.add({ name: `BULK_${String(i + j).padStart(3, '0')}`, subjects: [`bulk.${i + j}`], storage: 'memory' as never })));
      }
    } finally {
      await nc.close();
    }
    const expected = 600 + 2; // + ORDERS and PURGE (KV_/OBJ_ hidden)
    tree().refresh();
    const streams = await container('streams');
    const first = await tree().getChildren(streams);
    assert.equal(first.filter((n) => n.kind === 'stream').length, 256);
    const more = first.at(-1)!;
    assert.equal(more.kind, 'loadMore');
    assert.equal(tree().getTreeItem(more).label, `Load more (${expected - 256} remaining)`);
    assert.equal(tree().getTreeItem(more).command?.command, 'natsFlow.explorer.loadMore');
    await run(tree().getTreeItem(more).command!.command, ...(tree().getTreeItem(more).command!.arguments ?? []));
    const second = await tree().getChildren(streams);
    assert.equal(second.filter((n) => n.kind === 'stream').length, 512);
    assert.equal(tree().getTreeItem(second.at(-1)!).label, `Load more (${expected - 512} remaining)`);
    await run('natsFlow.explorer.loadMore', 'streams');
    const all = await tree().getChildren(streams);
    assert.equal(all.filter((n) => n.kind === 'stream').length, expected);
    assert.notEqual(all.at(-1)!.kind, 'loadMore');

    // a refresh keeps what was shown (3 pages) and asks nothing about collapsed streams' consumers
    const before = new Map(tree().requests);
    tree().refresh();
    const t0 = Date.now();
    const again = await tree().getChildren(streams);
    const ms = Date.now() - t0;
    assert.equal(again.filter((n) => n.kind === 'stream').length, expected);
    assert.equal((tree().requests.get('streams') ?? 0) - (before.get('streams') ?? 0), 3, 'one STREAM.LIST per page');
    assert.ok(![...tree().requests.keys()].some((k) => k.startsWith('consumers/BULK_')), 'no consumer list for collapsed streams');
    console.log(`refresh of ${expected} streams (3 pages) took ${ms} ms`);
  });

  test('the interval refresh fires while the view is visible and stops at 0', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.natsFlow');
    let fired = 0;
    const sub = tree().onDidChangeTreeData(() => fired++);
    try {
      await vscode.workspace.getConfiguration('natsFlow.explorer').update('refreshIntervalSeconds', 2, vscode.ConfigurationTarget.Global);
      await waitFor('an interval refresh', () => fired > 0, 6000);
      await vscode.workspace.getConfiguration('natsFlow.explorer').update('refreshIntervalSeconds', undefined, vscode.ConfigurationTarget.Global);
      await new Promise((r) => setTimeout(r, 300));
      const after = fired;
      await new Promise((r) => setTimeout(r, 2500));
      assert.equal(fired, after, 'no refresh after the interval went back to 0');
    } finally {
      sub.dispose();
      await vscode.workspace.getConfiguration('natsFlow.explorer').update('refreshIntervalSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('on a 2.9 server pause and reset are hidden (context value) and refused with the reason', async function () {
    const old = findNatsServer29();
    if (!old) return this.skip();
    const s29 = await startNatsServer({ binary: old.path, serverName: 'vscode-explorer-29' });
    try {
      const r = await natsCli(['stream', 'add', 'OLD', '--subjects', 'old.>', '--storage', 'file', '--replicas', '1', '--defaults'], { server: s29 });
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await natsCli(['consumer', 'add', 'OLD', 'C1', '--pull', '--ack', 'explicit', '--deliver', 'all', '--defaults'], { server: s29 })).code, 0);
      await run('natsFlow.connection.add', { name: 'explorer29', servers: s29.url });
      assert.equal(a.connections.current.server?.version, old.version);
      const root = await tree().getChildren();
      const profile = root.find((n) => n.kind === 'profile' && n.profileId === 'user:explorer29')!;
      const streams = (await tree().getChildren(profile)).find((n) => n.kind === 'streams')!;
      const oldStream = (await tree().getChildren(streams)).find((n) => n.kind === 'stream' && n.stream.name === 'OLD')!;
      const consumer = (await tree().getChildren(oldStream))[0];
      assert.equal(tree().getTreeItem(consumer).contextValue, 'consumer.running.pull');
      assert.match(tooltipText(tree().getTreeItem((await tree().getChildren(profile))[0])), /pause: needs nats-server 2\.11 or later; connected to 2\.9/);
      assert.equal(await run('natsFlow.consumer.pause', { stream: 'OLD', consumer: 'C1', until: Date.now() + 60_000 }), undefined);
      assert.match(ex.lastError ?? '', /Pausing a consumer is not available: it needs nats-server 2\.11 or later; connected to 2\.9/);
      assert.equal(await run('natsFlow.consumer.reset', { stream: 'OLD', consumer: 'C1', confirmed: true }), undefined);
      assert.match(ex.lastError ?? '', /needs nats-server 2\.14 or later/);
    } finally {
      await a.connections.disconnect();
      await run('natsFlow.connection.remove', 'user:explorer29', { confirmed: true });
      await s29.stop();
    }
  });
});
