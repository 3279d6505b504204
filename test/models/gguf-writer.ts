import { open } from "node:fs/promises";

/** GGUF metadata value types, as numbered by the GGUF specification. */
export enum GgufValueType {
  Uint8 = 0,
  Int8 = 1,
  Uint16 = 2,
  Int16 = 3,
  Uint32 = 4,
  Int32 = 5,
  Float32 = 6,
  Bool = 7,
  String = 8,
  Array = 9,
  Uint64 = 10,
  Int64 = 11,
  Float64 = 12,
}

/** ggml tensor types this writer can store. */
export enum GgmlType {
  F32 = 0,
  F16 = 1,
}

export type GgufScalar =
  | { type: GgufValueType.Uint32 | GgufValueType.Int32 | GgufValueType.Float32; value: number }
  | { type: GgufValueType.Bool; value: boolean }
  | { type: GgufValueType.String; value: string };

export type GgufValue =
  | GgufScalar
  | { type: GgufValueType.Array; itemType: GgufValueType.String; items: string[] }
  | { type: GgufValueType.Array; itemType: GgufValueType.Int32 | GgufValueType.Float32; items: ArrayLike<number> };

export interface GgufTensor {
  name: string;
  /** ggml order: dims[0] is the innermost (contiguous) dimension. */
  dims: number[];
  type: GgmlType;
  data: Float32Array;
}

const ALIGNMENT = 32;

export const u32 = (value: number): GgufValue => ({ type: GgufValueType.Uint32, value });
export const f32 = (value: number): GgufValue => ({ type: GgufValueType.Float32, value });
export const str = (value: string): GgufValue => ({ type: GgufValueType.String, value });
export const bool = (value: boolean): GgufValue => ({ type: GgufValueType.Bool, value });

/** Growable little-endian byte sink for the header. */
class ByteSink {
  private buffer = Buffer.alloc(1 << 16);
  length = 0;

  private reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const next = Buffer.alloc(Math.max(this.buffer.length * 2, this.length + extra));
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  u32(value: number): void {
    this.reserve(4);
    this.buffer.writeUInt32LE(value, this.length);
    this.length += 4;
  }
  i32(value: number): void {
    this.reserve(4);
    this.buffer.writeInt32LE(value, this.length);
    this.length += 4;
  }
  u64(value: number): void {
    this.reserve(8);
    this.buffer.writeBigUInt64LE(BigInt(value), this.length);
    this.length += 8;
  }
  f32(value: number): void {
    this.reserve(4);
    this.buffer.writeFloatLE(value, this.length);
    this.length += 4;
  }
  u8(value: number): void {
    this.reserve(1);
    this.buffer.writeUInt8(value, this.length);
    this.length += 1;
  }
  string(value: string): void {
    const bytes = Buffer.from(value, "utf8");
    this.u64(bytes.length);
    this.reserve(bytes.length);
    bytes.copy(this.buffer, this.length);
    this.length += bytes.length;
  }
  padTo(alignment: number): void {
    while (this.length % alignment !== 0) this.u8(0);
  }
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

function writeScalar(sink: ByteSink, type: GgufValueType, value: number | boolean | string): void {
  switch (type) {
    case GgufValueType.Uint32:
      sink.u32(value as number);
      return;
    case GgufValueType.Int32:
      sink.i32(value as number);
      return;
    case GgufValueType.Float32:
      sink.f32(value as number);
      return;
    case GgufValueType.Bool:
      sink.u8(value ? 1 : 0);
      return;
    case GgufValueType.String:
      sink.string(value as string);
      return;
    default:
      throw new Error(`GGUF writer: unsupported value type ${type}`);
  }
}

function writeValue(sink: ByteSink, value: GgufValue): void {
  sink.u32(value.type);
  if (value.type !== GgufValueType.Array) {
    writeScalar(sink, value.type, value.value);
    return;
  }
  sink.u32(value.itemType);
  sink.u64(value.items.length);
  for (let i = 0; i < value.items.length; i++) writeScalar(sink, value.itemType, value.items[i]);
}

function elementCount(dims: number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function tensorByteSize(tensor: GgufTensor): number {
  return elementCount(tensor.dims) * (tensor.type === GgmlType.F16 ? 2 : 4);
}

const conversionView = new DataView(new ArrayBuffer(4));

/** IEEE 754 binary32 -> binary16, round to nearest even (as numpy and ggml do). */
export function float32ToFloat16Bits(value: number): number {
  conversionView.setFloat32(0, value);
  const x = conversionView.getUint32(0);
  const sign = (x >>> 16) & 0x8000;
  const exponent = (x >>> 23) & 0xff;
  let mantissa = x & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - e;
    let half = mantissa >>> shift;
    const remainder = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (remainder > halfway || (remainder === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mantissa >>> 13);
  const remainder = mantissa & 0x1fff;
  if (remainder > 0x1000 || (remainder === 0x1000 && half & 1)) half++;
  return sign | half;
}

/** binary16 bits -> number. */
export function float16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** The values a tensor holds once stored (F16 tensors lose precision). */
export function storedValues(tensor: GgufTensor): Float32Array {
  if (tensor.type === GgmlType.F32) return tensor.data;
  const out = new Float32Array(tensor.data.length);
  for (let i = 0; i < out.length; i++) out[i] = float16BitsToFloat32(float32ToFloat16Bits(tensor.data[i]));
  return out;
}

function encodeTensor(tensor: GgufTensor): Buffer {
  if (tensor.data.length !== elementCount(tensor.dims)) {
    throw new Error(`GGUF writer: tensor ${tensor.name} has ${tensor.data.length} values for dims ${tensor.dims}`);
  }
  if (tensor.type === GgmlType.F32) {
    return Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength);
  }
  const out = Buffer.alloc(tensor.data.length * 2);
  for (let i = 0; i < tensor.data.length; i++) out.writeUInt16LE(float32ToFloat16Bits(tensor.data[i]), i * 2);
  return out;
}

/** Writes a GGUF v3 file: header, metadata, tensor infos, then aligned tensor data. */
export async function writeGguf(
  path: string,
  metadata: Record<string, GgufValue>,
  tensors: GgufTensor[],
): Promise<void> {
  const header = new ByteSink();
  header.u32(0x46554747); // "GGUF"
  header.u32(3);
  header.u64(tensors.length);
  header.u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) {
    header.string(key);
    writeValue(header, value);
  }
  let offset = 0;
  for (const tensor of tensors) {
    header.string(tensor.name);
    header.u32(tensor.dims.length);
    for (const dim of tensor.dims) header.u64(dim);
    header.u32(tensor.type);
    header.u64(offset);
    offset += Math.ceil(tensorByteSize(tensor) / ALIGNMENT) * ALIGNMENT;
  }
  header.padTo(ALIGNMENT);

  const file = await open(path, "w");
  try {
    await file.write(header.bytes());
    const padding = Buffer.alloc(ALIGNMENT);
    for (const tensor of tensors) {
      const bytes = encodeTensor(tensor);
      await file.write(bytes);
      const pad = (ALIGNMENT - (bytes.length % ALIGNMENT)) % ALIGNMENT;
      if (pad) await file.write(padding, 0, pad);
    }
  } finally {
    await file.close();
  }
}
