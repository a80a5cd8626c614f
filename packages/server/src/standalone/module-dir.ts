import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory of the running module: `dist/` in the build (one bundle, or its chunks),
 * `src/standalone/` from the sources. The CJS build has __dirname and no import.meta.
 */
export function moduleDir(): string {
  return typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url));
}
