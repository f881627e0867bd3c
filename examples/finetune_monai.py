#!/usr/bin/env python3
"""Fine-tune a Voxelbase encoder export for classification on a folder of NIfTI volumes labelled by a CSV.

    python3 finetune_monai.py --export EXPORT_DIR --images NIFTI_DIR --labels labels.csv [--steps 200]

EXPORT_DIR is what `voxelbase export RUN --out EXPORT_DIR` wrote (encoder.safetensors + model-card.json).
labels.csv has a header with a `file` column (a file name under NIFTI_DIR, or a path) and a `label` column (any
text; each distinct value is a class). Every volume is prepared as the model card says (canonical RAS, resampled to
the card's voxel spacing, intensity-normalised as the card says, cropped or padded to the card's box around its
foreground; `--modality CT` where the card's intensity mode is 'auto' and the volumes are CT), the
encoder gets a linear classification head on its pooled features, and both are trained with AdamW and cross-entropy;
`--freeze-encoder` trains the head only. The loss is printed every step (`step K loss L`); `--out FILE.pt` saves
the fine-tuned state dict, `--json` prints a JSON summary as the last line.

The five lines that load the weights (MONAI and the safetensors package installed):

    from monai.networks.nets import ResNet
    from safetensors.torch import load_file
    encoder = ResNet(**card['architecture']['monai']['kwargs'])      # the card also spells the call out
    encoder.load_state_dict(load_file('encoder.safetensors'), strict=True)
    encoder.eval()

Without MONAI this script builds the same network in plain PyTorch (PlainResNet below: the modules, state-dict keys
and forward pass of monai.networks.nets.ResNet with feed_forward=False, monai/networks/nets/resnet.py); without the
safetensors package it reads the file itself (the format: an 8-byte little-endian header size, a JSON header of
name -> dtype, shape, byte offsets, then the bytes; https://github.com/huggingface/safetensors). Needs PyTorch,
NumPy and nibabel (scipy for resampling).
"""
import argparse
import csv
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# ----------------------------------------------------------------------------------------------- safetensors
_DTYPES = {'F64': torch.float64, 'F32': torch.float32, 'F16': torch.float16, 'BF16': torch.bfloat16,
           'I64': torch.int64, 'I32': torch.int32, 'I16': torch.int16, 'I8': torch.int8, 'U8': torch.uint8,
           'BOOL': torch.bool}


def read_safetensors(path):
    """safetensors file -> {name: tensor} (what safetensors.torch.load_file returns)."""
    with open(path, 'rb') as f:
        raw = f.read()
    (n,) = struct.unpack('<Q', raw[:8])
    header = json.loads(raw[8:8 + n])
    header.pop('__metadata__', None)
    data = raw[8 + n:]
    out = {}
    for name, e in header.items():
        begin, end = e['data_offsets']
        buf = bytearray(data[begin:end])
        t = torch.frombuffer(buf, dtype=_DTYPES[e['dtype']]) if end > begin else torch.empty(0, dtype=_DTYPES[e['dtype']])
        out[name] = t.reshape(e['shape']).clone()
    return out


try:
    from safetensors.torch import load_file
except ImportError:
    load_file = read_safetensors


# ----------------------------------------------------------------------------------------------- the network
class BasicBlock(nn.Module):
    """MONAI's ResNetBlock (expansion 1)."""
    expansion = 1

    def __init__(self, in_planes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv3d(in_planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm3d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv3d(planes, planes, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm3d(planes)
        self.downsample = downsample

    def forward(self, x):
        y = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        return self.relu(y + (x if self.downsample is None else self.downsample(x)))


class Bottleneck(nn.Module):
    """MONAI's ResNetBottleneck (expansion 4, the stride on the 3^3 conv)."""
    expansion = 4

    def __init__(self, in_planes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv3d(in_planes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm3d(planes)
        self.conv2 = nn.Conv3d(planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm3d(planes)
        self.conv3 = nn.Conv3d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm3d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        y = self.relu(self.bn1(self.conv1(x)))
        y = self.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        return self.relu(y + (x if self.downsample is None else self.downsample(x)))


class ZeroPadShortcut(nn.Module):
    """Shortcut type A: subsample by the stride, append zero channels (no parameters, no state-dict keys)."""

    def __init__(self, planes, stride):
        super().__init__()
        self.planes, self.stride = planes, stride

    def forward(self, x):
        y = x[:, :, ::self.stride, ::self.stride, ::self.stride]
        pad = y.new_zeros((y.shape[0], self.planes - y.shape[1]) + tuple(y.shape[2:]))
        return torch.cat([y, pad], 1)


class PlainResNet(nn.Module):
    """monai.networks.nets.ResNet(..., spatial_dims=3, feed_forward=False) in plain PyTorch: same arguments, same keys."""

    def __init__(self, block, layers, block_inplanes, spatial_dims=3, n_input_channels=3, conv1_t_size=7,
                 conv1_t_stride=1, no_max_pool=False, shortcut_type='B', widen_factor=1.0, num_classes=400,
                 feed_forward=True, bias_downsample=True):
        super().__init__()
        if spatial_dims != 3 or feed_forward:
            raise ValueError('PlainResNet covers spatial_dims=3, feed_forward=False (what Voxelbase exports)')
        block = {'basic': BasicBlock, 'bottleneck': Bottleneck}[block] if isinstance(block, str) else block
        widths = [int(w * widen_factor) for w in block_inplanes]
        self.in_planes = widths[0]
        self.no_max_pool = no_max_pool
        self.conv1 = nn.Conv3d(n_input_channels, widths[0], conv1_t_size, stride=conv1_t_stride,
                               padding=conv1_t_size // 2, bias=False)
        self.bn1 = nn.BatchNorm3d(widths[0])
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool3d(3, stride=2, padding=1)
        for i in range(4):
            stage = []
            stride = 1 if i == 0 else 2
            for j in range(layers[i]):
                planes = widths[i]
                down = None
                if j == 0 and (stride != 1 or self.in_planes != planes * block.expansion):
                    if shortcut_type == 'A':
                        down = ZeroPadShortcut(planes * block.expansion, stride)
                    else:
                        down = nn.Sequential(nn.Conv3d(self.in_planes, planes * block.expansion, 1, stride=stride,
                                                       bias=bias_downsample), nn.BatchNorm3d(planes * block.expansion))
                stage.append(block(self.in_planes, planes, stride if j == 0 else 1, down))
                self.in_planes = planes * block.expansion
            setattr(self, f'layer{i + 1}', nn.Sequential(*stage))
        self.avgpool = nn.AdaptiveAvgPool3d(1)
        self.fc = None
        self.feature_dim = self.in_planes

    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        if not self.no_max_pool:
            x = self.maxpool(x)
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.avgpool(x).flatten(1)


def resnet(kwargs, use_monai=True):
    """MONAI's ResNet when MONAI is installed (and use_monai), else PlainResNet, built from the card's kwargs."""
    if use_monai:
        try:
            from monai.networks.nets import ResNet
            return ResNet(**kwargs)
        except ImportError:
            pass
    return PlainResNet(**kwargs)


def load_encoder(export_dir, use_monai=True):
    """(encoder with the exported weights loaded strictly, model card)."""
    with open(os.path.join(export_dir, 'model-card.json')) as f:
        card = json.load(f)
    monai = card['architecture']['monai']
    if monai is None:
        raise SystemExit('this encoder has no MONAI equivalent (see the model card); use encoder.onnx')
    encoder = resnet(monai['kwargs'], use_monai)
    state = load_file(os.path.join(export_dir, 'encoder.safetensors'))
    if card.get('keys') == 'medicalnet':
        state = {k.replace('module.', '', 1): v for k, v in state.items()}
    encoder.load_state_dict(state, strict=True)
    return encoder, card


# ----------------------------------------------------------------------------------------------- the data
def prepare_volume(path, card, modality='MR'):
    """A NIfTI file -> float32 array [C, D, H, W] for the encoder: load_volume, then the card's box around the
    foreground."""
    vol = load_volume(path, card, modality)
    return crop_or_pad(vol, [int(b) for b in card['input']['box']])[None]


def load_volume(path, card, modality='MR'):
    """A NIfTI file -> float32 array [D, H, W] prepared as Voxelbase prepares its training volumes (the model card's
    `input`): canonical RAS, anti-aliased when downsampling (Gaussian, sigma = max(0, (factor - 1) / 2) source voxels,
    scikit-image's rule), trilinear resampling to the card's spacing, the card's intensity normalisation."""
    import nibabel as nib
    inp = card['input']
    img = nib.as_closest_canonical(nib.load(path))
    if len(img.shape) > 3:
        img = img.slicer[..., int(inp.get('intensity', {}).get('volume') or 0)]
    spacing = [float(s) for s in inp['spacingMm']]     # along D, H, W = z, y, x
    target = (spacing[2], spacing[1], spacing[0])       # nibabel's x, y, z
    zooms = [float(z) for z in img.header.get_zooms()[:3]]
    if not np.allclose(zooms, target, rtol=1e-3):
        from nibabel.processing import resample_to_output
        data = np.asarray(img.dataobj, dtype=np.float32)
        sigmas = [max(0.0, (t / z - 1) / 2) for t, z in zip(target, zooms)]
        if any(s > 0 for s in sigmas) and inp.get('intensity', {}).get('antiAlias', True):
            from scipy.ndimage import gaussian_filter
            data = gaussian_filter(data, sigmas, mode='nearest', truncate=4.0)
        img = resample_to_output(nib.Nifti1Image(data, img.affine), voxel_sizes=target, order=1)
    vol = np.asarray(img.dataobj, dtype=np.float32).transpose(2, 1, 0)   # RAS (x, y, z) -> D, H, W = (z, y, x)
    return normalise(vol, inp.get('intensity', {}), modality)


def normalise(vol, intensity, modality='MR'):
    """The card's intensity normalisation: 'ct' clips to the HU window and scales to [0, 1]; 'percentile' takes the
    foreground as x > p2 + 0.1 (p98 - p2) (FSL BET's robust threshold), clips to the foreground's percentiles and
    z-scores with the clipped foreground's mean and standard deviation; 'auto' is 'ct' for CT, else 'percentile'."""
    mode = intensity.get('mode', 'auto')
    if mode == 'auto':
        mode = 'ct' if modality.upper() == 'CT' else 'percentile'
    if mode == 'ct':
        lo, hi = (float(v) for v in (intensity.get('ctWindow') or (-1000, 1000)))
        return ((np.clip(vol, lo, hi) - lo) / (hi - lo)).astype(np.float32)
    p2, p98 = np.percentile(vol, [2, 98])
    fg = vol[vol > p2 + 0.1 * (p98 - p2)]
    if fg.size == 0:
        fg = vol.ravel()
    lo, hi = np.percentile(fg, [float(p) for p in (intensity.get('percentiles') or (0.5, 99.5))])
    f = np.clip(fg, lo, hi)
    return ((np.clip(vol, lo, hi) - f.mean()) / (f.std() + 1e-12)).astype(np.float32)


def crop_or_pad(vol, box):
    """Centre `box` on the foreground's bounding box (pad with the minimum where the volume is smaller)."""
    nz = np.argwhere(vol > vol.min())
    centre = (nz.min(0) + nz.max(0)) // 2 if len(nz) else np.array(vol.shape) // 2
    out = np.full(box, vol.min(), dtype=np.float32)
    src, dst = [], []
    for c, n, b in zip(centre, vol.shape, box):
        start = int(c) - b // 2
        s0, s1 = max(start, 0), min(start + b, n)
        src.append(slice(s0, s1))
        dst.append(slice(s0 - start, s1 - start))
    out[tuple(dst)] = vol[tuple(src)]
    return out


def read_labels(csv_path, images):
    with open(csv_path, newline='') as f:
        rows = list(csv.DictReader(f))
    if not rows or 'label' not in rows[0]:
        raise SystemExit(f'{csv_path}: needs a header with a file column and a label column')
    key = next((k for k in ('file', 'path', 'image') if k in rows[0]), None)
    if key is None:
        raise SystemExit(f'{csv_path}: no file column (file, path or image)')
    files = [r[key] if os.path.isabs(r[key]) else os.path.join(images, r[key]) for r in rows]
    return files, [r['label'] for r in rows]


# ----------------------------------------------------------------------------------------------- fine-tuning
class Classifier(nn.Module):
    def __init__(self, encoder, features, classes):
        super().__init__()
        self.encoder = encoder
        self.head = nn.Linear(features, classes)

    def forward(self, x):
        return self.head(self.encoder(x))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--export', required=True, help='folder written by voxelbase export')
    p.add_argument('--images', required=True, help='folder of NIfTI files')
    p.add_argument('--labels', required=True, help='CSV with file and label columns')
    p.add_argument('--steps', type=int, default=200)
    p.add_argument('--batch', type=int, default=4)
    p.add_argument('--lr', type=float, default=1e-4)
    p.add_argument('--weight-decay', type=float, default=1e-2)
    p.add_argument('--modality', default='MR', help="the volumes' modality (CT selects the CT window when the card's intensity mode is auto)")
    p.add_argument('--freeze-encoder', action='store_true', help='train the head only')
    p.add_argument('--no-monai', action='store_true', help='use PlainResNet even when MONAI is installed')
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--threads', type=int, default=0, help='torch threads (0: PyTorch decides)')
    p.add_argument('--out', help='save the fine-tuned state dict here (torch.save)')
    p.add_argument('--json', action='store_true', help='print a JSON summary as the last line')
    a = p.parse_args(argv)
    torch.manual_seed(a.seed)
    if a.threads:
        torch.set_num_threads(a.threads)
    encoder, card = load_encoder(a.export, use_monai=not a.no_monai)
    files, labels = read_labels(a.labels, a.images)
    classes = sorted(set(labels))
    if len(classes) < 2:
        raise SystemExit(f'{a.labels}: needs at least two distinct labels, found {classes}')
    x = torch.from_numpy(np.stack([prepare_volume(f, card, a.modality) for f in files]))
    y = torch.tensor([classes.index(lab) for lab in labels])
    model = Classifier(encoder, card['architecture']['featureDim'], len(classes))
    if a.freeze_encoder:
        for q in model.encoder.parameters():
            q.requires_grad_(False)
    opt = torch.optim.AdamW([q for q in model.parameters() if q.requires_grad], lr=a.lr, weight_decay=a.weight_decay)
    gen = torch.Generator().manual_seed(a.seed)
    losses = []
    model.train()
    if a.freeze_encoder:
        model.encoder.eval()   # keep the exported BN statistics when the encoder is frozen
    order = torch.randperm(len(files), generator=gen)
    pos = 0
    for step in range(1, a.steps + 1):
        if pos + a.batch > len(order):
            order, pos = torch.randperm(len(files), generator=gen), 0
        idx = order[pos:pos + a.batch]
        pos += a.batch
        loss = F.cross_entropy(model(x[idx]), y[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss))
        print(f'step {step} loss {losses[-1]:.6f}', flush=True)
    if a.out:
        torch.save({'state_dict': model.state_dict(), 'classes': classes}, a.out)
    if a.json:
        print(json.dumps({'losses': losses, 'classes': classes, 'volumes': len(files),
                          'input': list(x.shape[1:]), 'network': type(encoder).__module__ + '.' + type(encoder).__name__}))
    return losses


if __name__ == '__main__':
    sys.exit(0 if main() is not None else 1)
