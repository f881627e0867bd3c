// search:* calls: the series most similar to a query (a catalogued series, or a volume file embedded on the fly,
// never imported: a path on the machine running the services, or a file the browser uploaded in the web mode, POST
// /api/upload, app/transports/http/uploads.ts) by cosine similarity of one model's embeddings, combined with the
// series list's filter.
import { z } from 'zod';
import { call } from '../define.js';
import { seriesFilterSchema } from './series.js';
import type { SearchResult } from '../types/search.js';

export const searchCalls = {
  'search:similar': call<SearchResult>()(
    z
      .object({
        /** Embedding model (embed:models). */
        model: z.number().int().positive(),
        query: z.union([
          z.object({ series: z.number().int().positive() }).strict(),
          /** NIfTI, a DICOM file, a folder of DICOM files or a zipped DICOM series. */
          z.object({ path: z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'path contains a NUL byte') }).strict(),
          /** An upload's id (web mode: the answer of POST /api/upload). */
          z.object({ upload: z.string().min(1).max(64) }).strict(),
        ]),
        k: z.number().int().min(1).max(1000).default(10),
        filter: seriesFilterSchema.default({}),
      })
      .strict(),
  ),
} as const;
