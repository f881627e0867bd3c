// The labels domain's public module: labels per series from a CSV or a catalogued DICOM attribute.
export { parseCsv, type CsvRow } from './csv.js';
export { importLabelsCsv, labelsFromAttribute } from './import-labels.js';
export { writeLabels, labelsOf, labelKeys } from './store.js';
export { labelsHandlers } from './handlers.js';
