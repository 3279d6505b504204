import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import { writeFileAtomic } from "../../src-main/storage/atomic-file";
import { ChatStore } from "../../src-main/services/chat-store";

/**
 * Saves a chat (the app's ChatStore) and a state file (the app's atomic writer) over and over,
 * printing "saved <n>" once round n of both is on disk, until it is killed. Started by the
 * killed-writer test with the folder to write in.
 */
const dir = process.argv[2];
const chats = new ChatStore(join(dir, "chats"));

let round = (await chats.get("doc")).messages.length;
for (;;) {
  await chats.append("doc", {
    id: `m${round}`,
    role: round % 2 ? "assistant" : "user",
    text: `message ${round} `.repeat(50),
    createdAt: new Date(0).toISOString(),
  });
  // [round: u64][sha256 of payload: 32 bytes][payload of 64 to 544 KiB]
  const payload = randomBytes(64 * 1024 + (round % 16) * 32 * 1024);
  const header = Buffer.alloc(8);
  header.writeBigUInt64LE(BigInt(round));
  await writeFileAtomic(
    join(dir, "state.bin"),
    Buffer.concat([header, createHash("sha256").update(payload).digest(), payload]),
  );
  process.stdout.write(`saved ${round}\n`);
  round++;
}
