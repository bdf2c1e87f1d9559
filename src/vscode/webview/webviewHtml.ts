/**
 * The HTML shell of every NATS Flow webview: a strict CSP (`default-src 'none'`, scripts only
 * with a per-load nonce, styles and fonts only from the webview's own origin, no
 * 'unsafe-inline', no remote origins), the codicon stylesheet, the panel's stylesheet and
 * its script. `renderWebviewHtml` is pure so the Chromium tests load the exact same page.
 */
import { randomBytes } from 'node:crypto';
import type * as vscode from 'vscode';

export interface WebviewHtmlParts {
  title: string;
  /** `webview.cspSource`: the one origin styles, fonts and images may come from. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  /** dist/webview/codicons/codicon.css; its link gets the id @vscode-elements looks for. */
  codiconUri: string;
  styleUris: string[];
  /** Stays in <html lang> and in the body's data-panel (CSS and tests can target it). */
  panel: string;
  /** Allow Web Workers made from blob: URLs (the designer's layout worker); nothing else. */
  workers?: boolean;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64url');
}

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function contentSecurityPolicy(cspSource: string, nonce: string, opts: { workers?: boolean } = {}): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
    ...(opts.workers ? ['worker-src blob:'] : []),
  ].join('; ');
}

export function renderWebviewHtml(p: WebviewHtmlParts): string {
  const links = [
    `<link rel="stylesheet" id="vscode-codicon-stylesheet" href="${escapeAttr(p.codiconUri)}">`,
    ...p.styleUris.map((u) => `<link rel="stylesheet" href="${escapeAttr(u)}">`),
  ].join('\n    ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(p.cspSource, p.nonce, { workers: p.workers }))}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <title>${escapeAttr(p.title)}</title>
    ${links}
  </head>
  <body data-panel="${escapeAttr(p.panel)}">
    <div id="root"></div>
    <script nonce="${escapeAttr(p.nonce)}" src="${escapeAttr(p.scriptUri)}"></script>
  </body>
</html>`;
}

/**
 * The HTML for the panel built from `webview/<entry>/index.tsx`: dist/webview/<entry>.js and
 * the <entry>.css esbuild emits when the entry imports CSS. `webviewDir` is the dist/webview
 * folder (child URIs are built with `Uri.with`, so this file needs no runtime `vscode`).
 */
export function webviewHtml(webview: vscode.Webview, webviewDir: vscode.Uri, entry: string, title: string, opts: { workers?: boolean } = {}): string {
  const asset = (...parts: string[]) =>
    webview.asWebviewUri(webviewDir.with({ path: [webviewDir.path.replace(/\/$/, ''), ...parts].join('/') })).toString();
  return renderWebviewHtml({
    title,
    panel: entry,
    cspSource: webview.cspSource,
    nonce: makeNonce(),
    scriptUri: asset(`${entry}.js`),
    codiconUri: asset('codicons', 'codicon.css'),
    styleUris: [asset(`${entry}.css`)],
    workers: opts.workers,
  });
}
