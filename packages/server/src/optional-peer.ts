/** What to tell a host when an optional peer dependency is not installed. */
export interface OptionalPeer {
  /** The package name, e.g. `@electric-sql/pglite`. */
  name: string;
  /** What needs it, e.g. `the embedded database (PGlite)`. */
  neededFor: string;
  /** What to do instead of installing it, e.g. `or use PostgreSQL`. */
  alternative?: string;
  /** What to install when that is more than `name`, e.g. the AWS SDK's two packages. */
  install?: string;
}

/** An optional peer is not installed; the message says what needs it and what to install. */
export class MissingPeerError extends Error {
  readonly peer: string;
  constructor(peer: OptionalPeer, cause: unknown) {
    super(
      `${peer.neededFor} needs ${peer.name}, which is not installed: npm install ${peer.install ?? peer.name}${peer.alternative ? `, ${peer.alternative}` : ''}`,
      {
        cause,
      },
    );
    this.name = 'MissingPeerError';
    this.peer = peer.name;
  }
}

const MISSING = new Set(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND']);

/**
 * Loads an optional peer dependency: a host that mounts @banter/server in its own app installs only
 * what it uses (PGlite, the widget). When the package is missing, the error says what needs it and
 * what to install (a `MissingPeerError`); any other load failure is passed on as it is. The loader stays a literal
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
        throw new MissingPeerError(peer, error);
      }
    }
    throw error;
  }
}
