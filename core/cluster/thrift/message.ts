/**
 * Thrift messages on a framed transport: a 4-byte big-endian length, then a TBinaryProtocol
 * message (strict version header, method name, sequence id, then the args or result struct).
 * This is what Nimbus's TFramedTransport + TBinaryProtocol server expects on port 6627.
 */
import thrift from 'thrift';
import type { TProtocol } from 'thrift';
import { readStruct, writeStruct, type StructSchema } from './codec.js';

/** Thrift message types. */
export const MessageType = { CALL: 1, REPLY: 2, EXCEPTION: 3, ONEWAY: 4 } as const;

/**
 * Storm's default `nimbus.thrift.max_buffer_size` is 1 MiB: a bigger frame makes Nimbus
 * drop the connection without a word, so the client refuses to send one.
 */
export const NIMBUS_MAX_FRAME_BYTES = 1_048_576;

/** TApplicationException: a failure outside the method's declared exceptions. */
export const ApplicationExceptionSchema: StructSchema = {
  struct: 'TApplicationException',
  fields: [
    { id: 1, name: 'message', type: 'string' },
    { id: 2, name: 'type', type: 'i32' },
  ],
};

/** Encodes one message, framed, ready for the socket. */
export function encodeFramedMessage(
  name: string,
  type: number,
  seqid: number,
  schema: StructSchema,
  value: Record<string, unknown>,
): Buffer {
  let framed: Buffer | undefined;
  const transport = new thrift.TFramedTransport(undefined, (message) => {
    framed = message as Buffer;
  });
  const protocol = new thrift.TBinaryProtocol(transport);
  protocol.writeMessageBegin(name, type as never, seqid);
  writeStruct(protocol, schema, value);
  protocol.writeMessageEnd();
  protocol.flush();
  if (!framed) throw new Error('thrift transport did not flush');
  return framed;
}

/** A message read from a frame; read its body with `readBody(schema)`. */
export interface IncomingMessage {
  name: string;
  type: number;
  seqid: number;
  /** The whole frame, without its length prefix. */
  frame: Buffer;
  readBody<T>(schema: StructSchema): T;
}

/** Parses one frame body (without the length prefix) into a message header + body reader. */
export function decodeFrame(frame: Buffer): IncomingMessage {
  const protocol: TProtocol = new thrift.TBinaryProtocol(new thrift.TFramedTransport(frame));
  const header = protocol.readMessageBegin() as { fname: string; mtype: number; rseqid: number };
  return {
    name: header.fname,
    type: header.mtype,
    seqid: header.rseqid,
    frame,
    readBody<T>(schema: StructSchema): T {
      const body = readStruct<T>(protocol, schema);
      protocol.readMessageEnd();
      return body;
    },
  };
}

/** Raised when a peer announces a frame larger than allowed or a negative length. */
export class FrameSizeError extends Error {
  override name = 'FrameSizeError';
  constructor(readonly size: number, readonly limit: number) {
    super(`frame of ${size} bytes exceeds the limit of ${limit} bytes`);
  }
}

/** Splits a byte stream into frames (bodies without the length prefix). */
export class FrameSplitter {
  private chunks: Buffer[] = [];
  private length = 0;

  constructor(private readonly maxFrameBytes: number) {}

  /** Adds received bytes; returns every complete frame. Throws FrameSizeError on a bad length. */
  push(data: Buffer): Buffer[] {
    this.chunks.push(data);
    this.length += data.length;
    const frames: Buffer[] = [];
    while (this.length >= 4) {
      // Join only once a whole frame is here, so a 1 MiB upload frame is copied once.
      if (this.chunks[0]!.length < 4) this.chunks = [Buffer.concat(this.chunks, this.length)];
      const size = this.chunks[0]!.readInt32BE(0);
      if (size < 0 || size > this.maxFrameBytes) throw new FrameSizeError(size, this.maxFrameBytes);
      if (this.length < 4 + size) break;
      const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.length);
      frames.push(all.subarray(4, 4 + size));
      const rest = all.subarray(4 + size);
      this.chunks = rest.length ? [rest] : [];
      this.length = rest.length;
    }
    return frames;
  }
}
