// Loads the CommonJS `dicom-parser` package from ESM with its own type declarations.
import { createRequire } from 'node:module';
import type * as DicomParserTypes from 'dicom-parser';

const require = createRequire(import.meta.url);

export const dicomParser = require('dicom-parser') as typeof DicomParserTypes;
export type DataSet = DicomParserTypes.DataSet;
export type Element = DicomParserTypes.Element;
