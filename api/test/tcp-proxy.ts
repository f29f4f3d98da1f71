/**
 * A TCP hop between a client and the API that a test can break the way a network breaks:
 * cut every connection (and refuse new ones) until restored, let requests through while
 * losing what the server answers, or lose single WebSocket messages on their way to the
 * client. HTTP and WebSocket connections alike.
 */
import { connect, createServer, type Socket } from 'node:net';

export interface TcpProxy {
  /** `http://127.0.0.1:<port>`: what the client is given instead of the server's address. */
  url: string;
  /** Drops every open connection and refuses new ones until {@link restore}. */
  cut(): void;
  /** Lets connections through again. */
  restore(): void;
  /** From now until the next {@link cut}, what the client sends arrives but what the server answers is lost. */
  loseAnswers(): void;
  /**
   * Loses the next WebSocket text message from the server whose text matches, leaving the
   * connection up; resolves once one was lost.
   */
  loseMessage(match: (text: string) => boolean): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  let mode: 'pass' | 'down' | 'lose-answers' = 'pass';
  let messageToLose: { match: (text: string) => boolean; lost: () => void } | undefined;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    if (mode === 'down') return client.destroy();
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        open.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    const frames = new ServerFrames((frame, text) => {
      if (text !== null && messageToLose?.match(text)) {
        const { lost } = messageToLose;
        messageToLose = undefined;
        return lost();
      }
      if (!client.write(frame)) {
        upstream.pause();
        client.once('drain', () => upstream.resume());
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (mode !== 'lose-answers') frames.push(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const destroyAll = () => {
    for (const socket of open) socket.destroy();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      mode = 'down';
      destroyAll();
    },
    restore() {
      mode = 'pass';
    },
    loseAnswers() {
      mode = 'lose-answers';
    },
    loseMessage(match) {
      return new Promise((lost) => (messageToLose = { match, lost }));
    },
    close() {
      mode = 'down';
      destroyAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * What a server sends on one connection, handed on in pieces: HTTP as it comes, and once the
 * connection switched to WebSocket (101), one piece per frame, with the text of text frames.
 * The API's frames are unmasked and uncompressed, one frame per graphql-ws message.
 */
class ServerFrames {
  private buffer = Buffer.alloc(0);
  private state: 'http' | 'headers' | 'websocket' = 'headers';

  constructor(private readonly forward: (piece: Buffer, text: string | null) => void) {}

  push(chunk: Buffer): void {
    if (this.state === 'http') return this.forward(chunk, null);
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (this.state === 'headers') {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.buffer.subarray(0, end + 4);
      this.buffer = this.buffer.subarray(end + 4);
      this.state = head.toString('latin1').startsWith('HTTP/1.1 101') ? 'websocket' : 'http';
      this.forward(head, null);
      if (this.state === 'http') {
        if (this.buffer.length > 0) this.forward(this.buffer, null);
        this.buffer = Buffer.alloc(0);
        return;
      }
    }
    for (;;) {
      const frame = this.nextFrame();
      if (!frame) return;
      const opcode = frame[0]! & 0x0f;
      this.forward(frame, opcode === 1 ? frame.subarray(frame.length - this.payloadLength(frame)).toString('utf8') : null);
    }
  }

  private nextFrame(): Buffer | null {
    if (this.buffer.length < 2) return null;
    const header = this.headerLength(this.buffer);
    if (this.buffer.length < header) return null;
    const total = header + this.payloadLength(this.buffer);
    if (this.buffer.length < total) return null;
    const frame = this.buffer.subarray(0, total);
    this.buffer = this.buffer.subarray(total);
    return frame;
  }

  private headerLength(frame: Buffer): number {
    const length = frame[1]! & 0x7f;
    return length === 126 ? 4 : length === 127 ? 10 : 2;
  }

  private payloadLength(frame: Buffer): number {
    const length = frame[1]! & 0x7f;
    if (length === 126) return frame.readUInt16BE(2);
    if (length === 127) return Number(frame.readBigUInt64BE(2));
    return length;
  }
}
