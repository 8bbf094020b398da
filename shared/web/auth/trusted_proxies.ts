/**
 * Reverse proxies whose `X-Forwarded-*` headers are believed
 * (`FRESHET_TRUSTED_PROXIES`: addresses or CIDR blocks, IPv4 or IPv6,
 * comma-separated). A request from anywhere else is taken as it came: its
 * forwarded headers are ignored, so a client cannot claim to be https or
 * another address.
 */

/** One address or block. */
interface Block {
  bytes: Uint8Array;
  prefix: number;
}

function ipv4Bytes(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) {
    return undefined;
  }
  return Uint8Array.from(parts.map(Number));
}

function ipv6Bytes(text: string): Uint8Array | undefined {
  const address = text.replace(/^\[|\]$/g, "");
  if (!/^[0-9A-Fa-f:.]+$/.test(address) || !address.includes(":")) return undefined;
  let head = address;
  let tail = "";
  const gap = address.indexOf("::");
  if (gap >= 0) {
    if (address.indexOf("::", gap + 1) >= 0) return undefined;
    head = address.slice(0, gap);
    tail = address.slice(gap + 2);
  }
  const groups = (part: string): number[] | undefined => {
    if (part === "") return [];
    const out: number[] = [];
    for (const group of part.split(":")) {
      if (group.includes(".")) {
        const v4 = ipv4Bytes(group);
        if (!v4) return undefined;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(group)) out.push(parseInt(group, 16));
      else return undefined;
    }
    return out;
  };
  const first = groups(head);
  const last = groups(tail);
  if (!first || !last) return undefined;
  const missing = 8 - first.length - last.length;
  if (gap >= 0 ? missing < 1 : missing !== 0) return undefined;
  const all = [...first, ...new Array(missing).fill(0), ...last];
  return Uint8Array.from(all.flatMap((g) => [g >> 8, g & 0xff]));
}

/** The bytes of an IPv4 or IPv6 address (IPv4-mapped IPv6 as IPv4), or undefined. */
export function addressBytes(text: string): Uint8Array | undefined {
  const v4 = ipv4Bytes(text);
  if (v4) return v4;
  const v6 = ipv6Bytes(text);
  if (v6 && v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff) {
    return v6.slice(12);
  }
  return v6;
}

function parseBlock(text: string): Block | undefined {
  const [address, prefixText, extra] = text.split("/");
  if (extra !== undefined) return undefined;
  const bytes = addressBytes(address);
  if (!bytes) return undefined;
  const max = bytes.length * 8;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || !/^\d*$/.test(prefixText ?? "")) {
    return undefined;
  }
  return { bytes, prefix };
}

function contains(block: Block, bytes: Uint8Array): boolean {
  if (bytes.length !== block.bytes.length) return false;
  for (let bit = 0; bit < block.prefix; bit++) {
    const mask = 0x80 >> (bit % 8);
    if ((bytes[bit >> 3] & mask) !== (block.bytes[bit >> 3] & mask)) return false;
  }
  return true;
}

/** The proxies a server trusts. */
export class TrustedProxies {
  readonly #blocks: Block[];

  /** Parses `FRESHET_TRUSTED_PROXIES`; throws a RangeError naming a malformed entry. */
  constructor(list: readonly string[]) {
    this.#blocks = list.map((entry) => {
      const block = parseBlock(entry);
      if (!block) throw new RangeError(`${JSON.stringify(entry)} is not an address or CIDR block`);
      return block;
    });
  }

  /** Whether any proxy is trusted. */
  get any(): boolean {
    return this.#blocks.length > 0;
  }

  /** Whether `address` is a trusted proxy. */
  trusts(address: string | undefined): boolean {
    const bytes = address === undefined ? undefined : addressBytes(address);
    return bytes !== undefined && this.#blocks.some((block) => contains(block, bytes));
  }

  /**
   * The client behind a trusted `peer`: the right-most address of
   * `X-Forwarded-For` that is not itself a trusted proxy (the first hop
   * nobody trusted vouched for), or `peer` when there is none.
   */
  clientOf(peer: string, forwardedFor: string | null): string {
    if (!this.trusts(peer) || !forwardedFor) return peer;
    const hops = forwardedFor.split(",").map((h) => h.trim()).filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) {
      if (!addressBytes(hops[i])) return peer; // not an address: believe nothing further
      if (!this.trusts(hops[i])) return hops[i];
    }
    return hops[0] ?? peer;
  }
}
