import type { IncomingMessage } from 'node:http';

/** Reads a request body up to `max` bytes; beyond that it stops reading and says so. */
export async function readRawBody(req: IncomingMessage, max: number): Promise<Uint8Array | 'too-large'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > max) {
    req.resume();
    return 'too-large';
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) {
      req.resume();
      return 'too-large';
    }
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
