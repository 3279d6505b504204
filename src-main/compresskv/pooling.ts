import type { Pooling } from "./types";

/**
 * 1-D pooling with stride 1 and same padding over `input` (odd kernel). Average pooling divides by the
 * kernel size everywhere, counting the zero padding (PyTorch's avg_pool1d default, as the reference uses);
 * max pooling ignores the padding.
 */
export function pool1d(input: ArrayLike<number>, pooling: Pooling, output = new Float64Array(input.length)): Float64Array {
    const { kind, kernel } = pooling;
    if (!Number.isInteger(kernel) || kernel < 1 || kernel % 2 === 0)
        throw new RangeError(`pooling kernel must be a positive odd integer, got ${kernel}`);
    const n = input.length;
    const half = (kernel - 1) / 2;
    for (let i = 0; i < n; i++) {
        const lo = Math.max(0, i - half);
        const hi = Math.min(n - 1, i + half);
        if (kind === "avg") {
            let sum = 0;
            for (let j = lo; j <= hi; j++) sum += input[j];
            output[i] = sum / kernel;
        } else {
            let max = -Infinity;
            for (let j = lo; j <= hi; j++) if (input[j] > max) max = input[j];
            output[i] = max;
        }
    }
    return output;
}
