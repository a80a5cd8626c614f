/**
 * A `Content-Disposition` value with the file name both as plain ASCII (old clients) and as
 * RFC 5987 UTF-8 (`filename*`), so quotes, slashes or line breaks in a name cannot break the header.
 *
 * @example
 * ```ts
 * contentDisposition('attachment', 'Résumé "final".pdf');
 * // attachment; filename="Resume _final_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22.pdf
 * ```
 */
export function contentDisposition(disposition: 'inline' | 'attachment', filename: string): string {
  const ascii = filename
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\/%;]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
