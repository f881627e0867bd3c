// embed:* calls: one vector per series from an encoder (a run's checkpoint, or a random initialisation), as a
// job of kind 'embed' (progress: job-progress; result EmbedResult); the models embeddings were made with.
import { z } from 'zod';
import { call } from '../define.js';
import type { EmbeddingModel, EmbedStartResult } from '../types/embed.js';

const box = z.tuple([z.number().int().min(8).max(512), z.number().int().min(8).max(512), z.number().int().min(8).max(512)]);

/** Which encoder: a run's online encoder (latest checkpoint, or `step`), or a randomly initialised ResNet. */
export const encoderChoice = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('run'), run: z.number().int().positive(), step: z.number().int().positive().optional() }).strict(),
  z
    .object({
      kind: z.literal('random'),
      depth: z.union([z.literal(10), z.literal(18), z.literal(34), z.literal(50)]).default(10),
      /** Stage widths (default MONAI's 64-128-256-512). */
      widths: z.tuple([z.number().int().min(1).max(2048), z.number().int().min(1).max(2048), z.number().int().min(1).max(2048), z.number().int().min(1).max(2048)]).optional(),
      seed: z.number().int().min(0).max(2 ** 31).default(0),
      /** Input box [d, h, w] (default 64^3). */
      box: box.optional(),
      /** Preprocessing spacing in mm [x, y, z] (default the preprocessing default). */
      spacing: z.tuple([z.number().positive().max(100), z.number().positive().max(100), z.number().positive().max(100)]).optional(),
    })
    .strict(),
]);

/** Which series: all usable ones of the catalogue, a cohort's usable members (id or name), or these ids. */
export const seriesScope = z.union([
  z.object({ all: z.literal(true) }).strict(),
  z.object({ cohort: z.union([z.number().int().positive(), z.string().min(1).max(200)]) }).strict(),
  z.object({ ids: z.array(z.number().int().positive()).min(1).max(100000) }).strict(),
]);

export const embedCalls = {
  /** Embeds the series (only new or changed ones) with the encoder; returns the job and the model. */
  'embed:start': call<EmbedStartResult>()(
    z.object({ encoder: encoderChoice, series: seriesScope, threads: z.number().int().min(1).max(256).optional() }).strict(),
  ),
  /** Models with embeddings, newest first. */
  'embed:models': call<EmbeddingModel[]>()(z.object({ run: z.number().int().positive().optional() }).strict()),
} as const;
