// The export domain's public module: encoder export (ONNX, MONAI-keyed safetensors, model card) for the app,
// the CLI and other domains.
export { exportHandlers } from './handlers.js';
export { startExport, exportInWorker, type ExportRequest } from './export-job.js';
export { writeEncoderExport, checkFormats, EXPORT_FORMATS, DEFAULT_LICENCE, type ExportOptions, type ExportOutcome, type ExportHooks } from './export-encoder.js';
export type { ExportSource } from './export-source.js';
export { exportSourceOf, exportInputOf } from './source-from-run.js';
export { type RunSource, runsModuleSource } from './run-source.js';
export { getExport, listExports, deleteExport, exportsDir, readExportRecord } from './export-records.js';
export { monaiConstructor, monaiStateDict, monaiIncompatibility, MEDICALNET_PREFIX, type KeyStyle } from './monai-state-dict.js';
export { buildModelCard, loadingLines, FILES as EXPORT_FILES } from './model-card.js';
export { renderModelCardMarkdown } from './model-card-markdown.js';
export { ExportError } from './errors.js';
