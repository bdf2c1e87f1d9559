import * as vscode from 'vscode';

/**
 * Options every panel is created with: scripts on, resources only from the built webviews and
 * media/, and no retained context (each webview saves its state with setState instead).
 */
export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}
