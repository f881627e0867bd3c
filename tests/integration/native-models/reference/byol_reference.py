"""PyTorch reference for one BYOL training step of a MONAI-layout 3D ResNet (the oracle of byol-parity.test.ts).

Run with Debian's /usr/bin/python3 (python3-torch 1.13):
    byol_reference.py step IN.safetensors OUT.safetensors [float32]    # float64 oracle (or PyTorch's float32 step)
    byol_reference.py bnstats IN.safetensors OUT.safetensors            # BN statistics re-estimated on batches
IN holds the views, every parameter/buffer/optimiser state and the hyper-parameters; its __metadata__["config"]
(JSON) holds the architecture and optimiser. OUT receives `loss`, `collapse_std`, `grad.<param>` for every online parameter and
`new.<name>` for every parameter, BN running statistic and optimiser state after the step.

Sources:
- Encoder: MONAI monai/networks/nets/resnet.py (ResNet, ResNetBlock, ResNetBottleneck, _make_layer,
  _downsample_basic_block), re-implemented with identical state-dict keys (MONAI is not installed here):
  conv1 (kernel conv1_t_size, stride conv1_t_stride, padding k//2, no bias), bn1, relu, maxpool(3, 2, 1) unless
  no_max_pool, layer1..4 (stride 1, 2, 2, 2), blocks conv1/bn1/conv2/bn2[/conv3/bn3], downsample.0 (1x1x1 conv,
  bias = bias_downsample) + downsample.1 (BN) for shortcut B, avg-pool-1 + zero channels for shortcut A,
  AdaptiveAvgPool3d(1), no fc (feed_forward=False: the pooled features are the representation).
- Normalisation (config "norm"): 'batch' = nn.BatchNorm3d; 'group' = nn.GroupNorm(G, C, eps=1e-5) with G the
  requested "groups" lowered until it divides C, and every encoder conv weight-standardised (StdConv3d below:
  timm's StdConv2d formula on 3-D kernels, w' = (w - mean) / sqrt(var_biased + eps) per output channel,
  eps = config "ws_eps", computed by F.batch_norm as timm does; S. Qiao et al. 2019). The heads keep BatchNorm1d.
- BYOL: J.-B. Grill et al., "Bootstrap your own latent", NeurIPS 2020, §3 and appendix A/J: projector and predictor
  Linear-BN-ReLU-Linear, loss 2 - 2 cos(q, sg(z')) symmetrised, target = EMA of online (tau), updated after the
  online optimiser step with the new online parameters.
  config "bn_statistics": 'per-view' (default) forwards each view separately through each network, as DeepMind's
  byol_experiment.py and most PyTorch re-implementations do, so every BN layer (encoder and heads) normalises each
  view by its own batch statistics and its running statistics take two momentum updates per step, view 1's then
  view 2's; 'joint' passes both views as one batch of 2B (torch.cat: statistics over both views, one running-
  statistics update, as lucidrains/byol-pytorch). The loss is the batch mean of the two symmetric terms.
- Optimisers: SGD with momentum and AdamW from torch.optim (decoupled decay: I. Loshchilov & F. Hutter, ICLR 2019);
  LARS by hand after Y. You et al. 2017 and DeepMind's byol/utils/optimizers.py (decay added to the gradient,
  trust ratio eta*||w||/||g|| with 1 where a norm is 0, then momentum; biases and norm parameters excluded from
  both decay and adaptation). Excluded from decay: biases and norm parameters, i.e. the 1-D tensors (config "exclude": "bias_norm").
"""
import copy
import json
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# ---------------------------------------------------------------- safetensors (hand-written, from the format spec)
_DT = {'F32': np.float32, 'F64': np.float64, 'I64': np.int64, 'I32': np.int32, 'U8': np.uint8}
_ST = {np.dtype(np.float32): 'F32', np.dtype(np.float64): 'F64', np.dtype(np.int64): 'I64', np.dtype(np.int32): 'I32'}


def read_safetensors(path):
    raw = open(path, 'rb').read()
    n = struct.unpack('<Q', raw[:8])[0]
    hdr = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    meta = hdr.pop('__metadata__', {})
    out = {}
    for k, v in hdr.items():
        b, e = v['data_offsets']
        out[k] = np.frombuffer(data[b:e], dtype=_DT[v['dtype']]).reshape(v['shape']).copy()
    return out, meta


def write_safetensors(path, tensors, meta=None):
    hdr, parts, off = {}, [], 0
    if meta:
        hdr['__metadata__'] = meta
    for k in sorted(tensors, key=lambda k: (-tensors[k].dtype.itemsize, k)):
        a = np.ascontiguousarray(tensors[k])
        by = a.tobytes()
        hdr[k] = {'dtype': _ST[a.dtype], 'shape': list(a.shape), 'data_offsets': [off, off + len(by)]}
        parts.append(by)
        off += len(by)
    hj = json.dumps(hdr).encode()
    hj += b' ' * ((8 - (8 + len(hj)) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(hj)) + hj + b''.join(parts))


class StdConv3d(nn.Conv3d):
    """Weight-standardised Conv3d: timm's StdConv2d (timm/layers/std_conv.py) forward on 3-D kernels."""

    def __init__(self, *args, eps=1e-5, **kw):
        super().__init__(*args, **kw)
        self.eps = eps

    def forward(self, x):
        w = F.batch_norm(self.weight.reshape(1, self.out_channels, -1), None, None,
                         training=True, momentum=0., eps=self.eps).reshape_as(self.weight)
        return F.conv3d(x, w, self.bias, self.stride, self.padding, self.dilation, self.groups)


class Layers:
    """The encoder's conv and norm constructors for a config (BN, or GroupNorm + weight standardisation)."""

    def __init__(self, cfg):
        self.group = cfg.get('norm', 'batch') == 'group'
        self.groups = cfg.get('groups', 32)
        self.ws_eps = cfg.get('ws_eps', 1e-5)

    def conv(self, *args, **kw):
        return StdConv3d(*args, eps=self.ws_eps, **kw) if self.group else nn.Conv3d(*args, **kw)

    def norm(self, c):
        if not self.group:
            return nn.BatchNorm3d(c)
        g = min(self.groups, c)
        while c % g:
            g -= 1
        return nn.GroupNorm(g, c, eps=1e-5)


# ---------------------------------------------------------------- MONAI-layout 3D ResNet
class ResNetBlock(nn.Module):
    expansion = 1

    def __init__(self, L, in_planes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = L.conv(in_planes, planes, 3, padding=1, stride=stride, bias=False)
        self.bn1 = L.norm(planes)
        self.act = nn.ReLU(inplace=True)
        self.conv2 = L.conv(planes, planes, 3, padding=1, bias=False)
        self.bn2 = L.norm(planes)
        self.downsample = downsample

    def forward(self, x):
        out = self.act(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        residual = self.downsample(x) if self.downsample is not None else x
        return self.act(out + residual)


class ResNetBottleneck(nn.Module):
    expansion = 4

    def __init__(self, L, in_planes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = L.conv(in_planes, planes, 1, bias=False)
        self.bn1 = L.norm(planes)
        self.conv2 = L.conv(planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn2 = L.norm(planes)
        self.conv3 = L.conv(planes, planes * 4, 1, bias=False)
        self.bn3 = L.norm(planes * 4)
        self.act = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        out = self.act(self.bn1(self.conv1(x)))
        out = self.act(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        residual = self.downsample(x) if self.downsample is not None else x
        return self.act(out + residual)


class ShortcutA(nn.Module):
    """MONAI's _downsample_basic_block: avg-pool with kernel 1 (= strided subsampling), then zero channels."""

    def __init__(self, planes, stride):
        super().__init__()
        self.planes, self.stride = planes, stride

    def forward(self, x):
        out = F.avg_pool3d(x, kernel_size=1, stride=self.stride)
        pad = torch.zeros(out.size(0), self.planes - out.size(1), *out.shape[2:], dtype=out.dtype)
        return torch.cat([out, pad], dim=1)


class ResNet(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        block = ResNetBottleneck if cfg['block'] == 'bottleneck' else ResNetBlock
        widths = cfg['widths']
        k, s = cfg['conv1_kernel'], cfg['conv1_stride']
        self.in_planes = widths[0]
        self.no_max_pool = cfg['no_max_pool']
        L = self.L = Layers(cfg)
        self.conv1 = L.conv(cfg['in_channels'], widths[0], k, stride=s, padding=k // 2, bias=False)
        self.bn1 = L.norm(widths[0])
        self.act = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool3d(kernel_size=3, stride=2, padding=1)
        for i in range(4):
            setattr(self, f'layer{i + 1}', self._make_layer(block, widths[i], cfg['layers'][i], cfg, 1 if i == 0 else 2))
        self.avgpool = nn.AdaptiveAvgPool3d(1)

    def _make_layer(self, block, planes, blocks, cfg, stride):
        downsample = None
        if stride != 1 or self.in_planes != planes * block.expansion:
            if cfg['shortcut'] == 'A':
                downsample = ShortcutA(planes * block.expansion, stride)
            else:
                downsample = nn.Sequential(
                    self.L.conv(self.in_planes, planes * block.expansion, 1, stride=stride, bias=cfg['bias_downsample']),
                    self.L.norm(planes * block.expansion))
        layers = [block(self.L, self.in_planes, planes, stride, downsample)]
        self.in_planes = planes * block.expansion
        for _ in range(1, blocks):
            layers.append(block(self.L, self.in_planes, planes))
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.act(self.bn1(self.conv1(x)))
        if not self.no_max_pool:
            x = self.maxpool(x)
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.avgpool(x).flatten(1)


def mlp(d_in, hidden, d_out):
    """BYOL projector/predictor: Linear - BN - ReLU - Linear (keys 0, 1, 3)."""
    return nn.Sequential(nn.Linear(d_in, hidden), nn.BatchNorm1d(hidden), nn.ReLU(inplace=True), nn.Linear(hidden, d_out))


def feature_dim(cfg):
    return cfg['widths'][3] * (4 if cfg['block'] == 'bottleneck' else 1)


class Byol(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.online = nn.ModuleDict({
            'encoder': ResNet(cfg),
            'projector': mlp(feature_dim(cfg), cfg['proj_hidden'], cfg['proj_out']),
            'predictor': mlp(cfg['proj_out'], cfg['pred_hidden'], cfg['proj_out']),
        })
        self.target = nn.ModuleDict({
            'encoder': ResNet(cfg),
            'projector': mlp(feature_dim(cfg), cfg['proj_hidden'], cfg['proj_out']),
        })


def byol_loss(p, z):
    """2 - 2 cos(p, z) per sample (F.normalize as in the paper's eq. 2)."""
    return 2 - 2 * (F.normalize(p, dim=1) * F.normalize(z, dim=1)).sum(dim=1)


def is_excluded(w):
    """Biases and normalisation parameters - the 1-D tensors - are excluded from weight decay and LARS adaptation."""
    return w.dim() <= 1


# ---------------------------------------------------------------- one step
def forward_backward(model, v1, v2, bn_statistics='per-view'):
    """Online and target forward in train mode (updates BN running statistics), symmetric loss, backward.
    'per-view': each view through each network on its own (view 1 first); 'joint': [v1; v2] as one batch.
    Returns (loss, grads by name `online.<key>`, collapse_std)."""
    online, target = model.online, model.target
    model.train()

    projections = []

    def onl(x):
        zo = online['projector'](online['encoder'](x))
        projections.append(zo.detach())
        return online['predictor'](zo)

    def tgt(x):
        return target['projector'](target['encoder'](x))

    if bn_statistics == 'per-view':
        p1, p2 = onl(v1), onl(v2)
        with torch.no_grad():
            z1, z2 = tgt(v1), tgt(v2)
    elif bn_statistics == 'joint':
        B = v1.shape[0]
        p = onl(torch.cat([v1, v2]))
        with torch.no_grad():
            z = tgt(torch.cat([v1, v2]))
        p1, p2, z1, z2 = p[:B], p[B:], z[:B], z[B:]
    else:
        raise ValueError(f'unknown bn_statistics {bn_statistics}')
    loss = (byol_loss(p1, z2) + byol_loss(p2, z1)).mean()
    # SimSiam's collapse indicator over the online projections of both views (graphs/train-step.ts collapse_std)
    collapse_std = F.normalize(torch.cat(projections), dim=1).std(dim=0).mean()
    for q in online.parameters():
        q.grad = None
    loss.backward()
    grads = {'online.' + k: v.grad.detach().clone() for k, v in online.named_parameters()}
    return loss.detach(), grads, collapse_std


def apply_update(model, grads, hp, ocfg, state):
    """Optimiser step on the online parameters with `grads`, then the target EMA (with the new online values)."""
    online, target = model.online, model.target
    named = dict(('online.' + k, v) for k, v in online.named_parameters())
    for k, w in named.items():
        w.grad = grads[k].clone()
    lr, wd, tau = float(hp['lr']), float(hp['weight_decay']), float(hp['tau'])
    kind = ocfg['type']
    with torch.no_grad():
        if kind == 'lars':
            m, eta = ocfg['momentum'], ocfg['eta']
            for k, w in named.items():
                g = w.grad
                if not is_excluded(w):
                    g = g + wd * w
                    wn, gn = torch.linalg.norm(w), torch.linalg.norm(g)
                    ratio = torch.where((wn > 0) & (gn > 0), eta * wn / gn, torch.ones_like(wn))
                    g = g * ratio
                buf = state[k + '.momentum']
                buf.mul_(m).add_(g)
                w.sub_(lr * buf)
        else:
            decay = [v for v in named.values() if not is_excluded(v)] if ocfg.get('exclude') == 'bias_norm' else list(named.values())
            ids = set(id(v) for v in decay)
            rest = [v for v in named.values() if id(v) not in ids]
            groups = [{'params': decay, 'weight_decay': wd}, {'params': rest, 'weight_decay': 0.0}]
            if kind == 'sgd':
                opt = torch.optim.SGD(groups, lr=lr, momentum=ocfg['momentum'])
                for k, w in named.items():
                    opt.state[w] = {'momentum_buffer': state[k + '.momentum']}
            elif kind == 'adamw':
                b1, b2 = ocfg['betas']
                opt = torch.optim.AdamW(groups, lr=lr, betas=(b1, b2), eps=ocfg['eps'])
                t = float(hp['step'])
                for k, w in named.items():
                    opt.state[w] = {'step': torch.tensor(t - 1), 'exp_avg': state[k + '.exp_avg'],
                                    'exp_avg_sq': state[k + '.exp_avg_sq']}
            else:
                raise ValueError(f'unknown optimiser {kind}')
            opt.step()
        onl = dict(online.named_parameters())
        for k, w in target.named_parameters():
            w.mul_(tau).add_((1 - tau) * onl[k])


def load_model(cfg, tensors, dtype):
    model = Byol(cfg).to(dtype)
    sd = model.state_dict()
    missing = [k for k in sd if k not in tensors]
    if missing:
        raise KeyError(f'byol_reference: input lacks {missing[:5]} ...')
    model.load_state_dict({k: torch.from_numpy(tensors[k]).to(sd[k].dtype) for k in sd})
    return model


def main_step(inp, outp, dtype=torch.float64):
    """config["optimizer"] may be one optimiser or a list: the forward/backward runs once and each optimiser is
    applied to a copy of the post-forward model; outputs of the i-th (i > 0) are prefixed `<type>:`."""
    tensors, meta = read_safetensors(inp)
    cfg = json.loads(meta['config'])
    ocfgs = cfg['optimizer'] if isinstance(cfg['optimizer'], list) else [cfg['optimizer']]
    model = load_model(cfg, tensors, dtype)
    hp = {k[len('hp.'):]: float(v.reshape(-1)[0]) for k, v in tensors.items() if k.startswith('hp.')}
    v1 = torch.from_numpy(tensors['view1']).to(dtype)
    v2 = torch.from_numpy(tensors['view2']).to(dtype)
    loss, grads, collapse_std = forward_backward(model, v1, v2, cfg.get('bn_statistics', 'per-view'))
    out = {'loss': np.array(loss.item(), dtype=np.float64), 'collapse_std': np.array(collapse_std.item(), dtype=np.float64)}
    for k, g in grads.items():
        out['grad.' + k] = g.numpy()
    after_forward = copy.deepcopy(model.state_dict())
    for i, ocfg in enumerate(ocfgs):
        model.load_state_dict(after_forward)
        pre = '' if i == 0 else ocfg['type'] + ':'
        slots = ['exp_avg', 'exp_avg_sq'] if ocfg['type'] == 'adamw' else ['momentum']
        state = {}
        for k in grads:
            for sl in slots:
                name = f'state.{k}.{sl}'
                src = tensors.get(pre + name, tensors.get(name))
                state[f'{k}.{sl}'] = torch.from_numpy(np.array(src)).to(dtype)
        apply_update(model, grads, hp, ocfg, state)
        for k, v in model.state_dict().items():
            out[pre + 'new.' + k] = v.numpy().copy()
        for k, v in state.items():
            out[pre + 'new.state.' + k] = v.numpy().copy()
    write_safetensors(outp, out)


def main_bnstats(inp, outp):
    """The oracle of graphs/bn-statistics.ts: an encoder (MONAI keys) and batches `batch.<i>` in IN; running
    statistics re-estimated as torch.optim.swa_utils.update_bn does (reset_running_stats, momentum=None, train(),
    forward every batch), float64. OUT holds every running_mean, running_var and num_batches_tracked."""
    tensors, meta = read_safetensors(inp)
    cfg = json.loads(meta['config'])
    enc = ResNet(cfg).to(torch.float64)
    sd = enc.state_dict()
    enc.load_state_dict({k: torch.from_numpy(tensors[k]).to(sd[k].dtype) for k in sd})
    for m in enc.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.reset_running_stats()
            m.momentum = None
    enc.train()
    with torch.no_grad():
        i = 0
        while f'batch.{i}' in tensors:
            enc(torch.from_numpy(tensors[f'batch.{i}']).to(torch.float64))
            i += 1
    out = {k: v.numpy().copy() for k, v in enc.state_dict().items()
           if k.endswith(('running_mean', 'running_var', 'num_batches_tracked'))}
    write_safetensors(outp, out)


if __name__ == '__main__':
    torch.set_num_threads(int(__import__('os').environ.get('VB_TORCH_THREADS', '2')))
    if sys.argv[1] == 'step':
        main_step(sys.argv[2], sys.argv[3], torch.float32 if sys.argv[4:] == ['float32'] else torch.float64)
    elif sys.argv[1] == 'bnstats':
        main_bnstats(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(f'usage: {sys.argv[0]} step IN OUT [float32] | bnstats IN OUT')
