/**
 * A random UUID v4 (a message's clientId). `crypto.randomUUID` exists only in secure contexts
 * (https, localhost), so plain-http pages fall back to `getRandomValues`, which exists everywhere.
 *
 * @example
 * const clientId = uuid();
 */
export function uuid(): string {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 15) | 64;
  b[8] = (b[8]! & 63) | 128;
  const hex = [...b].map((x) => (x + 256).toString(16).slice(1)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
