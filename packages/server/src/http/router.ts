import { ApiError } from '../errors/api-error';
import type { HttpMethod, Operation } from '../operations/types';

/** One path of the API and the operation behind each of its methods. */
export interface Route {
  /** Segments; `:name` captures one. */
  path: string;
  methods: Partial<Record<HttpMethod, Operation>>;
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
  allow: string[];
}

/** The routes of an operations table: every operation with an `http` binding, grouped by path. */
export function routesOf(operations: Record<string, Operation>): Route[] {
  const byPath = new Map<string, Route>();
  for (const operation of Object.values(operations)) {
    if (!operation.http) continue;
    const { path, method } = operation.http;
    const route = byPath.get(path) ?? { path, methods: {} };
    if (route.methods[method]) throw new TypeError(`banter: two operations on ${method} ${path}`);
    route.methods[method] = operation;
    byPath.set(path, route);
  }
  return [...byPath.values()];
}

/**
 * The smallest router that does the job: a fixed table matched segment by segment. Unknown path:
 * 404; known path, wrong method: 405 with `Allow`.
 *
 * @example
 * ```ts
 * const router = createRouter(routesOf(operations));
 * const { operation, params } = router.resolve('GET', '/conversations/42');
 * ```
 */
export function createRouter(routes: Route[]) {
  // A literal segment wins over a parameter at the same place (`/conversations/unread` before `:id`).
  const params = (path: string) => path.split('/').filter((s) => s.startsWith(':')).length;
  const compiled = [...routes]
    .sort((a, b) => params(a.path) - params(b.path))
    .map((route) => ({ route, segments: route.path.split('/').filter(Boolean) }));

  function match(path: string): RouteMatch | null {
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
    /** The operation for (method, path), or the 404/405 to answer. */
    resolve(method: string, path: string) {
      const found = match(path);
      if (!found) throw new ApiError('not_found', `no route ${method} ${path}`);
      const operation = found.route.methods[method as HttpMethod];
      if (!operation) {
        throw new ApiError('method_not_allowed', `method ${method} not allowed on ${path}; use ${found.allow.join(', ')}`, {
          headers: { allow: found.allow.join(', ') },
        });
      }
      return { operation, params: found.params, allow: found.allow };
    },
  };
}
