/**
 * Hosts ordered by one remaining resource (CPU or memory), lowest first, so a leading binpack
 * strategy finds the tightest hosts that still fit with a binary search instead of scoring every
 * host. Placement only lowers a host's remaining amount, which moves it a few slots left.
 */
export class SortedIndex {
  /** Host indexes in ascending key order (ties by host index). */
  readonly order: Int32Array;
  /** Slot of each host in `order`. */
  private readonly slot: Int32Array;

  constructor(private readonly key: Float64Array) {
    const n = key.length;
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => key[a]! - key[b]! || a - b);
    this.order = Int32Array.from(order);
    this.slot = new Int32Array(n);
    for (let i = 0; i < n; i++) this.slot[this.order[i]!] = i;
  }

  /** The first slot whose host has at least `value` remaining (`order.length` when none). */
  lowerBound(value: number): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.key[this.order[mid]!]! < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Call after `key[host]` went down: moves the host left to its place. */
  decreased(host: number): void {
    const { order, slot, key } = this;
    const k = key[host]!;
    let p = slot[host]!;
    while (p > 0) {
      const left = order[p - 1]!;
      const lk = key[left]!;
      if (lk < k || (lk === k && left < host)) break;
      order[p] = left;
      slot[left] = p;
      p--;
    }
    order[p] = host;
    slot[host] = p;
  }

  /** Call after `key[host]` went up: moves the host right to its place. */
  increased(host: number): void {
    const { order, slot, key } = this;
    const k = key[host]!;
    let p = slot[host]!;
    const last = order.length - 1;
    while (p < last) {
      const right = order[p + 1]!;
      const rk = key[right]!;
      if (rk > k || (rk === k && right > host)) break;
      order[p] = right;
      slot[right] = p;
      p++;
    }
    order[p] = host;
    slot[host] = p;
  }
}
