/**
 * The questions the scaffold commands ask, behind an interface so extension-host tests can
 * answer them (like the explorer's ExplorerUi). The default asks with QuickPicks, input boxes
 * and a modal that lists every file before anything is written.
 */
import * as vscode from 'vscode';
import { LANG_LABELS, LANGS, PATTERN_LABELS, PATTERNS, type ScaffoldLang, type ScaffoldPattern } from '../../core/scaffold';

export type ScaffoldTarget = 'folder' | 'untitled';

export interface WritePlan {
  /** Folder the files go to, as shown to the user (workspace-relative when inside it). */
  folder: string;
  files: string[];
  /** Files that already exist there and would be replaced. */
  existing: string[];
  handler: string;
  source: string;
}

export interface ScaffoldUi {
  pickPattern(): Promise<ScaffoldPattern | undefined>;
  pickLang(): Promise<ScaffoldLang | undefined>;
  /** A name (stream, bucket, subject); '' keeps the default. */
  askName(prompt: string, value: string): Promise<string | undefined>;
  pickTarget(): Promise<ScaffoldTarget | undefined>;
  askFolder(value: string): Promise<string | undefined>;
  /** Shows what will be written; true writes. Must ask again, naming them, when files exist. */
  confirmWrite(plan: WritePlan): Promise<boolean>;
  info(message: string): void;
}

export const defaultScaffoldUi: ScaffoldUi = {
  async pickPattern() {
    const pick = await vscode.window.showQuickPick(
      PATTERNS.map((p) => ({ label: PATTERN_LABELS[p], pattern: p })),
      { title: 'Scaffold NATS code', placeHolder: 'Which pattern?' },
    );
    return pick?.pattern;
  },
  async pickLang() {
    const pick = await vscode.window.showQuickPick(
      LANGS.map((l) => ({ label: LANG_LABELS[l], lang: l })),
      { title: 'Scaffold NATS code', placeHolder: 'Which language?' },
    );
    return pick?.lang;
  },
  askName(prompt, value) {
    return Promise.resolve(vscode.window.showInputBox({ title: 'Scaffold NATS code', prompt, value }));
  },
  async pickTarget() {
    const pick = await vscode.window.showQuickPick(
      [
        { label: '$(new-folder) New folder in the workspace', target: 'folder' as const, detail: 'A buildable project: manifest, wiring, your handler, README' },
        { label: '$(new-file) Untitled editors', target: 'untitled' as const, detail: 'The handler and the main wiring file, unsaved' },
      ],
      { title: 'Scaffold NATS code', placeHolder: 'Where should the code go?' },
    );
    return pick?.target;
  },
  askFolder(value) {
    return Promise.resolve(
      vscode.window.showInputBox({
        title: 'Scaffold NATS code',
        prompt: 'Folder (relative to the workspace) for the new project',
        value,
        validateInput: (v) => (v.trim() === '' ? 'Give a folder name' : v.includes('..') ? 'Stay inside the workspace (no "..")' : undefined),
      }),
    );
  },
  async confirmWrite(plan) {
    const detail = `Settings from ${plan.source}. Your code goes in ${plan.handler}.\n\n${plan.files.join('\n')}`;
    if (plan.existing.length === 0) {
      return (await vscode.window.showInformationMessage(`Write ${plan.files.length} files to ${plan.folder}?`, { modal: true, detail }, 'Write')) === 'Write';
    }
    const replaced = `These ${plan.existing.length} files already exist in ${plan.folder} and will be overwritten:\n${plan.existing.join('\n')}\n\n${detail}`;
    return (await vscode.window.showWarningMessage(`Overwrite ${plan.existing.length} existing files in ${plan.folder}?`, { modal: true, detail: replaced }, 'Overwrite')) === 'Overwrite';
  },
  info(message) {
    void vscode.window.showInformationMessage(message);
  },
};
