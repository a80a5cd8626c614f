// The browser and example tests run the built packages (the `banter` bin, the script-tag widget,
// the examples' imports): build them once before any test file when missing or stale.
// @ts-expect-error a plain .mjs script shared with `pnpm start`; it has no type declarations.
import { ensureBuilt } from '../scripts/ensure-built.mjs';

export default function setup(): void {
  ensureBuilt();
}
