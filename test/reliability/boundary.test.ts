import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DocumentInfo, ModelInfo } from "../../src-main/api/contract";
import { requestSchemas } from "../../src-main/api/contract";
import { isMainApiMethod, validatedApi, type UntrustedApi } from "../../src-main/api/validated-api";
import { startWebBridge, type WebBridge } from "../../src-main/bridge/web-bridge";
import { makeNumberedPdf } from "../fixtures/pdf-writer";
import { makeTinyModel } from "../models/make-model";
import { connectBridge, rpcAddress, upgradeStatus, type BridgeClient } from "./bridge-client";
import { HOSTILE_REQUESTS, NOT_METHODS } from "./hostile-requests";
import { startServiceFixture, type ServiceFixture } from "./service-fixture";

let fixture: ServiceFixture;
let api: UntrustedApi;
let bridge: WebBridge;
let client: BridgeClient;
let document: DocumentInfo;

beforeAll(async () => {
  fixture = await startServiceFixture("compresskv-boundary-");
  api = validatedApi(fixture.service);
  bridge = await startWebBridge({ service: fixture.service, rendererDir: fixture.rendererDir });
  client = await connectBridge(bridge.url);
  const [model] = (await api.listModels()) as ModelInfo[];
  await api.loadModel({ modelId: model.id });
  document = (await api.importDocument({ name: "ships.pdf", bytes: makeNumberedPdf(2) })) as DocumentInfo;
});

afterAll(async () => {
  client?.close();
  await bridge?.close();
  await fixture?.close();
});

/** The service still answers: status with the loaded model, and the library. */
async function stillWorking(call: (method: string, args: unknown[]) => Promise<unknown>): Promise<void> {
  const status = (await call("getStatus", [])) as { loadedModel: ModelInfo | null };
  expect(status.loadedModel?.layers).toBe(4);
  expect(((await call("listDocuments", [])) as DocumentInfo[]).map((d) => d.id)).toEqual([document.id]);
}

/** An answer through `call`, start to finish (the service streams it as events). */
async function answerWorks(call: (method: string, args: unknown[]) => Promise<unknown>): Promise<void> {
  const { requestId } = (await call("ask", [
    { documentId: document.id, question: "Which ship?", maxTokens: 3, saveToChat: false },
  ])) as {
    requestId: string;
  };
  expect((await fixture.finished(requestId)).type).toBe("answer-done");
}

function describeRequest(method: string, args: unknown[]): string {
  const text = JSON.stringify(args, (_key, value: unknown) =>
    value instanceof Uint8Array ? `<${value.byteLength} bytes>` : value,
  );
  return `${method} ${text.slice(0, 120)}`;
}

const overJson = HOSTILE_REQUESTS.filter((r) => !r.directOnly);

describe("the main-process boundary refuses malformed and hostile requests", () => {
  it(`answers ${HOSTILE_REQUESTS.length} malformed or hostile requests through validatedApi with their error codes`, async () => {
    const call = (method: string, args: unknown[]) => api[method as keyof UntrustedApi](...args);
    for (const { method, args, code } of HOSTILE_REQUESTS) {
      await expect(call(method, args), describeRequest(method, args)).rejects.toMatchObject({ code });
    }
    await stillWorking(call);
    await answerWorks(call);
  });

  it("lets no value that throws on access through (a Proxy as arguments)", async () => {
    const trap = new Proxy(
      {},
      {
        get: () => {
          throw new Error("trap");
        },
        ownKeys: () => {
          throw new Error("trap");
        },
      },
    );
    await expect(api.ask(trap)).rejects.toMatchObject({ code: expect.any(String) });
    await expect(api.loadModel(trap)).rejects.toMatchObject({ code: expect.any(String) });
    await stillWorking((method, args) => api[method as keyof UntrustedApi](...args));
  });

  it(`answers the ${overJson.length} JSON-able ones over the WebSocket bridge (birpc, with the token) the same way`, async () => {
    for (const { method, args, code } of overJson) {
      await expect(client.call(method, args), describeRequest(method, args)).rejects.toMatchObject({ code });
    }
    await stillWorking(client.call);
    await answerWorks(client.call);
  });

  it(`resolves only the contract's methods: ${NOT_METHODS.length} other names get an error`, async () => {
    expect(Object.keys(api).sort()).toEqual(Object.keys(requestSchemas).sort());
    for (const name of NOT_METHODS) {
      expect(isMainApiMethod(name), name).toBe(false);
      await expect(client.call(name, []), name).rejects.toMatchObject({ code: "invalid-request" });
    }
    await stillWorking(client.call);
  });

  it("does not let a __proto__ key in a request pollute prototypes", async () => {
    const frame = `{"t":"q","i":"p1","m":"updateSettings","a":[{"compression":{"__proto__":{"polluted":true},"budget":64}}]}`;
    const reply = await new Promise<Record<string, unknown>>((resolve) => {
      const onMessage = (data: Buffer) => {
        const message = JSON.parse(data.toString()) as Record<string, unknown>;
        if (message.i === "p1") {
          client.socket.off("message", onMessage);
          resolve(message);
        }
      };
      client.socket.on("message", onMessage);
      client.sendRaw(frame);
    });
    expect(reply.e).toMatchObject({ code: "invalid-request" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(
      ((await client.call("getSettings", [])) as { compression: Record<string, unknown> }).compression.polluted,
    ).toBeUndefined();
  });

  const garbage: (string | Buffer)[] = [
    "not json",
    "",
    "null",
    "42",
    '"text"',
    "[]",
    "{}",
    '{"t":"q"}',
    '{"t":"q","m":"getStatus"}',
    '{"t":"q","m":"getStatus","a":"not an array","i":"g1"}',
    '{"t":"q","m":["getStatus"],"a":[],"i":"g2"}',
    '{"t":"q","m":"getStatus","a":{"length":1000000000},"i":"g3"}',
    '{"t":"s","i":"not-a-pending-call","r":1}',
    '{"t":"s","i":"x","e":{"code":"internal"}}',
    '{"t":"q","m":"getStatus","a":[],"i":{"$bytes":"AAAA"}}',
    '{"t":"q","m":"importDocument","a":[{"name":"a.pdf","bytes":{"$bytes":"!!!not base64!!!"}}],"i":"g4"}',
    `${"[".repeat(100_000)}${"]".repeat(100_000)}`,
    Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x81]),
    Buffer.alloc(64 * 1024, 0xab),
  ];

  it(`survives ${garbage.length} garbage frames on one socket and keeps answering on it`, async () => {
    for (const frame of garbage) client.sendRaw(frame);
    const reply = await client.request({ t: "q", m: "listDocuments", a: [] });
    expect((reply.r as DocumentInfo[]).map((d) => d.id)).toEqual([document.id]);
    await stillWorking(client.call);
    await answerWorks(client.call);
  });

  it("refuses WebSocket upgrades without the right token, path or origin (5 tries), and accepts the right one", async () => {
    const { socketUrl, token, origin } = rpcAddress(bridge.url);
    const base = socketUrl.slice(0, socketUrl.indexOf("?"));
    const tries = [
      upgradeStatus(base),
      upgradeStatus(`${base}?token=${"0".repeat(token.length)}`),
      upgradeStatus(`${base}?token=${token}x`),
      upgradeStatus(socketUrl.replace("/rpc", "/other"), { origin }),
      upgradeStatus(socketUrl, { origin: "http://evil.example" }),
    ];
    expect(await Promise.all(tries)).toEqual([401, 401, 401, 401, 401]);
    expect(await upgradeStatus(socketUrl, { origin })).toBe(101);
  });

  it("serves only files inside the renderer folder, for GET only (6 tries)", async () => {
    const status = (path: string, method = "GET") =>
      new Promise<number>((resolve, reject) => {
        const address = new URL(bridge.url);
        const sent = request({ host: address.hostname, port: address.port, path, method }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        sent.on("error", reject);
        sent.end();
      });
    expect(await status("/")).toBe(200);
    const refused = [
      "/../../package.json",
      "/%2e%2e/%2e%2e/package.json",
      "/..%2f..%2fpackage.json",
      "/%00",
      "/index.html?x=/../../",
    ];
    const codes = await Promise.all(refused.map((path) => status(path)));
    expect(codes.slice(0, 4)).toEqual([404, 404, 404, 404]);
    expect(codes[4]).toBe(200);
    expect(await status("/index.html", "POST")).toBe(404);
  });

  it("reads files only from paths the person picked: a model file nobody picked can't be loaded", async () => {
    const stray = await makeTinyModel(join(fixture.dir, "elsewhere", "stray.gguf"), 2);
    const { modelIdForPath } = await import("../../src-main/engine/model-info");
    await expect(api.loadModel({ modelId: modelIdForPath(stray) })).rejects.toMatchObject({ code: "model-not-found" });
    fixture.pick(stray);
    const picked = (await api.chooseModelFile()) as ModelInfo;
    expect(picked.id).toBe(modelIdForPath(stray));
    fixture.pick(null);
    expect(await api.chooseDocumentFile()).toBeNull();
  });

  it("stores an imported document under the library whatever its name claims", async () => {
    const names = ["../../../escape.txt", "..\\..\\escape.txt", "/etc/cron.d/escape.txt", "C:\\escape.txt"];
    for (const name of names) {
      const info = (await api.importDocument({
        name,
        bytes: new TextEncoder().encode(`text of ${name}`),
      })) as DocumentInfo;
      expect(info.name).not.toContain("/");
      expect(info.id).toMatch(/^[0-9a-f]{24}$/);
    }
    expect(existsSync(join(fixture.dir, "escape.txt"))).toBe(false);
    expect(existsSync(join(fixture.dir, "data", "escape.txt"))).toBe(false);
    const stored = await readdir(join(fixture.dir, "data", "documents"));
    expect(stored.every((id) => /^[0-9a-f]{24}$/.test(id))).toBe(true);
    expect(stored).toHaveLength(1 + names.length);
  });
});
