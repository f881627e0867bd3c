// Minimal PNG encoder (8-bit greyscale) with node:zlib. Not implemented yet.
import type { GrayImage8 } from '../types.js';

export function encodePng(image: GrayImage8): Uint8Array {
  void image;
  throw new Error('not implemented');
}
