import { randomBytes, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";
import { WebSocketServer, type WebSocket } from "ws";
import { serveMainApi } from "../api/serve-main-api";
import { validatedApi } from "../api/validated-api";
import { deserializeMessage, serializeMessage } from "../api/wire-format";
import type { MainService } from "../services/main-service";

/**
 * Development and test bridge: serves the built renderer and the same contract over a WebSocket,
 * on 127.0.0.1 only, to clients that present a random token. Never part of the desktop app.
 */
export interface WebBridge {
  /** Page address with the token in its fragment (fragments are not sent to the server). */
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface WebBridgeOptions {
  service: MainService;
  /** The built renderer (electron-vite's out/renderer). */
  rendererDir: string;
  port?: number;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".woff2": "font/woff2",
};

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self' ws://127.0.0.1:*",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

function sameToken(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function serveStatic(rendererDir: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const relative = url.pathname === "/" ? "index.html" : decodeURIComponent(url.pathname).replace(/^\/+/, "");
  const path = normalize(join(rendererDir, relative));
  if (!path.startsWith(normalize(rendererDir) + sep) || request.method !== "GET") {
    response.writeHead(404).end();
    return;
  }
  try {
    const body = await readFile(path);
    response.writeHead(200, {
      "Content-Type": CONTENT_TYPES[extname(path)] ?? "application/octet-stream",
      "Content-Security-Policy": CSP,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "no-store",
    });
    response.end(body);
  } catch {
    response.writeHead(404).end();
  }
}

export async function startWebBridge(options: WebBridgeOptions): Promise<WebBridge> {
  const token = randomBytes(24).toString("hex");
  const server = createServer((request, response) => void serveStatic(options.rendererDir, request, response));
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 600 * 1024 * 1024 });
  const api = validatedApi(options.service);

  server.on("upgrade", (request, socket, head) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const origin = request.headers.origin;
    const port = (server.address() as AddressInfo).port;
    const originOk = origin === undefined || origin === `http://127.0.0.1:${port}`;
    if (url.pathname !== "/rpc" || !sameToken(url.searchParams.get("token"), token) || !originOk) {
      socket.write("HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n");
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => connect(ws));
  });

  function connect(ws: WebSocket): void {
    const connection = serveMainApi(api, {
      post: (message) => {
        if (ws.readyState === ws.OPEN) ws.send(message as string);
      },
      on: (listener) => {
        ws.on("message", (data) => listener(data.toString()));
      },
      serialize: serializeMessage,
      deserialize: (text) => {
        try {
          return deserializeMessage(text as string);
        } catch {
          return undefined;
        }
      },
    });
    const unsubscribe = options.service.subscribe((event) => connection.renderer.onEngineEvent(event));
    ws.on("close", () => {
      unsubscribe();
      connection.close();
    });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    async close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
