"""PyTorch BYOL peer of bench/pretrain-quality.ts: the same BYOL as Voxelbase's run (MONAI-layout 3D ResNet and
heads from tests/integration/native-models/reference/byol_reference.py, per-view BN statistics), started from the
same initial weights (INIT safetensors, Voxelbase's initParams for the run's seed), trained on the same views (read
from stdin, written by the bench from Voxelbase's loader with the run's seed: batch k is the one the Voxelbase run
trained step k on), with the same optimiser, learning-rate schedule (linear warm-up, cosine), weight decay
exclusions (biases and norm parameters), tau schedule and step budget. float32, torch.set_num_threads(THREADS).

usage: _pretrain_peer.py CONFIG_JSON INIT.safetensors OUT.safetensors
stdin: per step, view 1 then view 2, float32 little endian [batch, 1, d, h, w]
OUT: the online encoder's state dict (MONAI keys); stdout: one JSON line
{"step_ms": [...], "wait_ms": [...], "losses": [...], "peak_rss_mb": ...}
"""
import json
import math
import os
import resource
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'tests', 'integration', 'native-models', 'reference'))
import byol_reference as ref  # noqa: E402


def lr_at(k, total, base, warmup):
    """app/services/pretrain/schedule.ts learningRateAt."""
    if warmup > 0 and k < warmup:
        return base * (k + 1) / warmup
    t = min(1.0, max(0.0, (k - warmup) / max(1, total - warmup)))
    return base * (1 + math.cos(math.pi * t)) / 2


def tau_at(k, total, tau_base):
    """app/services/pretrain/schedule.ts tauAt."""
    t = min(1.0, max(0.0, k / max(1, total)))
    return 1 - (1 - tau_base) * (math.cos(math.pi * t) + 1) / 2


def read_exact(stream, n):
    buf = bytearray(n)
    view = memoryview(buf)
    got = 0
    while got < n:
        r = stream.readinto(view[got:])
        if not r:
            raise SystemExit(f'peer: stdin ended after {got} of {n} bytes')
        got += r
    return buf


def main():
    cfg = json.loads(sys.argv[1])
    init, _ = ref.read_safetensors(sys.argv[2])
    torch.set_num_threads(cfg['threads'])
    model = ref.Byol(cfg)
    sd = model.state_dict()
    model.load_state_dict({k: (torch.from_numpy(init[k]).to(v.dtype) if k in init else v) for k, v in sd.items()})
    online, target = model.online, model.target
    for p in target.parameters():
        p.requires_grad_(False)
    named = list(online.named_parameters())
    decay = [w for _, w in named if not ref.is_excluded(w)]
    rest = [w for _, w in named if ref.is_excluded(w)]
    ocfg = cfg['optimizer']
    if ocfg['type'] == 'adamw':
        opt = torch.optim.AdamW([{'params': decay, 'weight_decay': cfg['weight_decay']}, {'params': rest, 'weight_decay': 0.0}],
                                lr=cfg['lr'], betas=tuple(ocfg['betas']), eps=ocfg['eps'])
    else:
        bufs = {k: torch.zeros_like(w) for k, w in named}
    B, (d, h, w) = cfg['batch'], cfg['input']
    n = B * d * h * w * 4
    shape = (B, 1, d, h, w)
    steps, step_ms, wait_ms, losses = cfg['steps'], [], [], []
    stdin = sys.stdin.buffer
    model.train()
    for k in range(steps):
        t0 = time.perf_counter()
        v1 = torch.from_numpy(np.frombuffer(read_exact(stdin, n), dtype='<f4').reshape(shape))
        v2 = torch.from_numpy(np.frombuffer(read_exact(stdin, n), dtype='<f4').reshape(shape))
        t1 = time.perf_counter()
        lr = lr_at(k, steps, cfg['lr'], cfg['warmup'])
        tau = tau_at(k, steps, cfg['tau_base'])
        p1 = online['predictor'](online['projector'](online['encoder'](v1)))
        p2 = online['predictor'](online['projector'](online['encoder'](v2)))
        with torch.no_grad():
            z1 = target['projector'](target['encoder'](v1))
            z2 = target['projector'](target['encoder'](v2))
        loss = (ref.byol_loss(p1, z2) + ref.byol_loss(p2, z1)).mean()
        for _, p in named:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            if ocfg['type'] == 'adamw':
                for g in opt.param_groups:
                    g['lr'] = lr
                opt.step()
            else:  # LARS as byol_reference.apply_update
                m, eta, wd = ocfg['momentum'], ocfg['eta'], cfg['weight_decay']
                for key, p in named:
                    g = p.grad
                    if not ref.is_excluded(p):
                        g = g.add(p, alpha=wd)
                        wn, gn = torch.linalg.norm(p), torch.linalg.norm(g)
                        g = g * torch.where((wn > 0) & (gn > 0), eta * wn / gn, torch.ones_like(wn))
                    bufs[key].mul_(m).add_(g)
                    p.sub_(lr * bufs[key])
            onl = dict(online.named_parameters())
            for key, p in target.named_parameters():
                p.mul_(tau).add_(onl[key], alpha=1 - tau)
        t2 = time.perf_counter()
        losses.append(float(loss))
        wait_ms.append((t1 - t0) * 1000)
        step_ms.append((t2 - t1) * 1000)
    enc = {k: v.detach().numpy().copy() for k, v in online['encoder'].state_dict().items()}
    ref.write_safetensors(sys.argv[3], enc)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({'step_ms': step_ms, 'wait_ms': wait_ms, 'losses': losses, 'peak_rss_mb': peak}))


if __name__ == '__main__':
    main()
