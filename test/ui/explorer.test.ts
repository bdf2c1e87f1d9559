/**
 * The Explorer's destructive commands through the real UI (code-server + Chromium): a stream's
 * context menu → "Delete Stream" behind a modal that names it (Cancel keeps it, confirming
 * deletes it), and "Purge Stream…" with its QuickPick and InputBox. natscli, an independent
 * client, checks what happened on the server.
 *
 *   node scripts/build.mjs && node --import tsx --test test/ui/explorer.test.ts
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { natsCli, natsCliJson, startNatsServer, type NatsServer } from '../helpers/natsServer';
import {
  answerInputBox,
  answerQuickPick,
  clickDialogButton,
  contextMenu,
  expandRow,
  explorerRow,
  explorerRowsNamed,
  explorerSettled,
  natsStatus,
  say,
  startUi,
  uiTest,
  waitForDialog,
  wb,
  type Ui,
} from './harness';

let nats: NatsServer;
let ui: Ui | undefined;

async function cli(args: string[]): Promise<string> {
  const r = await natsCli(args, { server: nats });
  assert.equal(r.code, 0, `${r.command}: ${r.stderr}`);
  return r.stdout;
}

const streamNames = async () => (await cli(['stream', 'ls', '--names'])).split(/\s+/).filter(Boolean).sort();
const messages = async (stream: string) => (await natsCliJson<{ state: { messages: number } }>(['stream', 'info', stream], { server: nats })).state.messages;

before(async () => {
  nats = await startNatsServer();
  await cli(['stream', 'add', 'ORDERS', '--subjects', 'orders.>', '--storage', 'file', '--defaults']);
  await cli(['stream', 'add', 'AUDIT', '--subjects', 'audit.>', '--storage', 'file', '--defaults']);
  await cli(['pub', 'orders.created', 'order {{Count}}', '--count', '20']);
  await cli(['pub', 'audit.login', 'login {{Count}}', '--count', '3']);
  assert.deepEqual(await streamNames(), ['AUDIT', 'ORDERS']);
  assert.equal(await messages('ORDERS'), 20);
  say(`nats-server ${nats.version} ${nats.url}, streams ORDERS (20 msgs) and AUDIT (3 msgs)`);
  ui = await startUi({
    settings: {
      'natsFlow.connections': [{ id: 'local', name: 'local', servers: [nats.url] }],
      'natsFlow.defaultConnection': 'local',
    },
  });
  await wb.openViewContainer(ui.page, 'NATS');
  await natsStatus(ui.page).filter({ hasText: `NATS: local · ${nats.serverName}` }).waitFor();
  await explorerSettled(ui.page);
  await expandRow(explorerRow(ui.page, 'Streams'));
  await explorerRow(ui.page, 'ORDERS').waitFor();
});

after(async () => {
  await ui?.stop();
  await nats?.stop();
});

uiTest(() => ui, 'Delete Stream from the context menu: the modal names the stream; Cancel keeps it, Delete Stream deletes it', async (page) => {
  const audit = explorerRow(page, 'AUDIT');
  await audit.waitFor();

  await contextMenu(page, audit, 'Delete Stream');
  let modal = await waitForDialog(page, 'Delete stream "AUDIT"?');
  assert.match(await modal.innerText(), /3 messages/, 'the modal says what is lost');
  await clickDialogButton(page, modal, 'Cancel');
  assert.deepEqual(await streamNames(), ['AUDIT', 'ORDERS'], 'Cancel keeps the stream on the server');
  await audit.waitFor();

  await contextMenu(page, audit, 'Delete Stream');
  modal = await waitForDialog(page, 'Delete stream "AUDIT"?');
  await clickDialogButton(page, modal, 'Delete Stream');
  await explorerRowsNamed(page, 'AUDIT').first().waitFor({ state: 'detached' });
  assert.deepEqual(await streamNames(), ['ORDERS'], 'confirming deletes the stream on the server');
  await explorerRow(page, 'ORDERS').waitFor();
});

uiTest(() => ui, 'Purge Stream… from the context menu, keeping the newest 5: natscli sees 5 messages', async (page) => {
  const orders = explorerRow(page, 'ORDERS');
  assert.match(await orders.innerText(), /20 msgs/);

  await contextMenu(page, orders, 'Purge Stream…');
  await answerQuickPick(page, 'Purge stream ORDERS', 'All but the newest N…');
  await answerInputBox(page, 'Keep how many (the newest)?', '5');
  const modal = await waitForDialog(page, 'Purge all messages except the newest 5 from stream "ORDERS"?');
  assert.match(await modal.innerText(), /20 messages/, 'the modal gives the current count');
  await clickDialogButton(page, modal, 'Purge');

  await orders.filter({ hasText: /(^|\D)5 msgs/ }).waitFor();
  assert.equal(await messages('ORDERS'), 5, 'natscli: the newest 5 messages are left');
  const last = await natsCliJson<{ state: { first_seq: number; last_seq: number } }>(['stream', 'info', 'ORDERS'], { server: nats });
  assert.deepEqual([last.state.first_seq, last.state.last_seq], [16, 20], 'the newest five (16–20) were kept');
});
