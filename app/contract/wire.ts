// How a call's outcome travels over IPC and HTTP: an envelope, never a thrown transport error, so the
// error's name and extras survive (Electron's ipcMain.handle would keep only the message).
import type { SerializedError } from './types.js';

export type CallEnvelope<R = unknown> = { ok: true; result: R } | { ok: false; error: SerializedError };

/** A pushed event, as sent over WebSocket and IPC. */
export interface EventEnvelope<P = unknown> {
  event: string;
  payload: P;
}

export const IPC_CALL_CHANNEL = 'vb:call';
export const IPC_EVENT_CHANNEL = 'vb:event';
export const IPC_CONTRACT_CHANNEL = 'vb:contract';

/**
 * What the Electron preload (app/electron/preload.cts) exposes to the page as `window[BRIDGE_KEY]`: the contract's
 * call and event names, `invoke` returning raw envelopes (contextBridge would drop an Error's name and extras), and
 * `on`. The renderer's ElectronTransport turns it into the typed Api.
 */
export interface PreloadBridge {
  readonly calls: readonly string[];
  readonly events: readonly string[];
  invoke(name: string, args: unknown): Promise<CallEnvelope>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** The path on disk of a File the user dropped or picked ('' when it has none): Electron's webUtils.getPathForFile. */
  pathForFile?(file: unknown): string;
}

export const BRIDGE_KEY = 'voxelbase';
