import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

suite('probe lm', () => {
  test('probe', async () => {
    const ext = vscode.extensions.getExtension('nats-flow-test.fake-lm');
    assert.ok(ext, 'fake-lm not loaded');
    const fake = (await ext.activate()) as { reply(m: string, t: string): void; state: { requests: unknown[] } };
    fake.reply('json', '{"hello": 1}');
    const models = await vscode.lm.selectChatModels({ vendor: 'nats-flow-test' });
    console.log('[nats-flow-test] models', models.length, JSON.stringify(models.map((m) => [m.id, m.vendor, m.family, m.name])));
    assert.ok(models.length > 0);
    const r = await models[0]!.sendRequest([vscode.LanguageModelChatMessage.User('hi there')], {}, new vscode.CancellationTokenSource().token);
    let text = '';
    for await (const p of r.text) text += p;
    console.log('[nats-flow-test] reply', text, fake.state.requests.length);
    assert.equal(text, '{"hello": 1}');
  });
});
