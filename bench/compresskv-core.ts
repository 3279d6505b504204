/**
 * Times the CompressKV core on synthetic captures: scoring (window pooling + head averaging) and selection
 * (top-k, sinks, window) for every layer, then the physical plan. Prints a table and one JSON line.
 *
 *   npm run bench:core            (N = 131072, 32 layers, 32 query heads, 8 KV heads, B = 1024)
 *   npm run bench:core -- --n 32768 --budget 512 --repeats 5
 */
import {
  buildPhysicalPlan,
  createMethod,
  createPrng,
  DEFAULT_POOLING,
  selectLayerTokens,
  windowAttentionMass,
  windowScores,
  type CompressionRequest,
  type HeadProfile,
  type LayerSelection,
  type MethodName,
  type ModelShape,
  type WindowCapture,
} from "../src-main/compresskv";

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const n = option("n", 131_072);
const budget = option("budget", 1024);
const repeats = option("repeats", 3);
const shape: ModelShape = { nLayers: 32, nHead: 32, nHeadKv: 8 };
const request: CompressionRequest = { n, budget, window: 8, sinks: 4, pooling: DEFAULT_POOLING };

/** Window row sums that look like attention: most mass on a few positions, a long thin tail. */
function syntheticRows(heads: number, seed: number): Float32Array {
  const next = createPrng(seed);
  const rows = new Float32Array(heads * n);
  for (let i = 0; i < rows.length; i++) rows[i] = next() ** 8;
  return rows;
}

// SnapKV needs all 32 heads per layer (512 MiB if every layer had its own); layers share 4 distinct buffers.
const allHeadRows = [1, 2, 3, 4].map((seed) => syntheticRows(shape.nHead, seed));
const allHeads = Array.from({ length: shape.nHead }, (_, h) => h);
const allHeadCaptures: WindowCapture[] = Array.from({ length: shape.nLayers }, (_, layer) => ({
  layer,
  heads: allHeads,
  n,
  rowSums: allHeadRows[layer % allHeadRows.length],
}));

const profileNext = createPrng(99);
const profile: HeadProfile = {
  semanticHeads: Array.from({ length: shape.nLayers }, () => [...allHeads].sort(() => profileNext() - 0.5)),
  retrievalHeads: Array.from({ length: shape.nLayers }, () => [...allHeads].sort(() => profileNext() - 0.5)),
  layerWeights: Array.from({ length: shape.nLayers }, () => profileNext()),
};

/** The engine captures only the heads a method asks for: build exactly those captures. */
function capturesFor(heads: (layer: number) => readonly number[]): WindowCapture[] {
  return allHeadCaptures.map((full) => {
    const wanted = heads(full.layer);
    const rowSums = new Float32Array(wanted.length * n);
    wanted.forEach((head, row) => {
      rowSums.set(full.rowSums.subarray(head * n, (head + 1) * n), row * n);
    });
    return { layer: full.layer, heads: wanted, n, rowSums };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

interface MethodTiming {
  method: MethodName;
  headsPerLayer: number;
  scoringMs: number;
  selectionMs: number;
  totalMs: number;
}

function timeMethod(name: MethodName): {
  timing: MethodTiming;
  selections: LayerSelection[];
  captures: WindowCapture[];
} {
  const method = createMethod(name, { shape, profile, seed: 1 });
  const captures = method.needsAttention ? capturesFor((layer) => method.capturedHeads(layer)) : [];
  const budgets = method.layerBudgets(request);
  const scoring: number[] = [];
  const selection: number[] = [];
  let selections: LayerSelection[] = [];
  for (let run = 0; run < repeats; run++) {
    let scoringMs = 0;
    let selectionMs = 0;
    selections = [];
    for (let layer = 0; layer < shape.nLayers; layer++) {
      const started = performance.now();
      const scores = method.score(layer, request, captures[layer]);
      const scored = performance.now();
      selections.push(selectLayerTokens(scores, n, budgets[layer], request.window, request.sinks));
      selectionMs += performance.now() - scored;
      scoringMs += scored - started;
    }
    scoring.push(scoringMs);
    selection.push(selectionMs);
  }
  const heads = method.capturedHeads(0).length;
  const timing = {
    method: name,
    headsPerLayer: heads,
    scoringMs: median(scoring),
    selectionMs: median(selection),
    totalMs: 0,
  };
  timing.totalMs = timing.scoringMs + timing.selectionMs;
  return { timing, selections, captures };
}

const methods: MethodName[] = ["compresskv", "retrieval-heads", "snapkv", "pyramidkv", "streaming-llm", "random"];
const results = methods.map(timeMethod);

// Physical plan for CompressKV's selections, at half the cells their union needs (forces the scaling search).
const compress = results[0];
const mass = compress.captures.map(windowAttentionMass);
const unionNeeded = buildPhysicalPlan({
  n,
  capacity: n,
  window: request.window,
  sinks: request.sinks,
  layers: compress.selections,
}).union.length;
const capacity = Math.max(request.window + request.sinks, Math.floor(unionNeeded / 2));
const planRuns: number[] = [];
let plan = buildPhysicalPlan({
  n,
  capacity,
  window: request.window,
  sinks: request.sinks,
  layers: compress.selections,
  attentionMass: mass,
});
for (let run = 0; run < repeats; run++) {
  const started = performance.now();
  plan = buildPhysicalPlan({
    n,
    capacity,
    window: request.window,
    sinks: request.sinks,
    layers: compress.selections,
    attentionMass: mass,
  });
  planRuns.push(performance.now() - started);
}

// Scoring alone for one layer of all 32 heads, to separate pooling cost from selection.
const oneLayer: number[] = [];
for (let run = 0; run < repeats; run++) {
  const started = performance.now();
  windowScores(allHeadCaptures[0], request.window, request.pooling);
  oneLayer.push(performance.now() - started);
}

const fixed = (ms: number) => ms.toFixed(1).padStart(9);
console.log(
  `CompressKV core, N = ${n}, ${shape.nLayers} layers, B = ${budget}, W = ${request.window}, sinks = ${request.sinks}, median of ${repeats}`,
);
console.log("method            heads/layer  scoring ms  selection ms  total ms");
for (const { timing } of results)
  console.log(
    `${timing.method.padEnd(18)}${String(timing.headsPerLayer).padStart(11)}${fixed(timing.scoringMs)}   ${fixed(timing.selectionMs)}    ${fixed(timing.totalMs)}`,
  );
console.log(
  `physical plan: capacity ${capacity} of ${unionNeeded} cells needed, scale ${plan.scale.toFixed(4)}, ${plan.removals.length} removal ranges, ${median(planRuns).toFixed(1)} ms`,
);
console.log(`one layer, 32 heads, scoring only: ${median(oneLayer).toFixed(1)} ms`);
console.log(
  JSON.stringify({
    benchmark: "compresskv-core",
    n,
    layers: shape.nLayers,
    budget,
    window: request.window,
    sinks: request.sinks,
    repeats,
    methods: results.map((result) => result.timing),
    physicalPlan: {
      capacity,
      unionNeeded,
      scale: plan.scale,
      removalRanges: plan.removals.length,
      ms: median(planRuns),
    },
    oneLayerAllHeadsScoringMs: median(oneLayer),
    node: process.version,
  }),
);
