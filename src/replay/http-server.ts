import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { gunzipSync, inflateSync } from "node:zlib";

/** A request the servers refuse, with the HTTP status to answer. */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = "BodyError";
  }
}

/**
 * Reads a request body of at most `limit` bytes, before and after decompression (`gzip`, `deflate`
 * or none), so neither a large body nor a small gzip bomb can exhaust memory. Past the limit the rest
 * of the body is drained and discarded, so the answer still reaches the client.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const encoding = (req.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip" && encoding !== "deflate") {
    req.resume();
    throw new BodyError(415, `unsupported Content-Encoding '${encoding}' (use gzip or none)`);
  }
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new BodyError(413, `body of ${declared} bytes exceeds the limit of ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  if (tooLarge) throw new BodyError(413, `body exceeds the limit of ${limit} bytes`);
  const raw = Buffer.concat(chunks, size);
  if (encoding === "identity") return raw;
  try {
    const inflate = encoding === "gzip" ? gunzipSync : inflateSync;
    return inflate(raw, { maxOutputLength: limit });
  } catch (err) {
    if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw new BodyError(413, `decompressed body exceeds the limit of ${limit} bytes`);
    }
    throw new BodyError(400, `body is not valid ${encoding} data: ${(err as Error).message}`);
  }
}

/** The media type of a request, without parameters, lowercased. */
export function mediaType(req: IncomingMessage): string {
  return (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** The `http://127.0.0.1:<port>` a listening server answers on. */
export function serverUrl(address: ReturnType<Server["address"]>): string {
  if (address === null || typeof address === "string") throw new Error("server is not listening on TCP");
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** Starts `server` on `host` and a port of the system's choosing; resolves with its URL. */
export async function listen(server: Server, host = "127.0.0.1"): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return serverUrl(server.address());
}

/** Stops accepting connections and closes idle keep-alive ones, so `close` never waits on a client. */
export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // Connections still busy get a moment to finish their answer, then go.
  const timer = setTimeout(() => server.closeAllConnections(), 1000);
  await closed;
  clearTimeout(timer);
}
