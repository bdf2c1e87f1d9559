/**
 * The flow designer through the real UI (code-server + Chromium): Quick Open on the Overmind
 * example opens the canvas (the custom editor is the default for *.natsflow.json); the
 * webview (two iframes deep) draws every path with its verdict badge; adding a component on
 * the canvas makes the editor dirty and Ctrl+Z in the canvas undoes it through VS Code's own
 * undo stack. NATS_FLOW_SCREENSHOT=docs/images/designer.png also writes the README screenshot
 * (canvas + plan panel).
 *
 *   node scripts/build.mjs && node --import tsx --test test/ui/designer.test.ts
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, say, startUi, uiTest, webview, type Ui } from './harness';

let ui: Ui | undefined;
let folder: string;

before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'nf-ui-designer-'));
  copyFileSync(join(root, 'examples', 'overmind.natsflow.json'), join(folder, 'overmind.natsflow.json'));
  ui = await startUi({ workspace: folder });
  say(`workspace ${folder}`);
});

after(async () => {
  await ui?.stop();
  rmSync(folder, { recursive: true, force: true });
});

uiTest(
  () => ui,
  'Quick Open shows the example on the canvas; a canvas edit dirties the editor and Ctrl+Z undoes it',
  async (page) => {
    await page.keyboard.press('Control+p');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill('overmind.natsflow.json');
    await page.locator('.quick-input-widget .monaco-list-row').first().waitFor();
    await page.keyboard.press('Enter');
    const tab = page.locator('.tab').filter({ hasText: 'overmind.natsflow.json' }).first();
    await tab.waitFor();
    const view = webview(page);
    await view.getByTestId('edge-routing-decisions').waitFor({ timeout: 60_000 });
    const original = readFileSync(join(folder, 'overmind.natsflow.json'), 'utf8');
    const paths = (JSON.parse(original) as { paths: { id: string }[] }).paths;
    for (const p of paths) assert.match(await view.getByTestId(`edge-${p.id}`).getAttribute('data-verdict') ?? '', /stream|overridden/);
    const nodes = await view.locator('.react-flow__node').count();

    if (process.env.NATS_FLOW_SCREENSHOT) {
      await view.getByTestId('tab-plan').click();
      await view.getByTestId('plan').waitFor();
      await view.getByTestId('fit').click();
      await page.waitForTimeout(600);
      await page.screenshot({ path: process.env.NATS_FLOW_SCREENSHOT });
      say(`screenshot ${process.env.NATS_FLOW_SCREENSHOT}`);
    }

    await view.getByTestId('add-service').click();
    await view.locator('.react-flow__node').nth(nodes).waitFor();
    await page.locator('.tab.dirty').filter({ hasText: 'overmind.natsflow.json' }).waitFor();
    // undo from the canvas goes to the text document's undo stack
    await view.getByTestId('canvas').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Control+z');
    await page.locator('.tab.dirty').filter({ hasText: 'overmind.natsflow.json' }).waitFor({ state: 'detached' });
    await view.locator('.react-flow__node').nth(nodes).waitFor({ state: 'detached' });
    assert.equal(await view.locator('.react-flow__node').count(), nodes);
  },
  { timeout: 180_000 },
);
