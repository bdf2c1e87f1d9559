import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Commands } from '../../src/vscode/commands';

const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));

test('every command in commands.ts is contributed in package.json with category NATS, and vice versa', () => {
  const contributed: { command: string; category?: string; title: string }[] = pkg.contributes.commands;
  const ids = Object.values(Commands).sort();
  assert.deepEqual(contributed.map((c) => c.command).sort(), ids);
  for (const c of contributed) {
    assert.equal(c.category, 'NATS', `${c.command} has category "${c.category}"`);
    assert.match(c.command, /^natsFlow\.[a-z]+\.[a-zA-Z]+$/, `${c.command} is not natsFlow.<area>.<verb>`);
  }
});

test('menus and palette entries only name contributed commands', () => {
  const ids = new Set(Object.values(Commands) as string[]);
  for (const [menu, entries] of Object.entries(pkg.contributes.menus as Record<string, { command?: string }[]>)) {
    for (const e of entries) if (e.command) assert.ok(ids.has(e.command), `menu ${menu} names unknown command ${e.command}`);
  }
});

test('views have a welcome for the empty state and an activity bar container titled NATS', () => {
  assert.equal(pkg.contributes.viewsContainers.activitybar[0].title, 'NATS');
  assert.ok(pkg.contributes.viewsWelcome.some((w: { contents: string }) => w.contents.includes('command:natsFlow.connection.add')));
});

test('activation: onStartupFinished (the status bar shows the connection all day) and the panels restored after a reload, nothing else', () => {
  assert.deepEqual(pkg.activationEvents ?? [], ['onStartupFinished', 'onWebviewPanel:natsFlow.decide', 'onWebviewPanel:natsFlow.report', 'onWebviewPanel:natsFlow.tail']);
});

test('@types/vscode does not exceed engines.vscode (vsce refuses that)', () => {
  const engine = pkg.engines.vscode.replace(/^\^/, '');
  const types = pkg.devDependencies['@types/vscode'].replace(/^[\^~]/, '');
  assert.equal(types, engine);
});

test('the README settings table lists every contributed setting with its default', () => {
  const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
  for (const [key, spec] of Object.entries(pkg.contributes.configuration.properties as Record<string, { default: unknown }>)) {
    const row = readme.split('\n').find((l) => l.startsWith(`| \`${key}\` |`));
    assert.ok(row, `README has no settings row for ${key}`);
    assert.ok(row.includes(`\`${JSON.stringify(spec.default)}\``), `README row for ${key} does not show the default ${JSON.stringify(spec.default)}: ${row}`);
  }
});
