/**
 * A KV watch survives a real window reload (code-server + Chromium): opened from the palette,
 * it shows the live marker and a change; after "Developer: Reload Window" VS Code hands the panel back
 * through the serializer with what the webview saved, and the watch resumes from the last
 * revision it showed (a "resumed" marker, no replay of the current values) and the next change
 * is still a transition from the value before the reload (re-read from the bucket).
 *
 *   node scripts/build.mjs && node --import tsx --test test/ui/tail.test.ts
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Kvm, type KV } from '@nats-io/kv';
import { startNatsServer, type NatsServer } from '../helpers/natsServer';
import { answerInputBox, answerQuickPick, localConnected, quickInput, say, startUiConnected, uiTest, webview, wb, type Ui } from './harness';

let nats: NatsServer;
let nc: NatsConnection;
let kv: KV;
let ui: Ui | undefined;

before(async () => {
  nats = await startNatsServer();
  nc = await connect({ servers: nats.url });
  kv = await new Kvm(nc).create('uiflags', { history: 5 });
  await kv.put('color', 'red');
  say(`nats-server ${nats.version} ${nats.url}`);
  ui = await startUiConnected(nats);
});

after(async () => {
  await ui?.stop();
  await nc?.close();
  await nats?.stop();
});

uiTest(
  () => ui,
  'a KV watch comes back after a window reload where it was: resumed marker, no replayed values, and the next change shows the value from before the reload',
  async (page) => {
    await wb.runCommand(page, 'NATS: Open Tail…');
    await answerQuickPick(page, 'NATS: Open Tail', 'KV bucket');
    await answerInputBox(page, 'Watch KV bucket', 'uiflags');
    await answerInputBox(page, 'Keys to watch', '');
    await quickInput(page).waitFor({ state: 'hidden' });
    const view = webview(page);
    await view.getByTestId('marker-live').waitFor({ timeout: 45_000 });
    const green = await kv.put('color', 'green');
    await view.locator('[data-testid=row][data-kind=kv]').filter({ hasText: 'green' }).filter({ hasText: 'live' }).waitFor({ timeout: 30_000 });

    say('reloading the window');
    // the workbench's own reload: it saves the open editors (and webview state) first
    await wb.runCommand(page, 'Developer: Reload Window');
    await localConnected(page, nats).waitFor({ timeout: 60_000 });
    const restored = webview(page);
    const resumed = restored.getByTestId('marker-resumed');
    await resumed.waitFor({ timeout: 60_000 });
    assert.match(await resumed.innerText(), new RegExp(`from revision ${green + 1}`));
    await restored.getByTestId('marker-live').waitFor({ timeout: 30_000 });
    assert.equal(await restored.locator('[data-testid=row][data-kind=kv]').count(), 0, 'nothing the panel showed before the reload is replayed');

    const blue = await kv.put('color', 'blue');
    const row = restored.locator('[data-testid=row][data-kind=kv]').filter({ hasText: 'blue' });
    await row.waitFor({ timeout: 30_000 });
    const text = await row.innerText();
    assert.match(text, new RegExp(`@${green} green → blue`), `a transition from the value before the reload: ${text}`);
    assert.match(text, /live/);
    assert.match(text, new RegExp(`\\b${blue}\\b`));
  },
  { timeout: 180_000 },
);
