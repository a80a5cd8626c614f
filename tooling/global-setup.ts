// publint and are-the-types-wrong read the built packages: build them once when missing or stale
// (CI has built already; the same helper serves the e2e tests).
// @ts-expect-error a plain .mjs script shared with `pnpm start`; it has no type declarations.
import { ensureBuilt } from '../scripts/ensure-built.mjs';

export default function setup(): void {
  ensureBuilt();
}
