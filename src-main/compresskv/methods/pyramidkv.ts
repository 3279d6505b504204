import { pyramidBudgets } from "../budgets";
import { defineMethod } from "../method";
import { snapKv } from "./snapkv";

/** PyramidKV: SnapKV's scoring with budgets falling linearly with depth, same total. */
export const pyramidKv = defineMethod(
  { name: "pyramidkv", label: "PyramidKV (budgets fall with depth)", needsAttention: true, needsProfile: false },
  (context) => ({
    ...snapKv.create(context),
    layerBudgets: (request) => pyramidBudgets(context.shape.nLayers, request.budget, request.window, request.n),
  }),
);
