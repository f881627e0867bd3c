// app:* calls: what this installation is.
import { z } from 'zod';
import { call } from '../define.js';
import type { InfoResult } from '../types/info.js';

export const appCalls = {
  'app:info': call<InfoResult>()(z.object({}).strict()),
} as const;
