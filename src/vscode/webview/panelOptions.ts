import * as vscode from 'vscode';

/**
 * Options every panel is created with: scripts on, resources only from the built webviews and
 * media/, and no retained context (each webview saves its state with setState instead) unless
 * the panel asks for it.
 */
export function panelOptions(extensionUri: vscode.Uri, { retainContext = false }: { retainContext?: boolean } = {}): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: retainContext,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}
