# Leave-one-out kNN-1 accuracy from `voxelbase embeddings export` (embeddings.npy + series.csv) and a labels CSV
# (source_path,label), computed independently of Voxelbase with numpy: cosine similarity, the nearest other
# series (ties: lower row), its label against the query's. argv: export dir, labels csv. Prints the accuracy.
import csv, sys
import numpy as np

out, labels_csv = sys.argv[1], sys.argv[2]
X = np.load(f"{out}/embeddings.npy").astype(np.float64)
rows = list(csv.DictReader(open(f"{out}/series.csv")))
by_path = {r["source_path"]: r["label"] for r in csv.DictReader(open(labels_csv))}
lab = [by_path.get(r["source_path"]) for r in rows]
keep = [i for i, l in enumerate(lab) if l]
X = X[keep]
lab = [lab[i] for i in keep]
X /= np.linalg.norm(X, axis=1, keepdims=True)
S = X @ X.T
np.fill_diagonal(S, -np.inf)
nearest = np.argmax(S, axis=1)  # first maximum: the lower row on ties
print(np.mean([lab[i] == lab[j] for i, j in enumerate(nearest)]))
