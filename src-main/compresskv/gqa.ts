import type { ModelShape } from "./types";

/** The KV head a query head reads under grouped-query attention. */
export function kvHeadOf(queryHead: number, shape: Pick<ModelShape, "nHead" | "nHeadKv">): number {
  if (shape.nHead % shape.nHeadKv !== 0)
    throw new RangeError(`nHead (${shape.nHead}) is not a multiple of nHeadKv (${shape.nHeadKv})`);
  if (queryHead < 0 || queryHead >= shape.nHead)
    throw new RangeError(`query head ${queryHead} is outside 0..${shape.nHead - 1}`);
  return Math.floor(queryHead / (shape.nHead / shape.nHeadKv));
}
