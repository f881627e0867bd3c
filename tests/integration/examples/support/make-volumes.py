"""Fixture volumes for the fine-tuning example test, made from Colin27 (Debian mricron-data, ch2.nii.gz and its
brain-extracted ch2bet.nii.gz; see tests/fixtures/export/README.md).

    make-volumes.py OUT_DIR

Both are resampled to 4 mm (nibabel resample_to_output, order 1), then 24^3 boxes are cut around 4 centres in the
upper head from each: class 'head' (ch2, skull and scalp present) and class 'brain' (ch2bet, background
outside the brain). Writes OUT_DIR/<class>-<i>.nii.gz (with the crop's affine) and OUT_DIR/labels.csv.
"""
import csv
import os
import sys

import nibabel as nib
from nibabel.processing import resample_to_output

SRC = '/usr/share/mricron/templates'
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rows = []
for label, name in (('head', 'ch2.nii.gz'), ('brain', 'ch2bet.nii.gz')):
    img = resample_to_output(nib.as_closest_canonical(nib.load(os.path.join(SRC, name))), voxel_sizes=(4, 4, 4), order=1)
    nx, ny, nz = img.shape[:3]
    for i, (dx, dy, dz) in enumerate(((0, 0, 0), (3, -2, 1), (-3, 2, -1), (1, 3, -2))):
        cx, cy, cz = nx // 2 + dx, ny // 2 + dy, nz // 2 + 8 + dz   # upper head: the vertex and its scalp in view
        crop = img.slicer[cx - 12:cx + 12, cy - 12:cy + 12, cz - 12:cz + 12]
        f = f'{label}-{i}.nii.gz'
        nib.save(nib.Nifti1Image(crop.get_fdata().astype('float32'), crop.affine), os.path.join(out, f))
        rows.append({'file': f, 'label': label})
with open(os.path.join(out, 'labels.csv'), 'w', newline='') as fh:
    w = csv.DictWriter(fh, fieldnames=['file', 'label'])
    w.writeheader()
    w.writerows(rows)
