"""PyTorch's side of `npm run bench -- export`: the same encoder exported the PyTorch way.

    _torch_export.py EXPORT_DIR OUT.onnx D H W

Loads EXPORT_DIR/encoder.safetensors (own reader) into MONAI's ResNet (the oracle redefined in
tests/integration/app/services/export/reference/monai_resnet.py) with strict=True, then times torch.save of the
state dict and torch.onnx.export (eval mode, opset 17, dynamic batch: PyTorch folds BN into the convolutions
itself), and prints JSON {load_s, save_s, onnx_s, onnx_bytes, pt_bytes}.
"""
import io
import json
import os
import struct
import sys
import time

import torch

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, '..', 'tests', 'integration', 'app', 'services', 'export', 'reference'))
from monai_resnet import ResNet  # noqa: E402

_DT = {'F32': torch.float32, 'I64': torch.int64}


def read(path):
    raw = open(path, 'rb').read()
    n = struct.unpack('<Q', raw[:8])[0]
    hdr = json.loads(raw[8:8 + n])
    hdr.pop('__metadata__', None)
    data = raw[8 + n:]
    return {k: torch.frombuffer(bytearray(data[e['data_offsets'][0]:e['data_offsets'][1]]), dtype=_DT[e['dtype']]).reshape(e['shape']).clone() for k, e in hdr.items()}


export, out = sys.argv[1], sys.argv[2]
box = [int(v) for v in sys.argv[3:6]]
torch.set_num_threads(int(os.environ.get('BENCH_THREADS', '2')))
card = json.load(open(os.path.join(export, 'model-card.json')))
t0 = time.perf_counter()
net = ResNet(**card['architecture']['monai']['kwargs'])
net.load_state_dict(read(os.path.join(export, 'encoder.safetensors')), strict=True)
net.eval()
t1 = time.perf_counter()
buf = io.BytesIO()
torch.save(net.state_dict(), buf)
t2 = time.perf_counter()
with torch.no_grad():
    torch.onnx.export(net, torch.zeros(1, card['architecture']['inChannels'], *box), out, opset_version=17,
                      input_names=['image'], output_names=['embedding'], dynamic_axes={'image': {0: 'batch'}, 'embedding': {0: 'batch'}})
t3 = time.perf_counter()
print(json.dumps({'load_s': t1 - t0, 'save_s': t2 - t1, 'onnx_s': t3 - t2, 'onnx_bytes': os.path.getsize(out), 'pt_bytes': len(buf.getvalue())}))
