# Independent numpy computation of leave-one-out kNN accuracy (k = 1, 5, 20), recall@k (1, 5, 10) and mAP,
# for tests/unit/app/services/evaluate/metrics.test.ts. Reads {"dims", "vectors", "labels"} JSON on stdin.
import json, sys
import numpy as np

d = json.load(sys.stdin)
X = np.asarray(d["vectors"], dtype=np.float64).reshape(-1, d["dims"])
labels = d["labels"]
keep = [i for i, l in enumerate(labels) if l]
X = X[keep]
lab = np.array([labels[i] for i in keep])
X = X / np.linalg.norm(X, axis=1, keepdims=True)
S = X @ X.T
n = len(lab)
out = {"knn": {}, "recall": {}}
orders = []
for q in range(n):
    others = np.array([j for j in range(n) if j != q])
    # similarity descending, row ascending (lexsort: last key is primary)
    o = others[np.lexsort((others, -S[q, others]))]
    orders.append(o)
for k in (1, 5, 20):
    hits = 0
    for q in range(n):
        top = orders[q][:k]
        best = None
        for rank, j in enumerate(top):
            l = lab[j]
            cnt = int(np.sum(lab[top] == l))
            ssum = float(np.sum(S[q, top][lab[top] == l]))
            first = int(np.argmax(lab[top] == l))
            key = (cnt, ssum, -first)
            if best is None or key > best[0]:
                best = (key, l)
        hits += best[1] == lab[q]
    out["knn"][k] = hits / n
aps, rec = [], {1: 0, 5: 0, 10: 0}
for q in range(n):
    rel = lab[orders[q]] == lab[q]
    if not rel.any():
        continue
    ranks = np.nonzero(rel)[0]
    aps.append(np.mean((np.arange(len(ranks)) + 1) / (ranks + 1)))
    for k in rec:
        rec[k] += ranks[0] < k
out["mAP"] = float(np.mean(aps))
out["recall"] = {k: v / len(aps) for k, v in rec.items()}
out["withRelevant"] = len(aps)
print(json.dumps(out))
