import { describe, expect, it } from 'vitest';
import { assembleSeries } from '../../../../../../app/services/imaging/index.js';
import type { DicomHeader } from '../../../../../../app/services/imaging/types.js';

function header(i: number, patch: Partial<DicomHeader> = {}): DicomHeader {
  return {
    path: `/s/${String(i).padStart(3, '0')}.dcm`,
    fileSize: 1000,
    sopInstanceUid: `1.2.3.${i}`,
    sopClassUid: '1.2.840.10008.5.1.4.1.1.4',
    transferSyntaxUid: '1.2.840.10008.1.2.1',
    patient: { id: 'P', name: 'Doe', birthDate: '', sex: 'F' },
    study: { uid: '1.2.3', date: '20240101', time: '120000', description: '', accession: '', id: '' },
    series: { uid: '1.2.3.4', number: 5, description: 'T1', modality: 'MR', bodyPart: 'HEAD', date: '', time: '', manufacturer: 'X', model: '', protocol: 't1' },
    frameOfReferenceUid: '1.2',
    rows: 4,
    columns: 3,
    bitsAllocated: 16,
    bitsStored: 16,
    highBit: 15,
    pixelRepresentation: 1,
    samplesPerPixel: 1,
    photometric: 'MONOCHROME2',
    planarConfiguration: 0,
    numberOfFrames: 1,
    imagePositionPatient: [0, 0, 3 * i],
    imageOrientationPatient: [1, 0, 0, 0, 1, 0],
    pixelSpacing: [1, 1],
    sliceThickness: 3,
    spacingBetweenSlices: null,
    rescaleSlope: 1,
    rescaleIntercept: 0,
    hasRescale: false,
    windowCenter: null,
    windowWidth: null,
    instanceNumber: i + 1,
    acquisitionNumber: 1,
    acquisitionTime: '',
    echoNumber: 1,
    echoTime: 10,
    repetitionTime: 500,
    gantryTilt: null,
    imageType: ['ORIGINAL', 'PRIMARY'],
    isDerived: false,
    complexComponent: 'magnitude',
    flipAngle: 90,
    receiveCoil: 'HEAD',
    mrAcquisitionType: '2D',
    scanningSequence: 'SE',
    sequenceName: '',
    isEpi: false,
    xRayExposure: null,
    hasPixelData: true,
    pixelData: { offset: 0, length: 24, encapsulated: false },
    isEnhanced: false,
    frames: null,
    mosaic: { isMosaic: false, imagesInMosaic: null, sliceNormalVector: null },
    warnings: [],
    ...patch,
  };
}

describe('assembly after dcm2niix isSameSet', () => {
  it('sorts shuffled slices along the normal and stacks them', () => {
    const hs = [4, 0, 3, 1, 2].map((i) => header(i));
    const a = assembleSeries(hs);
    expect(a.volumes).toHaveLength(1);
    expect(a.volumes[0].slices.map((s) => s.position![2])).toEqual([0, 3, 6, 9, 12]);
    expect(a.volumes[0].dims).toEqual([3, 4, 5]);
    expect(a.volumes[0].spacing[2]).toBeCloseTo(3, 12);
  });

  it.each([
    ['echo', { echoNumber: 2, echoTime: 20 }, 'Slices not stacked: echo varies'],
    ['orientation', { imageOrientationPatient: [0, 1, 0, 0, 0, -1] as DicomHeader['imageOrientationPatient'] }, 'Slices not stacked: orientation varies (vNav or localizer?)'],
    ['dimensions', { rows: 8 }, 'Slices not stacked: dimensions vary across slices'],
    ['TR', { repetitionTime: 900 }, 'Slices not stacked: TR varies'],
    ['flip angle', { flipAngle: 30 }, 'Slices not stacked: flip angle varies'],
    ['phase', { complexComponent: 'phase' as const }, 'Slices not stacked: some are phase/real/imaginary/phase maps, others are not'],
    ['coil', { receiveCoil: 'BODY' }, 'Slices not stacked: coil varies'],
    ['protocol', { series: { ...header(0).series, protocol: 'other' } }, 'Slices not stacked: protocol name varies'],
    ['derived', { isDerived: true }, 'Volumes not stacked: derived varies'],
  ])('%s differs: split with the reason', (_n, patch, reason) => {
    const hs = [0, 1, 2, 3].map((i) => header(i));
    hs.push(header(4, patch as Partial<DicomHeader>));
    const a = assembleSeries(hs);
    expect(a.volumes).toHaveLength(2);
    expect(a.notStacked).toEqual([{ seriesUid: '1.2.3.4', reason, volumes: ['1.2.3.4#1', '1.2.3.4#2'] }]);
    if (_n === 'orientation') expect(a.volumes[0].flags.map((f) => f.code)).toContain('mixed-orientation');
  });

  it('different series UIDs are different volumes without a not-stacked reason', () => {
    const a = assembleSeries([header(0), header(1), header(2, { series: { ...header(0).series, uid: '9.9' } })]);
    expect(a.volumes.map((v) => v.seriesUid).sort()).toEqual(['1.2.3.4', '9.9']);
    expect(a.notStacked).toEqual([]);
  });

  it('CT with varying exposure still stacks (dcm2niix stacks CT of one series)', () => {
    const ct = (i: number, exposure: number) =>
      header(i, { series: { ...header(0).series, modality: 'CT' }, echoTime: null, echoNumber: null, xRayExposure: exposure, repetitionTime: null, flipAngle: null });
    const a = assembleSeries([ct(0, 100), ct(1, 120), ct(2, 140)]);
    expect(a.volumes).toHaveLength(1);
    expect(a.volumes[0].dims[2]).toBe(3);
  });

  it('repeated positions form a 4-D volume ordered by instance number', () => {
    const hs: DicomHeader[] = [];
    for (let t = 0; t < 3; t++) for (let z = 0; z < 4; z++) hs.push(header(z, { path: `/s/t${t}z${z}.dcm`, instanceNumber: t * 4 + z + 1, sopInstanceUid: `1.${t}.${z}` }));
    const a = assembleSeries(hs.reverse());
    expect(a.volumes[0].dims).toEqual([3, 4, 4, 3]);
    expect(a.volumes[0].slices.map((s) => s.instanceNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('colour, mosaic, single slice and missing geometry are flagged and not usable', () => {
    const colour = assembleSeries([header(0, { samplesPerPixel: 3, photometric: 'RGB', bitsAllocated: 8 }), header(1, { samplesPerPixel: 3, photometric: 'RGB', bitsAllocated: 8 })]).volumes[0];
    expect(colour.flags.map((f) => f.code)).toEqual(['colour']);
    expect(colour.usableForLearning).toBe(false);
    // 36 images do not tile a 3 x 4 image: flagged, not unpacked.
    const mosaic = assembleSeries([header(0, { imageType: ['ORIGINAL', 'PRIMARY', 'M', 'MOSAIC'], mosaic: { isMosaic: true, imagesInMosaic: 36, sliceNormalVector: null } })]).volumes[0];
    expect(mosaic.flags.find((f) => f.code === 'mosaic')?.reason).toMatch(/36 images per file\): cannot be unpacked/);
    expect(mosaic.usableForLearning).toBe(false);
    const noGeo = assembleSeries([header(0, { imagePositionPatient: null }), header(1, { imagePositionPatient: null })]).volumes[0];
    expect(noGeo.flags.map((f) => f.code)).toContain('no-geometry');
  });

  it('uses the first gap between positions for dz, never SliceThickness', () => {
    const a = assembleSeries([0, 1, 2].map((i) => header(i, { imagePositionPatient: [0, 0, 7 * i], sliceThickness: 5, spacingBetweenSlices: 5 })));
    expect(a.volumes[0].spacing[2]).toBeCloseTo(7, 12);
  });
});

describe('duplicates', () => {
  it('a copied file (same SOP Instance UID) is used once and reported', () => {
    const hs = [0, 1, 2].map((i) => header(i));
    const copy = { ...hs[1], path: '/copy/001.dcm' };
    const a = assembleSeries([...hs, copy]);
    expect(a.volumes).toHaveLength(1);
    expect(a.volumes[0].dims).toEqual([3, 4, 3]);
    expect(a.volumes[0].flags.find((f) => f.code === 'duplicate-positions')?.reason).toMatch(/1 duplicate file/);
  });
});
