// search:* calls: the series most similar to a query (a catalogued series, or a volume file embedded on the fly,
// never imported) by cosine similarity of one model's embeddings, combined with the series list's filter.
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
          z.object({ path: z.string().min(1).max(4096).refine((p) => !p.includes('\0'), 'path contains a NUL byte') }).strict(),
        ]),
        k: z.number().int().min(1).max(1000).default(10),
        filter: seriesFilterSchema.default({}),
      })
      .strict(),
  ),
} as const;
