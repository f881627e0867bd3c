// Electron main process: the thin composition root of the desktop app. Single instance; one window on
// the built renderer (dist/renderer/index.html, or the Vite dev server when VOXELBASE_DEV_SERVER is set);
// security settings from ./security.ts; the IPC transport over the same services as every other
// transport; the menu; native dialogs (`dialog:*` calls, File > Import folder…). No domain logic here.
import { app, BrowserWindow, dialog, ipcMain, Menu, session, type MenuItemConstructorOptions } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createServices, type Services } from '../services/index.js';
import { dataDirFlag, resolveDataDir } from '../platform/data-dir.js';
import { registerIpc } from '../transports/ipc/register.js';
import { makeAppUrlCheck, makeSenderCheck } from '../transports/ipc/sender.js';
import type { HostHandlers } from '../services/index.js';
import { probeProviders } from '../../native-models/index.js';
import { applyCsp, denyPermissions, desktopCsp, lockNavigation, secureWebPreferences } from './security.js';

const here = path.dirname(fileURLToPath(import.meta.url)); // dist/app/electron
const indexFile = path.resolve(here, '../../renderer/index.html'); // dist/renderer/index.html
const preloadFile = path.join(here, 'preload.cjs');
// A packaged app never loads a dev server, whatever the environment says.
const devServer = (!app.isPackaged && process.env.VOXELBASE_DEV_SERVER) || undefined;
const appUrl = devServer ?? pathToFileURL(indexFile).href;

let win: BrowserWindow | undefined;
let services: Services | undefined;

const appPage = { indexFile, devServerUrl: devServer };
const isAppUrl = makeAppUrlCheck(appPage);

async function pickFolders(title: string, multiple: boolean): Promise<string[]> {
  const properties: ('openDirectory' | 'multiSelections')[] = ['openDirectory'];
  if (multiple) properties.push('multiSelections');
  const r = win ? await dialog.showOpenDialog(win, { title, properties }) : await dialog.showOpenDialog({ title, properties });
  return r.canceled ? [] : r.filePaths;
}

function buildMenu(): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Import folder…',
          accelerator: 'CmdOrCtrl+O',
          click: async () => {
            const paths = await pickFolders('Import studies', true);
            if (paths.length) services?.events.emit('import-folders-chosen', { paths });
          },
        },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}

function createWindow(): BrowserWindow {
  const w = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Voxelbase',
    webPreferences: secureWebPreferences(preloadFile),
  });
  w.once('ready-to-show', () => w.show());
  w.on('closed', () => {
    if (win === w) win = undefined;
  });
  void w.loadURL(appUrl);
  return w;
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.enableSandbox();
  lockNavigation(app, isAppUrl);

  await app.whenReady();
  services = createServices({ dataDir: resolveDataDir({ flag: dataDirFlag(process.argv) }) });
  denyPermissions(session.defaultSession);
  applyCsp(session.defaultSession, desktopCsp(devServer));

  const hostHandlers: HostHandlers = {
    'dialog:openFolder': ({ title, multiple }) => pickFolders(title ?? 'Choose a folder', multiple),
  };
  const isTrusted = makeSenderCheck(appPage);
  registerIpc(ipcMain, services, isTrusted, { hostHandlers, targets: () => (win ? [win.webContents] : []) });

  Menu.setApplicationMenu(buildMenu());
  win = createWindow();
  void probeProviders().catch(() => undefined); // warm the cache for the status panel's app:info

  app.on('activate', () => {
    if (!win) win = createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed || !services) return;
    event.preventDefault();
    void services.close().finally(() => {
      closed = true;
      app.quit();
    });
  });
}

void main();
