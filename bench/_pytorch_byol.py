"""PyTorch peer for bench/train-step.ts: the same BYOL step (ResNet-18 MONAI layout, projector/predictor
4096 -> 256, LARS, target EMA) or encoder inference, float32, torch.set_num_threads(THREADS); prints one JSON line
{"times_ms": [...], "peak_rss_mb": ...}. Model code: tests/integration/native-models/reference/byol_reference.py."""
import json
import os
import resource
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'tests', 'integration', 'native-models', 'reference'))
import byol_reference as ref  # noqa: E402


def main():
    mode, cfg_json, batch, size, warmup, steps, threads = sys.argv[1], sys.argv[2], *map(int, sys.argv[3:8])
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    cfg = json.loads(cfg_json)
    model = ref.Byol(cfg)
    model.cfg = cfg
    v1 = torch.randn(batch, cfg['in_channels'], size, size, size)
    v2 = torch.randn(batch, cfg['in_channels'], size, size, size)
    if len(sys.argv) > 8:  # the caller's own input (raw float32, the same tiles it ran: bench/embed.ts)
        import numpy as np
        v1 = torch.from_numpy(np.fromfile(sys.argv[8], dtype=np.float32).reshape(batch, cfg['in_channels'], size, size, size))
    times = []
    if mode == 'train':
        online, target = model.online, model.target
        named = list(online.named_parameters())
        bufs = {k: torch.zeros_like(w) for k, w in named}
        lr, wd, tau, m, eta = 0.1, 1.5e-6, 0.99, 0.9, 1e-3
        model.train()
        for i in range(warmup + steps):
            t0 = time.perf_counter()
            loss, _ = step(model, v1, v2)
            with torch.no_grad():
                for k, w in named:  # LARS as byol_reference.apply_update, in place on .grad
                    g = w.grad
                    if w.dim() > 1:
                        g = g.add(w, alpha=wd)
                        wn, gn = torch.linalg.norm(w), torch.linalg.norm(g)
                        g.mul_(torch.where((wn > 0) & (gn > 0), eta * wn / gn, torch.ones_like(wn)))
                    bufs[k].mul_(m).add_(g)
                    w.sub_(lr * bufs[k])
                onl = dict(online.named_parameters())
                for k, w in target.named_parameters():
                    w.mul_(tau).add_(onl[k], alpha=1 - tau)
            if i >= warmup:
                times.append((time.perf_counter() - t0) * 1000)
    else:
        enc = model.online['encoder'].eval()
        del model.target
        with torch.no_grad():
            for i in range(warmup + steps):
                t0 = time.perf_counter()
                enc(v1)
                if i >= warmup:
                    times.append((time.perf_counter() - t0) * 1000)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({'times_ms': times, 'peak_rss_mb': peak}))


def step(model, v1, v2):
    """As byol_reference.forward_backward (without its gradient copies): 'per-view' (the default, as published
    BYOL and Voxelbase's default) forwards each view on its own; 'joint' passes [v1; v2] as one batch."""
    online, target = model.online, model.target

    def onl(x):
        return online['predictor'](online['projector'](online['encoder'](x)))

    def tgt(x):
        return target['projector'](target['encoder'](x))

    if model.cfg.get('bn_statistics', 'per-view') == 'per-view':
        p1, p2 = onl(v1), onl(v2)
        with torch.no_grad():
            z1, z2 = tgt(v1), tgt(v2)
    else:
        B = v1.shape[0]
        p = onl(torch.cat([v1, v2]))
        with torch.no_grad():
            z = tgt(torch.cat([v1, v2]))
        p1, p2, z1, z2 = p[:B], p[B:], z[:B], z[B:]
    loss = (ref.byol_loss(p1, z2) + ref.byol_loss(p2, z1)).mean()
    for q in online.parameters():
        q.grad = None
    loss.backward()
    return loss.detach(), None


if __name__ == '__main__':
    main()
