/** The few DER shapes a PSD2 QCStatement needs (ITU-T X.690), written and read by hand. */
export const TAG = { sequence: 0x30, oid: 0x06, utf8String: 0x0c, printableString: 0x13 } as const;

export function encode(tag: number, content: Uint8Array): Uint8Array {
  const length = content.length;
  let header: number[];
  if (length < 0x80) header = [tag, length];
  else {
    const bytes: number[] = [];
    for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
    header = [tag, 0x80 | bytes.length, ...bytes];
  }
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  out.set(content, header.length);
  return out;
}

export function sequence(...items: Uint8Array[]): Uint8Array {
  return encode(TAG.sequence, concat(items));
}

export function utf8(text: string): Uint8Array {
  return encode(TAG.utf8String, new TextEncoder().encode(text));
}

export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const bytes: number[] = [40 * (arcs[0] ?? 0) + (arcs[1] ?? 0)];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [arc & 0x7f];
    for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift((n & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return encode(TAG.oid, new Uint8Array(bytes));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export interface Node {
  tag: number;
  content: Uint8Array;
}

/** Reads the TLV elements one after the other in `data`. Throws on truncated input. */
export function readAll(data: Uint8Array): Node[] {
  const nodes: Node[] = [];
  let at = 0;
  while (at < data.length) {
    const tag = data[at++] ?? 0;
    let length = data[at++] ?? 0;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 4) throw new Error('unsupported DER length');
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + (data[at++] ?? 0);
    }
    if (at + length > data.length) throw new Error('truncated DER');
    nodes.push({ tag, content: data.subarray(at, at + length) });
    at += length;
  }
  return nodes;
}

export function readOid(content: Uint8Array): string {
  const first = content[0] ?? 0;
  const arcs = [Math.floor(first / 40), first % 40];
  let value = 0;
  for (const byte of content.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      arcs.push(value);
      value = 0;
    }
  }
  return arcs.join('.');
}

export function readText(content: Uint8Array): string {
  return new TextDecoder().decode(content);
}
