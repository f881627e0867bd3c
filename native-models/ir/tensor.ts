// Host tensors: plain {dtype, dims, data} records used for initializers, constants, feeds and fetches.
import { type DType, type TypedArray, typedArrayFor } from './dtype.js';
import { GraphError } from './errors.js';

export interface TensorData {
  dtype: DType;
  dims: number[];
  data: TypedArray;
}

export function tensor(dtype: DType, dims: number[], values?: ArrayLike<number | bigint> | TypedArray): TensorData {
  const n = dims.reduce((a, b) => a * b, 1);
  if (values && values.length !== n) throw new GraphError(`tensor of shape [${dims}] needs ${n} values, got ${values.length}`);
  const data = typedArrayFor(dtype, n);
  if (values) {
    if (data instanceof BigInt64Array) for (let i = 0; i < n; i++) data[i] = BigInt(values[i] as number);
    else for (let i = 0; i < n; i++) (data as Float64Array)[i] = Number(values[i]);
  }
  return { dtype, dims: [...dims], data };
}

export const f32 = (dims: number[], values?: ArrayLike<number>): TensorData => tensor('float32', dims, values);
export const f64 = (dims: number[], values?: ArrayLike<number>): TensorData => tensor('float64', dims, values);
export const i64 = (dims: number[], values?: ArrayLike<number | bigint>): TensorData => tensor('int64', dims, values);

/** Values as plain numbers (int64 converted with Number). */
export function toNumbers(t: TensorData): number[] {
  return Array.from(t.data as ArrayLike<number | bigint>, (v) => Number(v));
}
