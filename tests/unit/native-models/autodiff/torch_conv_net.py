# PyTorch (Debian python3-torch, float64) reference for tests/unit/native-models/autodiff/gradients.test.ts:
# reads {"x","w1","b1","w2","fc","fcb","target"} (flat lists + shapes) as JSON on stdin, runs
# conv(3^3,s1,p1)+relu -> maxpool(2) -> conv(3^3,s2,p1)+relu -> global average pool -> linear -> mean squared
# error, and prints the loss and the gradient of every input as JSON.
import json
import sys

import torch
import torch.nn.functional as F

d = json.load(sys.stdin)
t = {k: torch.tensor(v["data"], dtype=torch.float64).reshape(v["shape"]).requires_grad_(True) for k, v in d.items()}
h = F.relu(F.conv3d(t["x"], t["w1"], t["b1"], stride=1, padding=1))
h = F.max_pool3d(h, 2, 2)
h = F.relu(F.conv3d(h, t["w2"], None, stride=2, padding=1))
h = h.mean(dim=(2, 3, 4))
y = F.linear(h, t["fc"], t["fcb"])
loss = ((y - t["target"]) ** 2).mean()
loss.backward()
out = {"loss": loss.item()}
for k, v in t.items():
    if k != "target":
        out[k] = v.grad.flatten().tolist()
print(json.dumps(out))
