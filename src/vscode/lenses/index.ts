/**
 * Code lenses, diagnostics and quick fixes over the NATS calls in users' code (TypeScript,
 * JavaScript, Go, Python). Registering costs nothing: parsers load on the first request for a
 * language, the catalog snapshot on the first connection.
 */
import * as vscode from 'vscode';
import type { ConnectionService } from '../connections/connectionService';
import type { ConnectionsTree, ExplorerApi } from '../explorer';
import { CatalogCache } from './catalogCache';
import { LensCodeActions } from './codeActions';
import { LensDiagnostics } from './diagnostics';
import { DocumentAnalysis, LENS_SELECTOR } from './documentAnalysis';
import { registerLensCommands } from './lensCommands';
import { NatsCodeLensProvider } from './lensProvider';

export interface LensesApi {
  cache: CatalogCache;
  analysis: DocumentAnalysis;
  diagnostics: LensDiagnostics;
  /** What registering the lenses added to activate() (the benchmark reports it). */
  registerMs: number;
}

export function registerLenses(context: vscode.ExtensionContext, deps: { connections: ConnectionService; tree: ConnectionsTree; explorer?: ExplorerApi }): LensesApi {
  const started = performance.now();
  const cache = new CatalogCache(deps.connections, deps.tree);
  const analysis = new DocumentAnalysis();
  const lenses = new NatsCodeLensProvider(analysis, cache);
  const diagnostics = new LensDiagnostics(analysis, cache);
  context.subscriptions.push(
    cache,
    analysis,
    lenses,
    diagnostics,
    vscode.languages.registerCodeLensProvider(LENS_SELECTOR, lenses),
    vscode.languages.registerCodeActionsProvider(LENS_SELECTOR, new LensCodeActions(diagnostics), { providedCodeActionKinds: LensCodeActions.kinds }),
  );
  registerLensCommands(context, deps.explorer);
  return { cache, analysis, diagnostics, registerMs: performance.now() - started };
}

