/** Public face of the flow designer (the `*.natsflow.json` custom editor). */
export { registerDesigner, type DesignerApi } from './designerCommands';
export { DESIGNER_VIEW_TYPE, DesignerEditorProvider, type DesignerEditor } from './designerEditor';
