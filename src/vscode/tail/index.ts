/** The tail feature's public face: the registrar, its API (for code lenses) and the panel. */
export { registerTail, type TailApi } from './tailCommands';
export { TailPanel, TAIL_VIEW_TYPE } from './tailPanel';
