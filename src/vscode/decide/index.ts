/** Public face of the "Decide KV or Stream" feature (seed 000_0a057cbac6a60a0d.txt). */
export { registerDecide, type DecideApi, type DecideOpenArgs } from './decideCommand';
export { DECIDE_PANEL_TITLE, DECIDE_VIEW_TYPE } from './decidePanel';
export { DECIDE_TOOL_NAME } from './decideTool';
