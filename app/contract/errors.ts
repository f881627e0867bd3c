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

// ---- training runs (runs, pretrain) --------------------------------------------------------------
/** A pretraining run that cannot start or go on (bad options, nothing to resume, data changed since it began). */
export class PretrainError extends VoxelbaseError {}
/** A run's configuration needs more memory than the machine has (names the estimate and what to lower). */
export class MemoryBudgetError extends VoxelbaseError {}
/** A forced execution provider that does not work on this machine (names it and why). */
export class ProviderError extends VoxelbaseError {}
/** A checkpoint file that is missing, truncated, corrupt or not of this run (names the file). */
export class CheckpointError extends VoxelbaseError {}
