// The script-tag build (dist/widget.js): an IIFE that sets one global, `Banter`.
// pusher-js is bundled in and handed to the client, so the page needs nothing else.
import type { PusherConstructor } from '@banter/core';
// The build compiles 'pusher-js' from its sources, worker runtime; its encrypted channel is a lazy
// chunk (pusher-source.ts). `Banter.Pusher` hands the same class to the page.
// First, though only for its place: pusher-js's encrypted channel loads its chunk through it, and
// placed before pusher-js (not inside it) the script tag gzips ~190 bytes smaller.
import './lazy/load-chunk';
import Pusher from 'pusher-js';
import { autoMount, findOwnScript } from './auto-mount';
import { parseDataAttributes } from './data-attributes';
import { mount as mountWidget, type MountedWidget } from './mount';
import type { MountOptions } from './options';

/**
 * `Banter.mount(element, options)` for pages that mount by hand instead of with data- attributes.
 *
 * @example
 * Banter.mount(document.querySelector('#chat'), { url: '/api', token, mode: 'inline' });
 */
export function mount(element: Element, options: MountOptions): MountedWidget {
  // Every client this build creates gets the bundled class, also with `realtime: { config }`: the
  // core's own lazy import('pusher-js') then never runs here, and the build leaves it out
  // (no-lazy-pusher.ts).
  const { realtime } = options;
  const withPusher =
    options.client || realtime === false || realtime?.Pusher
      ? options
      : { ...options, realtime: { ...realtime, Pusher: Pusher as unknown as PusherConstructor } };
  return mountWidget(element, withPusher);
}

export { parseDataAttributes };

/** The widget auto-mounted from this script tag's data- attributes, if it had `data-url`. */
export const ready: Promise<MountedWidget | null> =
  typeof document === 'undefined' ? Promise.resolve(null) : autoMount(findOwnScript(), mount);

// Set explicitly rather than through a top-level `var`: loaders and tag managers that wrap the
// script in a function would otherwise hide it.
// `Pusher`: the bundled pusher-js class, for a page's own channels (docs/widget.md#banterpusher).
(globalThis as { Banter?: unknown }).Banter = { mount, parseDataAttributes, ready, Pusher };
