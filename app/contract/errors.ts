// Errors cross process boundaries as {name, message, ...extras} and are rebuilt as Errors with their name.
import type { SerializedError } from './types.js';

/** Base for domain errors; `name` is the subclass name so it survives serialisation. */
export class VoxelbaseError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Arguments that failed the contract's schema. */
export class ValidationError extends VoxelbaseError {
  constructor(message: string, readonly issues: unknown[] = []) {
    super(message);
  }
}

export class NotFoundError extends VoxelbaseError {}
export class CancelledError extends VoxelbaseError {}
/** A call name that is not in the contract. */
export class UnknownCallError extends VoxelbaseError {}
/** A contract call this transport cannot serve (e.g. native dialogs outside the desktop app). */
export class NotSupportedError extends VoxelbaseError {}
/** A request the transport refuses before dispatch: an untrusted IPC frame, a wrong HTTP method or content type. */
export class ForbiddenError extends VoxelbaseError {}
/** The client could not get an envelope from the server (network, HTTP status without a JSON body). */
export class TransportError extends VoxelbaseError {}
/** Whatever else failed inside a call, before or after its handler (a bug: the message says what). */
export class InternalError extends VoxelbaseError {}

/**
 * Every error name a client may receive in an envelope `{ok: false, error: {name, message}}`, with what it means.
 * Domain errors are defined beside their domain (services, native-models) and declared here by name, so a client
 * can switch on `error.name` knowing the full list; tests/unit/app/contract/error-names.test.ts fails when an error
 * class anywhere in app/ or native-models/ is not declared here.
 */
export const WIRE_ERRORS = {
  // transport and contract
  ValidationError: 'arguments failed the contract schema, or a value the service refused',
  UnknownCallError: 'a call name that is not in the contract',
  NotSupportedError: 'a call this transport or job cannot serve',
  ForbiddenError: 'refused before dispatch (untrusted frame, wrong method or content type)',
  TransportError: 'no envelope from the server',
  InternalError: 'an unexpected failure inside a call',
  NotFoundError: 'no such series, job, run, cohort, file ...',
  CancelledError: 'the job was cancelled',
  InterruptedError: 'the process running a job ended before the job did',
  WebServerError: 'the web server could not start',
  // catalogue and import
  MigrationError: 'the catalogue database cannot be migrated',
  ImportPathError: 'a path given to an import cannot be imported',
  FsPathError: 'a path the folder browser refuses (outside its roots, a system location, missing, unreadable)',
  ImportError: 'an import run failed as a whole',
  // imaging
  DicomParseError: 'a file that cannot be read as DICOM',
  PixelDecodeError: 'pixel data that cannot be decoded',
  NiftiError: 'a NIfTI file that cannot be read',
  AssemblyError: 'a series that cannot be assembled into a volume',
  OrientationError: 'a matrix that is not a valid voxel-to-world affine',
  RleError: 'RLE pixel data that cannot be decoded',
  // learning engine (native-models)
  NativeModelsError: 'the learning engine failed',
  GraphError: 'a graph that cannot be built, differentiated or serialised',
  SafetensorsError: 'a safetensors file that cannot be read or written',
  // training data
  PreprocessError: 'series that cannot be preprocessed for learning',
  CacheFileError: 'a preprocessing cache file that is missing, truncated or corrupt',
  LoaderError: 'the batch loader cannot produce batches (bad options, no entries)',
  SeriesNotUsableError: 'a series that cannot be used for learning',
  SourceFilesMissingError: "a series' source files are gone",
  // export
  ExportError: 'an encoder export that cannot be made',
  // embeddings, search, labels, evaluation
  SearchError: 'a vector set, search or persisted search index that cannot be used',
  EmbedError: 'series that cannot be embedded, or an encoder that cannot be built',
  LabelError: 'a labels file or DICOM attribute that cannot be used as labels',
  UploadError: 'a query file sent to the web server that it refuses (too large, no name) or no longer keeps',
  // cohorts
  CohortNameError: 'a cohort name that breaks the naming rule',
  CohortExistsError: 'a cohort name already taken (compared ignoring case)',
  CohortEmptyError: 'a cohort with no members, or none that can be learned from, where members are needed',
  // training runs
  PretrainError: 'a pretraining run that cannot start or go on',
  MemoryBudgetError: "a run's configuration needs more memory than the machine has",
  ProviderError: 'a forced execution provider that does not work here',
  CheckpointError: 'a checkpoint that is missing, truncated, corrupt or of another run',
} as const;

export type WireErrorName = keyof typeof WIRE_ERRORS;

export function isWireErrorName(name: string): name is WireErrorName {
  return Object.hasOwn(WIRE_ERRORS, name);
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof Error) {
    const out: SerializedError = { name: err.name, message: err.message };
    for (const [k, v] of Object.entries(err)) {
      if (k !== 'stack' && isJsonSafe(v)) out[k] = v;
    }
    return out;
  }
  return { name: 'Error', message: String(err) };
}

/** Rebuilds an Error with the serialised name, message and extras (the class itself does not travel). */
export function deserializeError(data: SerializedError): Error {
  const err = new Error(typeof data?.message === 'string' ? data.message : String(data?.message));
  err.name = typeof data?.name === 'string' && data.name ? data.name : 'Error';
  for (const [k, v] of Object.entries(data)) {
    if (k !== 'name' && k !== 'message') (err as unknown as Record<string, unknown>)[k] = v;
  }
  return err;
}

function isJsonSafe(v: unknown): boolean {
  try {
    JSON.stringify(v);
    return true;
  } catch {
    return false;
  }
}

// ---- training data (preprocessing, augmentations, loader) ----------------------------------------
/** Preprocessing refused or failed (empty series list, bad settings, a volume that cannot be processed). */
export class PreprocessError extends VoxelbaseError {}
/** A series whose source files are gone or changed size since import (names the series and a file). */
export class SourceFilesMissingError extends VoxelbaseError {}
/** A series that cannot be used for learning (2-D, colour, no geometry ...): names the series and why. */
export class SeriesNotUsableError extends VoxelbaseError {}
/** A preprocessed cache file that is truncated, corrupt or not what its entry says (it is recomputed). */
export class CacheFileError extends VoxelbaseError {}
/** The batch loader was used wrongly or failed (closed, a worker died, an entry cannot be read). */
export class LoaderError extends VoxelbaseError {}

// ---- search domains (embed, search, labels, evaluate) ----
/** A vector set, exact or HNSW search, or a persisted search index failed (names the set, key or folder). */
export class SearchError extends VoxelbaseError {}
/** Embedding series failed (names the model, series or file). */
export class EmbedError extends VoxelbaseError {}
/** A labels file or DICOM attribute could not be used as labels (names the file, line or attribute). */
export class LabelError extends VoxelbaseError {}
/** A query file uploaded in the web mode that is refused (`reason` 'too-large' or 'bad-request') or gone. */
export class UploadError extends VoxelbaseError {
  constructor(
    message: string,
    readonly reason: 'too-large' | 'bad-request' | 'gone',
  ) {
    super(message);
  }
}

// ---- export ------------------------------------------------------------------------------------------
/** An export that cannot be made: weights that do not fit the architecture, a format the encoder cannot take, an
 *  occupied or unwritable target folder (messages name the run, the key or the folder). */
export class ExportError extends VoxelbaseError {}

// ---- training runs (runs, pretrain) --------------------------------------------------------------
/** A pretraining run that cannot start or go on (bad options, nothing to resume, data changed since it began). */
export class PretrainError extends VoxelbaseError {}
/** A run's configuration needs more memory than the machine has (names the estimate and what to lower). */
export class MemoryBudgetError extends VoxelbaseError {}
/** A forced execution provider that does not work on this machine (names it and why). */
export class ProviderError extends VoxelbaseError {}
/** A checkpoint file that is missing, truncated, corrupt or not of this run (names the file). */
export class CheckpointError extends VoxelbaseError {}
