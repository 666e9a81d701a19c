// One request's four parts as they pass through the engine, for the opt-in request log: the client's request, the
// request sent upstream (the last attempt), the upstream's answer and what the client got. Only references and
// bounded copies are taken while the request runs; masking, splitting streams into events and storing happen after
// the answer is over (request-log.ts).
import type { WireFormat } from '../../../../shared/wire-format.ts';
import { BoundedBytes } from './bounded-bytes.ts';

export type HeaderValues = Record<string, string | string[] | number | undefined>;

/** A part as captured: not masked yet. */
export interface CapturedPart {
  line: string;
  headers: HeaderValues;
  body: BoundedBytes;
  stream: boolean;
}

export class RequestCapture {
  readonly startedAt: number;
  readonly clientFormat: WireFormat;
  method = '';
  path = '';
  requestedModel = '';
  provider: string | null = null;
  upstreamFormat: WireFormat | null = null;
  stream = false;
  clientRequest: CapturedPart | undefined;
  upstreamRequest: CapturedPart | undefined;
  upstreamAnswer: CapturedPart | undefined;
  readonly clientAnswer: CapturedPart;

  readonly partCap: number;

  constructor(partCap: number, clientFormat: WireFormat, now: number) {
    this.partCap = partCap;
    this.startedAt = now;
    this.clientFormat = clientFormat;
    this.clientAnswer = { line: '', headers: {}, body: new BoundedBytes(partCap), stream: false };
  }

  private part(line: string, headers: HeaderValues, body: Buffer | string | undefined, stream: boolean): CapturedPart {
    const bytes = new BoundedBytes(this.partCap);
    if (body !== undefined) bytes.push(body);
    return { line, headers: { ...headers }, body: bytes, stream };
  }

  /** The request as the client sent it (`url` is the path with its query). */
  received(method: string, url: string, headers: HeaderValues, body: Buffer): void {
    this.method = method;
    this.path = url.split('?')[0] ?? url;
    this.clientRequest = this.part(`${method} ${url}`, headers, body, false);
  }

  /** One upstream attempt is sent; a later attempt (retry, rotation, fallback) replaces the earlier one. */
  sentUpstream(providerId: string, format: WireFormat, url: string, headers: HeaderValues, body: Buffer, stream: boolean): void {
    this.provider = providerId;
    this.upstreamFormat = format;
    this.stream = stream;
    this.upstreamRequest = this.part(`POST ${url}`, headers, body, false);
    this.upstreamAnswer = undefined;
  }

  /** The upstream's status and headers arrived; its body follows through upstreamBytes. */
  upstreamHead(status: number, headers: HeaderValues, stream: boolean): void {
    this.upstreamAnswer = this.part(String(status), headers, undefined, stream);
  }

  upstreamBytes(chunk: Buffer | string): void {
    this.upstreamAnswer?.body.push(chunk);
  }

  clientBytes(chunk: Buffer | Uint8Array | string): void {
    this.clientAnswer.body.push(chunk);
  }

  /** The client's answer ended with this status and these headers. */
  answered(status: number, headers: HeaderValues, stream: boolean): void {
    this.clientAnswer.line = String(status);
    this.clientAnswer.headers = { ...headers };
    this.clientAnswer.stream = stream;
  }

  get status(): number {
    return Number(this.clientAnswer.line) || 0;
  }
}
