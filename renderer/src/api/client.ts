// Picks the transport once: the Electron preload's bridge when the page runs inside the desktop app,
// otherwise HTTP + WebSocket to the web-mode server that served the page.
import type { PreloadBridge } from '../../../app/contract/wire.js';
import { ElectronTransport } from './electron-transport.js';
import type { Transport } from './transport.js';
import { WebTransport } from './web-transport.js';

declare global {
  interface Window {
    /** Present only in Electron, exposed by the preload (app/electron/preload.cts) through contextBridge. */
    voxelbase?: PreloadBridge;
  }
}

export function createTransport(win: Window = window): Transport {
  return win.voxelbase ? new ElectronTransport(win.voxelbase) : new WebTransport();
}

let shared: Transport | null = null;

/** The app-wide transport (created on first use). */
export function api(): Transport {
  shared ??= createTransport();
  return shared;
}
