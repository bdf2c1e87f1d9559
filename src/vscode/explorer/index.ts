/**
 * The Explorer feature's public face: the tree (made in activate(), so the view exists before
 * anything connects) and the registrar of its commands.
 */
export { ConnectionsTree, TREE_PAGE, type ExplorerNode } from './connectionsTree';
export { registerExplorerCommands, defaultUi, describeError, type ExplorerApi, type ExplorerUi, type ApplyResult, type CreateItem, type CreateManyOptions, type CreateManyResult } from './explorerCommands';
