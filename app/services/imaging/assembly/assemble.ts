// Series assembly after dcm2niix: split by series UID, partition each series with the stacking rules
// (stacking-rules.ts, after nii_dicom_batch.cpp isSameSet), sort slices along the normal (sort-slices.ts),
// build the affine from orientation, pixel spacing and positions (affine.ts), lay voxels out as dcm2niix
// writes them, and flag what a researcher must know (flags.ts).
import type { Assembly, DicomHeader, NotStackedReason, Orientation6, Vec3, VolumeFlag, VolumePlan, VoxelLayout } from '../types.js';
import { FLIP_Y_LAYOUT, applyLayout, canonicalLayout, naturalAffine } from './affine.js';
import { type AssemblyImage, expandFrames } from './expand-frames.js';
import { imageFlags, mosaicTiles, spacingFlags, tiltFlag } from './flags.js';
import { isAxisAligned, norm, sub, voxelSizes } from './geometry.js';
import { sliceNormal, sortStack } from './sort-slices.js';
import { stackingDifference } from './stacking-rules.js';

const DEFAULT_ORIENTATION: Orientation6 = [1, 0, 0, 0, 1, 0];

function seriesKey(h: DicomHeader): string {
  return h.series.uid || `${h.patient.id}|${h.study.uid}|${h.series.number ?? ''}|${h.series.description}`;
}

/** Splits headers by series UID and stacking rules, sorts slices, builds affines and flags. */
export function assembleSeries(headers: DicomHeader[]): Assembly {
  const bySeries = new Map<string, DicomHeader[]>();
  for (const h of headers) {
    const k = seriesKey(h);
    const list = bySeries.get(k);
    if (list) list.push(h);
    else bySeries.set(k, [h]);
  }
  const volumes: VolumePlan[] = [];
  const notStacked: NotStackedReason[] = [];
  for (const [key, list] of bySeries) {
    const { plans, reasons } = assembleOneSeries(key, list);
    volumes.push(...plans);
    notStacked.push(...reasons);
  }
  return { volumes, notStacked };
}

function assembleOneSeries(seriesUid: string, headers: DicomHeader[]): { plans: VolumePlan[]; reasons: NotStackedReason[] } {
  // Deterministic input order (path) so repeated imports give the same plans.
  const sorted = [...headers].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // The same instance twice (a copied file) is one image: keep the first path.
  const seen = new Set<string>();
  let duplicates = 0;
  const withPixels = sorted.filter((h) => {
    if (!h.hasPixelData) return false;
    if (!h.sopInstanceUid) return true;
    if (seen.has(h.sopInstanceUid)) {
      duplicates++;
      return false;
    }
    seen.add(h.sopInstanceUid);
    return true;
  });
  const plans: VolumePlan[] = [];
  const reasonsByText = new Map<string, Set<number>>();
  const sets: AssemblyImage[][] = [];
  for (const h of withPixels) {
    for (const image of expandFrames(h)) {
      let placed = false;
      for (let s = 0; s < sets.length; s++) {
        const diff = stackingDifference(sets[s][0], image);
        if (diff === null) {
          sets[s].push(image);
          placed = true;
          break;
        }
      }
      if (!placed) {
        if (sets.length > 0) {
          const diff = stackingDifference(sets[0][0], image) ?? 'Volumes not stacked';
          const ids = reasonsByText.get(diff) ?? new Set<number>([0]);
          ids.add(sets.length);
          reasonsByText.set(diff, ids);
        }
        sets.push([image]);
      }
    }
  }
  const split = sets.length > 1;
  const orientationSplit = [...reasonsByText.keys()].some((r) => r.includes('orientation varies'));
  sets.forEach((images, i) => {
    const key = split ? `${seriesUid}#${i + 1}` : seriesUid;
    const plan = planFromImages(key, seriesUid, images);
    if (orientationSplit) {
      plan.flags.push({ code: 'mixed-orientation', reason: 'Series mixes image orientations; each orientation is its own volume' });
    }
    if (split) plan.label = `${plan.label} [${i + 1}/${sets.length}]`;
    if (duplicates > 0) {
      plan.flags.push({
        code: 'duplicate-positions',
        reason: `${duplicates} duplicate file(s) of the same SOP Instance UID ignored`,
      });
    }
    plans.push(plan);
  });
  const noPixels = sorted.filter((h) => !h.hasPixelData);
  if (withPixels.length === 0 && noPixels.length > 0) plans.push(noPixelPlan(seriesUid, noPixels));
  const reasons: NotStackedReason[] = [...reasonsByText].map(([reason, ids]) => ({
    seriesUid,
    reason,
    volumes: [...ids].sort((a, b) => a - b).map((i) => `${seriesUid}#${i + 1}`),
  }));
  return { plans, reasons };
}

function planFromImages(key: string, seriesUid: string, images: AssemblyImage[]): VolumePlan {
  const rep = images[0].header;
  const orientation = images[0].orientation;
  const stack = sortStack(images, orientation);
  const tiles = mosaicTiles(rep);
  if (tiles && orientation && rep.imagePositionPatient && rep.pixelSpacing) return mosaicPlan(key, seriesUid, images, tiles);
  const first = images.find((im) => im.ref === stack.slices[0])?.header ?? rep;
  const flags: VolumeFlag[] = [];
  const transferSyntaxes = [...new Set(images.map((im) => im.ref.transferSyntaxUid))];
  flags.push(...imageFlags(first, transferSyntaxes));

  const geometry = orientation !== null && stack.positions.every((p) => p !== null);
  const o = orientation ?? DEFAULT_ORIENTATION;
  const normal = sliceNormal(o);
  const pixelSpacing = images[0].header.frames?.[images[0].ref.frame]?.pixelSpacing ?? first.pixelSpacing;
  if (!geometry) {
    flags.push({
      code: 'no-geometry',
      reason: 'No ImagePositionPatient/ImageOrientationPatient for every slice: axial orientation and unit origin assumed',
    });
  }
  // Inter-slice distance as dcm2niix's intersliceDistance: Euclidean distance between consecutive
  // positions, times cos(GantryDetectorTilt) for tilted CT.
  const tiltCos = first.gantryTilt ? Math.cos((first.gantryTilt * Math.PI) / 180) : 1;
  const gaps: number[] = [];
  if (geometry) {
    for (let i = 1; i < stack.positions.length; i++) gaps.push(tiltCos * norm(sub(stack.positions[i] as Vec3, stack.positions[i - 1] as Vec3)));
  }
  let dz: number;
  if (geometry && stack.nSlices > 1) {
    dz = gaps[0];
  } else {
    // One slice (or no positions): SliceThickness / SpacingBetweenSlices is all there is.
    dz = first.spacingBetweenSlices ?? first.sliceThickness ?? 1;
    if (!(dz > 0)) dz = 1;
  }
  if (stack.nSlices === 1) flags.push({ code: 'single-slice', reason: 'Single slice: a 2-D image, not a volume' });
  if (geometry) {
    flags.push(...spacingFlags(gaps));
    const tilt = tiltFlag(first, normal, stack.positions[0], stack.positions[stack.positions.length - 1]);
    if (tilt) flags.push(tilt);
  }
  if (stack.duplicatePositions) {
    flags.push({
      code: 'duplicate-positions',
      reason: 'Some slice positions occur more often than others: only the first image at each position is used',
    });
  }
  const origin: Vec3 = (geometry ? stack.positions[0] : null) ?? [0, 0, 0];
  const natural = naturalAffine(o, pixelSpacing ?? [1, 1], origin, normal, dz);
  const naturalDims: [number, number, number] = [first.columns, first.rows, stack.nSlices];
  const uniform = !flags.some((f) => f.code === 'non-uniform-spacing');
  const rotate3D =
    first.series.modality === 'MR' && first.mrAcquisitionType === '3D' && !first.isEpi && stack.nSlices > 1 && stack.nVolumes === 1 && uniform && first.samplesPerPixel === 1;
  const layout: VoxelLayout = rotate3D ? canonicalLayout(natural) : FLIP_Y_LAYOUT;
  const { affine, dims } = applyLayout(natural, naturalDims, layout);
  const outDims = stack.nVolumes > 1 ? [...dims, stack.nVolumes] : [...dims];
  const unusable = new Set(['colour', 'no-pixels', 'mosaic', 'unsupported-transfer-syntax', 'single-slice']);
  const echo = first.echoNumber !== null && first.echoNumber > 1 ? ` echo ${first.echoNumber}` : '';
  return {
    key,
    seriesUid,
    label: `${first.series.description || first.series.protocol || first.series.modality || 'series'}${echo}`,
    header: first,
    slices: stack.slices,
    dims: outDims,
    affine,
    layout,
    spacing: voxelSizes(affine),
    oblique: !isAxisAligned(affine),
    flags,
    usableForLearning: !flags.some((f) => unusable.has(f.code)),
    transferSyntaxes,
    components: first.samplesPerPixel,
  };
}

function noPixelPlan(seriesUid: string, headers: DicomHeader[]): VolumePlan {
  const first = headers[0];
  const natural = naturalAffine(DEFAULT_ORIENTATION, [1, 1], [0, 0, 0], [0, 0, 1], 1);
  return {
    key: seriesUid,
    seriesUid,
    label: first.series.description || first.series.modality || 'series',
    header: first,
    slices: [],
    dims: [0, 0, 0],
    affine: natural,
    layout: FLIP_Y_LAYOUT,
    spacing: [1, 1, 1],
    oblique: false,
    flags: imageFlags(first, [...new Set(headers.map((h) => h.transferSyntaxUid))]),
    usableForLearning: false,
    transferSyntaxes: [...new Set(headers.map((h) => h.transferSyntaxUid))],
    components: 0,
  };
}

/**
 * Siemens mosaic: each file holds all slices of one volume as tiles. Geometry as dcm2niix's
 * set_nii_header_x: the stored ImagePositionPatient is that of the whole mosaic, so the first tile's
 * corner is IPP + row * colSpacing * (cols - tileCols) / 2 + col * rowSpacing * (rows - tileRows) / 2;
 * the slice direction is the CSA SliceNormalVector (else rows x columns), and - there being no per-slice
 * positions - the slice spacing is SpacingBetweenSlices (else SliceThickness), as dcm2niix does.
 */
function mosaicPlan(key: string, seriesUid: string, images: AssemblyImage[], tiles: NonNullable<ReturnType<typeof mosaicTiles>>): VolumePlan {
  const ordered = [...images].sort((a, b) => {
    for (let i = 0; i < Math.max(a.order.length, b.order.length); i++) {
      const d = (a.order[i] ?? 0) - (b.order[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  });
  const first = ordered[0].header;
  const o = ordered[0].orientation as Orientation6;
  const [rowSp, colSp] = first.pixelSpacing as [number, number];
  const ipp = first.imagePositionPatient as Vec3;
  const fx = (first.columns - tiles.tileColumns) / 2;
  const fy = (first.rows - tiles.tileRows) / 2;
  const origin: Vec3 = [0, 1, 2].map((i) => ipp[i] + o[i] * colSp * fx + o[3 + i] * rowSp * fy) as Vec3;
  const normal = first.mosaic.sliceNormalVector ?? sliceNormal(o);
  let dz = first.spacingBetweenSlices ?? first.sliceThickness ?? 1;
  if (!(dz > 0)) dz = 1;
  const natural = naturalAffine(o, [rowSp, colSp], origin, normal, dz);
  const { affine, dims } = applyLayout(natural, [tiles.tileColumns, tiles.tileRows, tiles.slices], FLIP_Y_LAYOUT);
  const slices = ordered.flatMap((im) => Array.from({ length: tiles.slices }, (_, k) => ({ ...im.ref, tile: k })));
  const transferSyntaxes = [...new Set(ordered.map((im) => im.ref.transferSyntaxUid))];
  const flags: VolumeFlag[] = [
    {
      code: 'mosaic',
      reason: `Siemens mosaic unpacked: ${tiles.slices} slices per file (${tiles.tilesPerRow}x${tiles.tilesPerRow} tiles); slice spacing ${dz} mm from ${first.spacingBetweenSlices ? 'SpacingBetweenSlices' : 'SliceThickness'} (mosaics carry no per-slice positions)`,
    },
    ...imageFlags(first, transferSyntaxes),
  ];
  const unusable = new Set(['colour', 'no-pixels', 'unsupported-transfer-syntax']);
  return {
    key,
    seriesUid,
    label: first.series.description || first.series.protocol || 'mosaic',
    header: first,
    slices,
    dims: ordered.length > 1 ? [...dims, ordered.length] : [...dims],
    affine,
    layout: FLIP_Y_LAYOUT,
    spacing: voxelSizes(affine),
    oblique: !isAxisAligned(affine),
    flags,
    usableForLearning: !flags.some((f) => unusable.has(f.code)),
    transferSyntaxes,
    components: first.samplesPerPixel,
    mosaic: tiles,
  };
}
