/**
 * The `ws` package, typed here. It is not a dependency of ours but of `dingtalk-stream` (hoisted to
 * node_modules/ws), and @types/ws is not installed: loading it through `createRequire` with the
 * small interface below keeps strict type checking without touching package.json. If `ws` becomes
 * a direct dependency with types, replace this file with `import { WebSocket, WebSocketServer } from 'ws'`.
 */
import { createRequire } from 'node:module';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export type RawData = Buffer | ArrayBuffer | Buffer[];

export interface WsSocket {
  readonly readyState: number;
  send(data: string, cb?: (err?: Error) => void): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  ping(): void;
  on(event: 'open' | 'pong', listener: () => void): this;
  on(event: 'message', listener: (data: RawData, isBinary: boolean) => void): this;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  once(event: 'open', listener: () => void): this;
  once(event: 'error', listener: (err: Error) => void): this;
  once(event: 'close', listener: (code: number, reason: Buffer) => void): this;
  removeListener(event: string, listener: (...args: never[]) => void): this;
}

export interface WsServer {
  readonly clients: Set<WsSocket>;
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, done: (ws: WsSocket) => void): void;
  close(cb?: () => void): void;
}

interface WsModule {
  WebSocket: { new (url: string, options?: { handshakeTimeout?: number; maxPayload?: number }): WsSocket; readonly OPEN: number };
  WebSocketServer: new (options: { noServer: true; maxPayload?: number }) => WsServer;
}

const requireCjs = createRequire(import.meta.url);
const ws = requireCjs('ws') as WsModule;

export const WebSocket = ws.WebSocket;
export const WebSocketServer = ws.WebSocketServer;
export const WS_OPEN = 1;

/** A text frame's payload as a string (DingTalk frames are JSON text). */
export function rawToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
