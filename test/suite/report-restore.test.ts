/**
 * After a window reload VS Code hands saved report panels back: connected, the report is
 * read from the server again (not the saved rows); not connected, the saved rows come back
 * marked as saved; a tampered state closes the panel.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { natsCli, startNatsServer, type NatsServer } from '../helpers/natsServer';
import { api, extension, waitFor } from '../helpers/vscodeSuite';
import { REPORT_VIEW_TYPE, ReportPanel } from '../../src/vscode/explorer/reportPanel';
import type { ReportViewState } from '../../src/shared/protocol';

suite('Report panel restore', function () {
  this.timeout(90_000);
  let server: NatsServer;
  let saved: ReportViewState;
  const names = (s: ReportViewState) => s.rows.map((r) => r.id).sort();
  const read = async (_kind: string, _stream: string, sort: { by: string; descending?: boolean }) =>
    (await vscode.commands.executeCommand<ReportViewState>('natsFlow.explorer.streamReport', { show: false, sort: sort.by, descending: sort.descending }))!;
  const newPanel = () => vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, 'restored', vscode.ViewColumn.One, {});

  suiteSetup(async () => {
    server = await startNatsServer({ serverName: 'vscode-report' });
    assert.equal((await natsCli(['stream', 'add', 'ORDERS', '--subjects', 'orders.>', '--defaults'], { server })).code, 0);
    const a = await api();
    await vscode.commands.executeCommand('natsFlow.connection.add', { name: 'report', servers: server.url });
    assert.equal(a.connections.current.state, 'connected');
    saved = await vscode.commands.executeCommand<ReportViewState>('natsFlow.explorer.streamReport', { show: false });
    assert.deepEqual(names(saved), ['ORDERS']);
  });
  suiteTeardown(async () => {
    for (const p of ReportPanel.all()) p.dispose();
    await (await api()).connections.disconnect();
    await vscode.commands.executeCommand('natsFlow.connection.remove', 'user:report', { confirmed: true });
    await server?.stop();
  });

  test('connected: the restored report reads the server again and renders', async () => {
    assert.equal((await natsCli(['stream', 'add', 'EVENTS', '--subjects', 'events.>', '--defaults'], { server })).code, 0);
    const panel = await ReportPanel.restore(newPanel(), extension().extensionUri, { view: saved, filter: '' }, { connected: () => true, read });
    assert.ok(panel);
    assert.deepEqual(names(panel.viewState), ['EVENTS', 'ORDERS'], 'rows come from the server, not the saved state');
    assert.ok(!panel.viewState.subtitle.includes('saved view'));
    const rendered = await waitFor('the restored report to render', () => panel.lastRendered, 30_000);
    assert.equal(rendered.rows, 2);
    panel.dispose();
  });

  test('not connected: the saved rows come back marked as saved, and Refresh reads the server', async () => {
    const panel = await ReportPanel.restore(newPanel(), extension().extensionUri, { view: saved }, { connected: () => false, read });
    assert.ok(panel);
    assert.deepEqual(names(panel.viewState), ['ORDERS']);
    assert.match(panel.viewState.subtitle, /saved view/);
    const fresh = (await panel.handlers['report/refresh']({} as never)) as ReportViewState;
    assert.deepEqual(names(fresh), ['EVENTS', 'ORDERS']);
    panel.dispose();
  });

  test('a tampered state is not shown: the panel is closed', async () => {
    const p = newPanel();
    let closed = false;
    p.onDidDispose(() => (closed = true));
    const panel = await ReportPanel.restore(p, extension().extensionUri, { view: { ...saved, rows: 'not rows' } }, { connected: () => true, read });
    assert.equal(panel, undefined);
    assert.ok(closed);
  });
});
