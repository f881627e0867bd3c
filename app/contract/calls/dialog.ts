// dialog:* calls: native dialogs, answered by the Electron main process only (NotSupportedError in web mode and
// the CLI).
import { z } from 'zod';
import { call } from '../define.js';

export const dialogCalls = {
  /** Native folder picker; resolves with the chosen absolute paths, [] when cancelled. */
  'dialog:openFolder': call<string[]>()(
    z.object({ title: z.string().max(200).optional(), multiple: z.boolean().default(true) }).strict(),
  ),
} as const;
