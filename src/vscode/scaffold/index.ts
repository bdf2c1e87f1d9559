/** Code scaffolding in VS Code: palette and explorer commands, the lightbulb. */
import type * as vscode from 'vscode';
import type { ConnectionService } from '../connections/connectionService';
import { registerScaffoldCodeActions } from './codeActions';
import { registerScaffoldCommands, type ScaffoldApi } from './scaffoldCommands';

export type { ScaffoldApi, ScaffoldRequest, ScaffoldResult, DesignScaffoldRequest, DesignScaffoldResult } from './scaffoldCommands';
export type { ScaffoldUi, WritePlan, ScaffoldTarget } from './scaffoldUi';
export { scaffoldRequestsFor } from './codeActions';

export function registerScaffold(context: vscode.ExtensionContext, connections: ConnectionService): ScaffoldApi {
  registerScaffoldCodeActions(context, connections);
  return registerScaffoldCommands(context, connections);
}
