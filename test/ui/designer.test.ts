/**
 * The flow designer through the real UI (code-server + Chromium): Quick Open on the Overmind
 * example opens the canvas (the custom editor is the default for *.natsflow.json); the
 * webview (two iframes deep) draws every path with its verdict badge; adding a component on
 * the canvas makes the editor dirty and Ctrl+Z in the canvas undoes it through VS Code's own
 * undo stack. After a window reload the canvas comes back with its viewport, its selection
 * and the open side-panel tab. NATS_FLOW_SCREENSHOT=docs/images/designer.png also writes the
 * README screenshot (canvas + plan panel).
 *
 *   node scripts/build.mjs && node --import tsx --test test/ui/designer.test.ts
 */
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, say, startUi, uiTest, wb, webview, type Ui } from './harness';

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

uiTest(
  () => ui,
  'after a window reload the designer comes back with its viewport, selection and open tab',
  async (page) => {
    const view = webview(page);
    // from the previous test the designer is open (or open it now)
    if (!(await page.locator('.tab').filter({ hasText: 'overmind.natsflow.json' }).count())) {
      await page.keyboard.press('Control+p');
      await page.locator('.quick-input-widget input').fill('overmind.natsflow.json');
      await page.locator('.quick-input-widget .monaco-list-row').first().waitFor();
      await page.keyboard.press('Enter');
    }
    await view.getByTestId('edge-memory-events').waitFor({ timeout: 60_000 });
    await view.getByTestId('edge-memory-events').click();
    await view.getByTestId('inspector-path').waitFor();
    for (let i = 0; i < 3; i++) await view.locator('.react-flow__controls-zoomin').click();
    await view.getByTestId('tab-plan').click();
    await view.getByTestId('plan').waitFor();
    // the zoom ends with an animation; the saved viewport is the one after it
    const viewportStyle = () => view.locator('.react-flow__viewport').getAttribute('style');
    let before = await viewportStyle();
    for (let settled = false; !settled; ) {
      await page.waitForTimeout(300);
      const now = await viewportStyle();
      settled = now === before;
      before = now;
    }
    say(`before reload: ${before}`);

    // Developer: Reload Window runs the workbench's shutdown (which stores the editors and their
    // webview state) before it loads the page again
    const reloaded = page.waitForEvent('load', { timeout: 90_000 });
    await wb.runCommand(page, 'Developer: Reload Window');
    await reloaded;
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await page.locator('.tab').filter({ hasText: 'overmind.natsflow.json' }).first().waitFor({ timeout: 60_000 });
    await view.getByTestId('edge-memory-events').waitFor({ timeout: 90_000 });
    assert.equal(await view.getByTestId('tab-plan').getAttribute('aria-selected'), 'true', 'the plan tab is open again');
    await view.getByTestId('plan').waitFor();
    assert.equal(await viewportStyle(), before, 'the same pan and zoom');
    await view.getByTestId('edge-memory-events').and(view.locator('.nf-edge-label--selected')).waitFor();
    await view.getByTestId('tab-inspector').click();
    assert.equal(await view.getByTestId('inspector-path').locator('h2').innerText(), 'memory-events', 'the inspector is on the selected path');
  },
  { timeout: 240_000 },
);
