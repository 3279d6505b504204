/**
 * Walks a GGUF header with bounds checks, so that damaged or truncated files are refused with a
 * precise reason before any parser that trusts the header (and may hang or over-allocate) sees them.
 */
export interface GgufLayout {
  version: number;
  tensorCount: number;
  metadataCount: number;
  /** Bytes from the start of the file to the end of the tensor data the header describes. */
  requiredBytes: number;
}

const MAX_COUNT = 10_000_000;
const DEFAULT_ALIGNMENT = 32;

/** [block bytes, elements per block] of ggml types, by type id; missing ids are not size-checked. */
const TYPE_BLOCKS: Record<number, [number, number]> = {
  0: [4, 1], // F32
  1: [2, 1], // F16
  2: [18, 32], // Q4_0
  3: [20, 32], // Q4_1
  6: [22, 32], // Q5_0
  7: [24, 32], // Q5_1
  8: [34, 32], // Q8_0
  9: [36, 32], // Q8_1
  10: [84, 256], // Q2_K
  11: [110, 256], // Q3_K
  12: [144, 256], // Q4_K
  13: [176, 256], // Q5_K
  14: [210, 256], // Q6_K
  15: [292, 256], // Q8_K
  24: [1, 1], // I8
  25: [2, 1], // I16
  26: [4, 1], // I32
  27: [8, 1], // I64
  28: [8, 1], // F64
  30: [2, 1], // BF16
};

const SCALAR_SIZES: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const STRING = 8;
const ARRAY = 9;

export class GgufLayoutError extends Error {}

class Cursor {
  offset = 0;
  constructor(
    private readonly view: DataView,
    private readonly fileSize: number,
  ) {}

  private need(bytes: number, what: string): void {
    if (this.offset + bytes > this.view.byteLength) {
      throw new GgufLayoutError(
        this.offset + bytes > this.fileSize ? `the file ends inside the ${what}` : `the ${what} is too large to read`,
      );
    }
  }
  u32(what: string): number {
    this.need(4, what);
    const value = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return value;
  }
  u64(what: string): number {
    this.need(8, what);
    const value = this.view.getBigUint64(this.offset, true);
    this.offset += 8;
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new GgufLayoutError(`the ${what} is out of range`);
    return Number(value);
  }
  skip(bytes: number, what: string): void {
    this.need(bytes, what);
    this.offset += bytes;
  }
  string(what: string): string {
    const length = this.u64(`${what} length`);
    this.need(length, what);
    const bytes = new Uint8Array(this.view.buffer, this.view.byteOffset + this.offset, length);
    this.offset += length;
    return new TextDecoder().decode(bytes);
  }
}

function skipValue(cursor: Cursor, type: number, key: string): void {
  if (type === STRING) {
    cursor.string(`value of ${key}`);
    return;
  }
  if (type === ARRAY) {
    const itemType = cursor.u32(`array type of ${key}`);
    const count = cursor.u64(`array length of ${key}`);
    if (count > MAX_COUNT * 10) throw new GgufLayoutError(`the array ${key} claims ${count} items`);
    if (itemType === STRING) for (let i = 0; i < count; i++) cursor.string(`item of ${key}`);
    else if (SCALAR_SIZES[itemType] !== undefined) cursor.skip(count * SCALAR_SIZES[itemType], `array ${key}`);
    else throw new GgufLayoutError(`the array ${key} has an unknown item type ${itemType}`);
    return;
  }
  const size = SCALAR_SIZES[type];
  if (size === undefined) throw new GgufLayoutError(`the value of ${key} has an unknown type ${type}`);
  cursor.skip(size, `value of ${key}`);
}

/**
 * `header` holds the first bytes of the file (all of the header, when the file is sound);
 * `fileSize` is the whole file's size.
 */
export function readGgufLayout(header: Uint8Array, fileSize: number): GgufLayout {
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const cursor = new Cursor(view, fileSize);
  if (cursor.u32("magic") !== 0x46554747) throw new GgufLayoutError("it does not start with GGUF");
  const version = cursor.u32("version");
  if (version < 2 || version > 3) throw new GgufLayoutError(`GGUF version ${version} is not supported`);
  const tensorCount = cursor.u64("tensor count");
  const metadataCount = cursor.u64("metadata count");
  if (tensorCount > MAX_COUNT || metadataCount > MAX_COUNT) {
    throw new GgufLayoutError(`the header claims ${tensorCount} tensors and ${metadataCount} metadata entries`);
  }
  let alignment = DEFAULT_ALIGNMENT;
  for (let i = 0; i < metadataCount; i++) {
    const key = cursor.string("metadata key");
    const type = cursor.u32(`type of ${key}`);
    const valueAt = cursor.offset;
    skipValue(cursor, type, key);
    if (key === "general.alignment" && type === 4) alignment = view.getUint32(valueAt, true);
  }
  if (alignment === 0 || (alignment & (alignment - 1)) !== 0)
    throw new GgufLayoutError(`alignment ${alignment} is invalid`);
  let dataEnd = 0;
  for (let i = 0; i < tensorCount; i++) {
    const name = cursor.string("tensor name");
    const dims = cursor.u32(`dimension count of ${name}`);
    if (dims === 0 || dims > 4) throw new GgufLayoutError(`tensor ${name} has ${dims} dimensions`);
    let elements = 1;
    for (let d = 0; d < dims; d++) elements *= cursor.u64(`shape of ${name}`);
    const type = cursor.u32(`type of ${name}`);
    const offset = cursor.u64(`offset of ${name}`);
    const block = TYPE_BLOCKS[type];
    const bytes = block ? Math.ceil(elements / block[1]) * block[0] : 0;
    dataEnd = Math.max(dataEnd, offset + bytes);
  }
  const dataStart = Math.ceil(cursor.offset / alignment) * alignment;
  const requiredBytes = dataStart + dataEnd;
  if (requiredBytes > fileSize) {
    throw new GgufLayoutError(`it is truncated: the tensors need ${requiredBytes} bytes but the file has ${fileSize}`);
  }
  return { version, tensorCount, metadataCount, requiredBytes };
}
