/** What to tell a host when an optional peer dependency is not installed. */
export interface OptionalPeer {
  /** The package name, e.g. `@electric-sql/pglite`. */
  name: string;
  /** What needs it, e.g. `the embedded database (PGlite)`. */
  neededFor: string;
  /** What to do instead of installing it, e.g. `or use PostgreSQL`. */
  alternative?: string;
}

const MISSING = new Set(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND']);

/**
 * Loads an optional peer dependency: a host that mounts @banter/server in its own app installs only
 * what it uses (PGlite, the widget). When the package is missing, the error says what needs it and
 * what to install; any other load failure is passed on as it is. The loader stays a literal
 * `import('name')` at the call site, so bundlers and `serverExternalPackages` see it.
 *
 * @example
 * const { PGlite } = await importOptionalPeer(() => import('@electric-sql/pglite'), {
 *   name: '@electric-sql/pglite',
 *   neededFor: 'the embedded database (PGlite)',
 *   alternative: 'or use PostgreSQL',
 * });
 */
export async function importOptionalPeer<T>(load: () => Promise<T>, peer: OptionalPeer): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const message = error instanceof Error ? error.message : '';
    // Only the peer itself missing gets the friendly text; a broken install of it stays visible.
    if ((typeof code === 'string' && MISSING.has(code)) || /cannot find (package|module)|failed to (load|resolve)/i.test(message)) {
      if (message.includes(peer.name)) {
        throw new Error(
          `${peer.neededFor} needs ${peer.name}, which is not installed: npm install ${peer.name}${peer.alternative ? `, ${peer.alternative}` : ''}`,
          { cause: error },
        );
      }
    }
    throw error;
  }
}
