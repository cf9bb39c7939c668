import type { IncomingMessage } from 'node:http';

/**
 * Reads a request body up to `cap` bytes; past it, stops reading and says so (the connection is
 * closed after the answer). The stream is paused rather than destroyed, so a 413 still reaches the
 * client. Callbacks need the exact bytes (signatures), so no body parser is mounted anywhere.
 */
export function readRawBody(req: IncomingMessage, cap: number): Promise<Buffer | 'too-large'> {
  const declared = Number(req.headers['content-length']);
  if (declared > cap) return Promise.resolve('too-large');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const done = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > cap) {
        done();
        req.pause();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      done();
      resolve(Buffer.concat(chunks));
    };
    const onError = (e: Error) => {
      done();
      reject(e);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError);
  });
}
