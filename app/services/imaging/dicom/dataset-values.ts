// Typed accessors over a dicom-parser DataSet: strings, decimal/integer strings (DS/IS, PS3.5 §6.2),
// binary numbers, multi-valued numbers, and sequence items.
import type { DataSet } from './dicom-parser-lib.js';

export function str(ds: DataSet, tag: string): string {
  const el = ds.elements[tag];
  if (!el || el.length === 0 || el.length === 0xffffffff) return '';
  try {
    return (ds.string(tag) ?? '').replace(/\0/g, '').trim();
  } catch {
    return '';
  }
}

const BINARY_SIZE: Record<string, number> = { US: 2, SS: 2, UL: 4, SL: 4, FL: 4, FD: 8 };

function binaryAt(ds: DataSet, tag: string, vr: string, i: number): number | undefined {
  switch (vr) {
    case 'US':
      return ds.uint16(tag, i);
    case 'SS':
      return ds.int16(tag, i);
    case 'UL':
      return ds.uint32(tag, i);
    case 'SL':
      return ds.int32(tag, i);
    case 'FL':
      return ds.float(tag, i);
    default:
      return ds.double(tag, i);
  }
}

/** All numeric values of a DS/IS element (backslash-separated), or binary US/SS/UL/SL/FL/FD by VR. */
export function nums(ds: DataSet, tag: string): number[] {
  const el = ds.elements[tag];
  if (!el || el.length === 0 || el.length === 0xffffffff) return [];
  const vr = el.vr;
  const size = vr ? BINARY_SIZE[vr] : undefined;
  if (vr && size) {
    const out: number[] = [];
    for (let i = 0; i < Math.floor(el.length / size); i++) {
      const v = binaryAt(ds, tag, vr, i);
      if (v !== undefined && Number.isFinite(v)) out.push(v);
    }
    return out;
  }
  const s = str(ds, tag);
  if (!s) return [];
  const out: number[] = [];
  for (const part of s.split('\\')) {
    const v = Number.parseFloat(part);
    if (Number.isFinite(v)) out.push(v);
  }
  return out;
}

export function num(ds: DataSet, tag: string): number | null {
  const v = nums(ds, tag);
  return v.length > 0 ? v[0] : null;
}

/** US value for implicit or explicit VR (binary), falling back to a decimal string. */
export function us(ds: DataSet, tag: string): number | null {
  const el = ds.elements[tag];
  if (!el || el.length === 0) return null;
  if (!el.vr || el.vr === 'US' || el.vr === 'SS' || el.vr === 'OW' || el.vr === 'UN') {
    if (el.length >= 2) return ds.uint16(tag) ?? null;
  }
  return num(ds, tag);
}

export function items(ds: DataSet, tag: string): DataSet[] {
  const el = ds.elements[tag];
  if (!el || !el.items) return [];
  return el.items.map((i) => i.dataSet).filter((d): d is DataSet => d !== undefined);
}

/** First item of a sequence, or null. */
export function item(ds: DataSet | null | undefined, tag: string): DataSet | null {
  if (!ds) return null;
  const all = items(ds, tag);
  return all.length > 0 ? all[0] : null;
}
