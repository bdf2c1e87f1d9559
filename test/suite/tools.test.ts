/**
 * The read-only catalog language model tools in a real VS Code against a real nats-server:
 * registered, answering from the server, asking for confirmation that names the target, and
 * never carrying the server URL or credentials.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { lintDesignText } from '../../src/core/design';
import { natsCliOn, startNatsServer, type NatsServer } from '../helpers/natsServer';
import type { NatsFlowApi } from '../../src/vscode/extension';
import { CATALOG_TOOL_NAMES, CatalogTool, TOOL_SPECS } from '../../src/vscode/tools/catalogTools';
import { DESIGN_LINT_TOOL, DesignLintTool } from '../../src/vscode/tools/designLintTool';
import { api } from '../helpers/vscodeSuite';

const run = (id: string, ...args: unknown[]) => vscode.commands.executeCommand<any>(id, ...args);

suite('Language model tools over the catalog', function () {
  this.timeout(120_000);
  let server: NatsServer;
  let a: NatsFlowApi;
  const { cli } = natsCliOn(() => server);

  const invoke = async (name: string, input: object) => {
    const r = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
    const parts = r.content.filter((p): p is vscode.LanguageModelTextPart => p instanceof vscode.LanguageModelTextPart).map((p) => p.value);
    assert.equal(parts.length, 2, 'summary + JSON');
    assert.ok(!parts.join('\n').includes(String(server.port)), 'no server URL in the result');
    assert.ok(!/s3cr3t/.test(parts.join('\n')), 'no password in the result');
    return { summary: parts[0], json: JSON.parse(parts[1]) };
  };

  suiteSetup(async function () {
    if (typeof vscode.lm?.invokeTool !== 'function') this.skip();
    server = await startNatsServer({ serverName: 'vscode-tools', user: 'app', password: 's3cr3t' });
    a = await api();
    await cli('stream', 'add', 'ORDERS', '--subjects', 'orders.>', '--defaults');
    await cli('pub', 'orders.created', 'x', '--count', '3');
    await cli('consumer', 'add', 'ORDERS', 'worker', '--pull', '--defaults');
    await cli('kv', 'add', 'sessions');
    await cli('kv', 'put', 'sessions', 'user.1', 'hello');
    await run('natsFlow.connection.add', { name: 'tools', servers: server.url, auth: 'userPassword', user: 'app', password: 's3cr3t' });
    assert.equal(a.connections.current.state, 'connected', JSON.stringify(a.connections.current.error));
  });

  suiteTeardown(async () => {
    await a?.connections.disconnect();
    await run('natsFlow.connection.remove', 'user:tools', { confirmed: true });
    await server?.stop();
  });

  test('the four catalog tools and the design lint tool are registered, with input schemas', () => {
    assert.deepEqual(a.tools, [...Object.values(CATALOG_TOOL_NAMES), DESIGN_LINT_TOOL]);
    for (const name of [...Object.values(CATALOG_TOOL_NAMES), DESIGN_LINT_TOOL]) assert.ok(vscode.lm.tools.find((t) => t.name === name)?.inputSchema, name);
  });

  test('list streams, stream info, consumer info and KV get answer from the server', async () => {
    const list = await invoke(CATALOG_TOOL_NAMES.listStreams, {});
    assert.deepEqual(list.json.result.map((s: { name: string }) => s.name), ['ORDERS']);
    assert.equal(list.json.server, 'vscode-tools');
    assert.equal((await invoke(CATALOG_TOOL_NAMES.listStreams, { subject: 'payments.x' })).json.result.length, 0);
    const stream = await invoke(CATALOG_TOOL_NAMES.streamInfo, { stream: 'ORDERS' });
    assert.equal(stream.json.result.messages, 3);
    const consumer = await invoke(CATALOG_TOOL_NAMES.consumerInfo, { stream: 'ORDERS', consumer: 'worker' });
    assert.equal(consumer.json.result.numPending, 3);
    assert.equal(consumer.json.result.ackPolicy, 'explicit');
    const kv = await invoke(CATALOG_TOOL_NAMES.kvGet, { bucket: 'sessions', key: 'user.1' });
    assert.deepEqual({ value: kv.json.result.value, revision: kv.json.result.revision, found: kv.json.result.found }, { value: 'hello', revision: 1, found: true });
    assert.equal((await invoke(CATALOG_TOOL_NAMES.kvGet, { bucket: 'sessions', key: 'user.9' })).json.result.found, false);
  });

  test('each asks for confirmation naming what it reads and where; bad input is refused', async () => {
    const tool = new CatalogTool(TOOL_SPECS[CATALOG_TOOL_NAMES.kvGet], { connections: a.connections, tree: a.tree });
    const prepared = tool.prepareInvocation({ input: { bucket: 'sessions', key: 'user.1' } } as never) as vscode.PreparedToolInvocation;
    assert.equal(prepared.confirmationMessages?.title, 'NATS: Read key "user.1" of KV bucket sessions');
    assert.match((prepared.confirmationMessages?.message as vscode.MarkdownString).value, /on \*\*tools\*\* \(read-only\)/);
    await assert.rejects(Promise.resolve(vscode.lm.invokeTool(CATALOG_TOOL_NAMES.streamInfo, { input: {}, toolInvocationToken: undefined })), /stream/);
    await assert.rejects(Promise.resolve(vscode.lm.invokeTool(CATALOG_TOOL_NAMES.streamInfo, { input: { stream: 'NOPE' }, toolInvocationToken: undefined })), /stream NOPE does not exist/);
  });

  test('lint a design: findings of a workspace *.natsflow.json as text + JSON; confirmation names the file; bad files are refused clearly', async () => {
    const lint = async (input: object) => {
      const r = await vscode.lm.invokeTool(DESIGN_LINT_TOOL, { input, toolInvocationToken: undefined });
      const parts = r.content.filter((p): p is vscode.LanguageModelTextPart => p instanceof vscode.LanguageModelTextPart).map((p) => p.value);
      assert.equal(parts.length, 2, 'summary + JSON');
      return { summary: parts[0], json: JSON.parse(parts[1]) };
    };
    // the example, copied into the workspace folder the tool reads from
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the test VS Code has a workspace folder');
    const example = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'overmind.natsflow.json'), 'utf8');
    const file = 'nf-lint-tool/overmind.natsflow.json';
    const target = vscode.Uri.joinPath(folder.uri, file);
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(example));
    try {
      const ok = await lint({ path: file });
      assert.equal(ok.json.file, file);
      assert.equal(ok.json.valid, true);
      assert.deepEqual(ok.json, lintDesignText(file, example).report);
      assert.ok(ok.summary.startsWith(`${file}: `), ok.summary);
      // a design with a finding the linter must report: a flat subject
      const design = JSON.parse(example);
      design.paths[0].subject = 'routing';
      const withFinding = await lint({ text: JSON.stringify(design) });
      assert.ok(withFinding.json.findings.some((f: { rule: string; location: { pointer?: string } }) => f.rule === 'subject-flat' && f.location.pointer === '/paths/0/subject'), withFinding.summary);
      assert.match(withFinding.summary, /subject-flat at \/paths\/0\/subject/);
      const absolute = await lint({ path: target.fsPath });
      assert.equal(absolute.json.file, file);
    } finally {
      await vscode.workspace.fs.delete(vscode.Uri.joinPath(folder.uri, 'nf-lint-tool'), { recursive: true });
    }
    const broken = await lint({ text: '{"version": 1, "paths": [' });
    assert.equal(broken.json.valid, false);
    assert.match(broken.summary, /not a valid design/);
    assert.match(broken.json.problems[0].message, /JSON syntax/);
    const prepared = new DesignLintTool().prepareInvocation({ input: { path: 'designs/a.natsflow.json' } } as never) as vscode.PreparedToolInvocation;
    assert.equal(prepared.confirmationMessages?.title, 'NATS: Lint the design designs/a.natsflow.json');
    await assert.rejects(Promise.resolve(vscode.lm.invokeTool(DESIGN_LINT_TOOL, { input: { path: 'examples/missing.natsflow.json' }, toolInvocationToken: undefined })), /Design file examples\/missing\.natsflow\.json does not exist/);
    await assert.rejects(Promise.resolve(vscode.lm.invokeTool(DESIGN_LINT_TOOL, { input: { path: 'package.json' }, toolInvocationToken: undefined })), /not a design file/);
    await assert.rejects(Promise.resolve(vscode.lm.invokeTool(DESIGN_LINT_TOOL, { input: {}, toolInvocationToken: undefined })), /give "path"/);
  });
});
