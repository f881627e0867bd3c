// Names of the SOP classes an import meets without pixel data, for readable error reasons.
// Source: DICOM PS3.4 Annex B.5 (Standard SOP Classes) and PS3.6 Annex A (UID registry).

const NAMES: Record<string, string> = {
  '1.2.840.10008.5.1.4.1.1.88.11': 'Basic Text SR',
  '1.2.840.10008.5.1.4.1.1.88.22': 'Enhanced SR',
  '1.2.840.10008.5.1.4.1.1.88.33': 'Comprehensive SR',
  '1.2.840.10008.5.1.4.1.1.88.34': 'Comprehensive 3D SR',
  '1.2.840.10008.5.1.4.1.1.88.59': 'Key Object Selection',
  '1.2.840.10008.5.1.4.1.1.88.67': 'X-Ray Radiation Dose SR',
  '1.2.840.10008.5.1.4.1.1.11.1': 'Grayscale Softcopy Presentation State',
  '1.2.840.10008.5.1.4.1.1.11.2': 'Color Softcopy Presentation State',
  '1.2.840.10008.5.1.4.1.1.481.1': 'RT Image',
  '1.2.840.10008.5.1.4.1.1.481.2': 'RT Dose',
  '1.2.840.10008.5.1.4.1.1.481.3': 'RT Structure Set',
  '1.2.840.10008.5.1.4.1.1.481.5': 'RT Plan',
  '1.2.840.10008.5.1.4.1.1.9.1.1': '12-lead ECG Waveform',
  '1.2.840.10008.5.1.4.1.1.104.1': 'Encapsulated PDF',
  '1.2.840.10008.5.1.4.1.1.66.4': 'Segmentation',
  '1.2.840.10008.1.3.10': 'Media Storage Directory (DICOMDIR)',
};

export function sopClassName(uid: string | null | undefined): string {
  if (!uid) return 'object';
  const n = NAMES[uid];
  return n ? `${n} (${uid})` : `object of SOP class ${uid}`;
}
