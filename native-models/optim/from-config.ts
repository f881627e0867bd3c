// Optimiser construction from a plain, serialisable config (what the trainer and the model card record).
import { adamw } from './adamw.js';
import { lars } from './lars.js';
import type { Optimizer } from './optimizer.js';
import { sgd } from './sgd.js';

export type OptimizerConfig =
  | { type: 'sgd'; momentum: number; exclude?: 'bias_norm' | 'none' }
  | { type: 'lars'; momentum: number; eta: number }
  | { type: 'adamw'; betas: [number, number]; eps: number; exclude?: 'bias_norm' | 'none' };

export function optimizerFromConfig(cfg: OptimizerConfig): Optimizer {
  switch (cfg.type) {
    case 'sgd':
      return sgd({ momentum: cfg.momentum, decayAll: cfg.exclude !== 'bias_norm' });
    case 'lars':
      return lars({ momentum: cfg.momentum, eta: cfg.eta });
    case 'adamw':
      return adamw({ betas: cfg.betas, eps: cfg.eps, excludeBiasNorm: cfg.exclude === 'bias_norm' });
  }
}
