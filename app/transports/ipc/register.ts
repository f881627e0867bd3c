// Electron IPC transport (main-process side): one invoke channel `vb:call` (name, args) answered with a
// CallEnvelope after the same contract validation as every transport; every contract event forwarded to
// the window(s) on `vb:event`; `vb:contract` (sync) tells the preload which names exist. Every message
// is checked against `isTrustedSender` first.
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import { calls, events } from '../../contract/api.js';
import type { CallEnvelope, EventEnvelope } from '../../contract/wire.js';
import { IPC_CALL_CHANNEL, IPC_CONTRACT_CHANNEL, IPC_EVENT_CHANNEL } from '../../contract/wire.js';
import type { Services } from '../../services/index.js';
import type { AnyHandlers, HostHandlers } from '../../services/index.js';
import { ForbiddenError, serializeError } from '../../contract/errors.js';
import { dispatchEnvelope } from '../dispatch.js';
import type { FrameLike } from './sender.js';

export interface IpcOptions {
  /** Handlers only the desktop shell has (native dialogs). */
  hostHandlers?: Partial<HostHandlers>;
  /** Where events go (the app's window(s)). */
  targets: () => WebContents[];
}

export interface ContractNames {
  calls: string[];
  events: string[];
}

type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler' | 'on' | 'removeListener'>;

export function registerIpc(
  ipcMain: IpcMainLike,
  services: Pick<Services, 'handlers' | 'events'>,
  isTrustedSender: (frame: FrameLike | null | undefined) => boolean,
  options: IpcOptions,
): () => void {
  const handlers = { ...options.hostHandlers, ...services.handlers } as AnyHandlers;
  const names: ContractNames = { calls: Object.keys(calls), events: Object.keys(events) };

  ipcMain.handle(IPC_CALL_CHANNEL, async (e: IpcMainInvokeEvent, name: unknown, args: unknown): Promise<CallEnvelope> => {
    if (!isTrustedSender(e.senderFrame)) {
      return { ok: false, error: serializeError(new ForbiddenError(`IPC from untrusted frame ${e.senderFrame?.url ?? '?'}`)) };
    }
    return dispatchEnvelope(handlers, name, args);
  });

  const onContract = (e: IpcMainEvent) => {
    e.returnValue = isTrustedSender(e.senderFrame) ? names : null;
  };
  ipcMain.on(IPC_CONTRACT_CHANNEL, onContract);

  const unsubscribe = services.events.onAny((event, payload) => {
    const msg: EventEnvelope = { event, payload };
    for (const wc of options.targets()) {
      if (!wc.isDestroyed()) wc.send(IPC_EVENT_CHANNEL, msg);
    }
  });

  return () => {
    ipcMain.removeHandler(IPC_CALL_CHANNEL);
    ipcMain.removeListener(IPC_CONTRACT_CHANNEL, onContract);
    unsubscribe();
  };
}
