/**
 * Writes the constructed retrieval model (the circuit in test/models/retrieval-circuit.ts) as a GGUF.
 * Usage: npm run make:retrieval-model -- [output path]
 */
import { RETRIEVAL_MODEL_FILE, writeRetrievalModel } from "../test/models/retrieval-circuit";

const path = process.argv[2] ?? RETRIEVAL_MODEL_FILE;
await writeRetrievalModel(path);
console.log(`wrote ${path}`);
