"""Loads a Voxelbase export into the MONAI oracle (monai_resnet.py) and runs it: the PyTorch side of export.test.ts.

    load_export.py EXPORT_DIR INPUT.f32 N C D H W [EXAMPLE.py]

Reads encoder.safetensors with its own reader (from the format: 8-byte little-endian header size, JSON header,
bytes), builds ResNet(**model-card.json's architecture.monai.kwargs), checks that the file's keys, shapes and dtypes
are exactly the module's state_dict(), loads it with strict=True, and runs it in eval mode on INPUT (raw float32,
little endian, [N, C, D, H, W]). With EXAMPLE.py, also loads the export with that script's load_encoder (its
plain-PyTorch network, as when MONAI is absent) and runs it on the same input.
Prints one JSON line: {"keys": n, "features": [...], "example": [...] | null, "network": ...}.
"""
import importlib.util
import json
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from monai_resnet import ResNet  # noqa: E402

_DT = {'F32': torch.float32, 'F64': torch.float64, 'I64': torch.int64}


def read(path):
    raw = open(path, 'rb').read()
    n = struct.unpack('<Q', raw[:8])[0]
    hdr = json.loads(raw[8:8 + n])
    meta = hdr.pop('__metadata__', {})
    data = raw[8 + n:]
    out = {}
    for k, e in hdr.items():
        b, end = e['data_offsets']
        out[k] = torch.frombuffer(bytearray(data[b:end]), dtype=_DT[e['dtype']]).reshape(e['shape']).clone()
    return out, meta


def main():
    export, inp = sys.argv[1], sys.argv[2]
    shape = [int(v) for v in sys.argv[3:8]]
    example = sys.argv[8] if len(sys.argv) > 8 else None
    torch.set_num_threads(1)
    card = json.load(open(os.path.join(export, 'model-card.json')))
    state, meta = read(os.path.join(export, 'encoder.safetensors'))
    if card['keys'] == 'medicalnet':
        assert all(k.startswith('module.') for k in state), 'MedicalNet keys carry module.'
        state = {k[len('module.'):]: v for k, v in state.items()}
    net = ResNet(**card['architecture']['monai']['kwargs'])
    want = net.state_dict()
    assert set(state) == set(want), ('key sets differ', sorted(set(state) ^ set(want))[:10])
    for k, v in want.items():
        assert tuple(state[k].shape) == tuple(v.shape), (k, tuple(state[k].shape), tuple(v.shape))
        assert state[k].dtype == v.dtype, (k, state[k].dtype, v.dtype)
    res = net.load_state_dict(state, strict=True)
    assert not res.missing_keys and not res.unexpected_keys
    net.eval()
    x = torch.from_numpy(np.fromfile(inp, dtype='<f4').reshape(shape))
    with torch.no_grad():
        feats = net(x)
    ex = None
    if example:
        spec = importlib.util.spec_from_file_location('finetune_example', example)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        enc, _ = mod.load_encoder(export, use_monai=False)
        enc.eval()
        with torch.no_grad():
            ex = enc(x).reshape(-1).tolist()
    print(json.dumps({'keys': len(state), 'features': feats.reshape(-1).tolist(), 'shape': list(feats.shape),
                      'example': ex, 'meta': meta}))


main()
