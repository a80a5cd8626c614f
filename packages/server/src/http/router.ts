import { ApiError } from './errors';

export type Method = 'GET' | 'POST';

export interface Route<C> {
  /** Segments; `:name` captures one. */
  path: string;
  methods: Partial<Record<Method, (context: C, params: Record<string, string>) => Promise<Response>>>;
}

export interface RouteMatch<C> {
  route: Route<C>;
  params: Record<string, string>;
  allow: string[];
}

/**
 * The smallest router that does the job: a fixed table matched segment by segment. Unknown path:
 * 404; known path, wrong method: 405 with `Allow`.
 */
export function createRouter<C>(routes: Route<C>[]) {
  const compiled = routes.map((route) => ({ route, segments: route.path.split('/').filter(Boolean) }));

  function match(path: string): RouteMatch<C> | null {
    const parts = path.split('/').filter(Boolean);
    for (const { route, segments } of compiled) {
      if (segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segments.length && ok; i++) {
        const segment = segments[i]!;
        if (segment.startsWith(':')) {
          try {
            params[segment.slice(1)] = decodeURIComponent(parts[i]!);
          } catch {
            ok = false;
          }
        } else ok = segment === parts[i];
      }
      if (ok) return { route, params, allow: [...Object.keys(route.methods), 'OPTIONS'] };
    }
    return null;
  }

  return {
    match,
    /** The handler for (method, path), or the 404/405 to answer. */
    resolve(method: string, path: string) {
      const found = match(path);
      if (!found) throw new ApiError('not_found', `no route ${method} ${path}`);
      const handler = found.route.methods[method as Method];
      if (!handler) {
        throw new ApiError('method_not_allowed', `method ${method} not allowed on ${path}; use ${found.allow.join(', ')}`, {
          headers: { allow: found.allow.join(', ') },
        });
      }
      return { handler, params: found.params, allow: found.allow };
    },
  };
}
