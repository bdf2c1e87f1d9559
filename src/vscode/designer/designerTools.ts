/**
 * The designer's heavy, rarely used parts — exports (YAML writers), AsyncAPI import (YAML
 * parser) and import from a server — bundled on their own as dist/designerTools.js and
 * loaded on first use (designerFiles.ts), so the extension bundle that loads at startup does
 * not carry them (src/nats/index.ts keeps the design code out for the same reason).
 */
export { exportDesign, EXPORT_FORMATS, designFromAsyncApi } from '../../core/design';
export { importDesign } from '../../nats/designImport';
