// The script-tag side of lazy chunks (see ../../lazy-chunks.ts): only dist/widget.js includes this
// file; the ESM build keeps real dynamic imports.
import { createContext, Fragment } from 'preact';
import { useCallback, useContext, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { jsx, jsxs } from 'preact/jsx-runtime';
import { useWidget, WidgetContext } from '../context';
import type { SharedModules } from './shared-names';

interface LazyRegistry {
  /** What chunks import from the main bundle: one preact, one widget context. */
  modules: SharedModules;
  /** Called by a chunk's script with its exports. */
  define(name: string, exports: unknown): void;
}

// Read while widget.js runs: document.currentScript is set only then.
const ownScript = ((): HTMLScriptElement | null => {
  if (typeof document === 'undefined') return null;
  return (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[src*="widget"]');
})();
const loading = new Map<string, Promise<unknown>>();
const resolvers = new Map<string, (exports: unknown) => void>();

function registry(): LazyRegistry {
  const g = globalThis as { Banter?: { _lazy?: LazyRegistry } };
  const banter = (g.Banter ??= {});
  return (banter._lazy ??= {
    modules: {
      preact: { Fragment, createContext },
      'preact/hooks': { useState, useEffect, useLayoutEffect, useRef, useMemo, useCallback, useContext },
      'preact/jsx-runtime': { jsx, jsxs, Fragment },
      context: { useWidget, WidgetContext },
    },
    define: (name, exports) => resolvers.get(name)?.(exports),
  });
}

/**
 * The URL of a chunk: next to widget.js, with the same query (a cache-busting `?v=` applies to both).
 *
 * @example
 * chunkUrl('emoji-picker', 'https://cdn.example/banter/widget.js?v=3'); // 'https://cdn.example/banter/widget.emoji-picker.js?v=3'
 */
export function chunkUrl(name: string, scriptSrc: string): string {
  const url = new URL(`widget.${name}.js`, scriptSrc);
  url.search = new URL(scriptSrc).search;
  return url.href;
}

/**
 * Loads dist/widget.<name>.js once (with the page's nonce, if widget.js had one); its exports.
 * `share`: modules of widget.js the chunk imports that this file does not know (core's, for uploads).
 */
export function loadChunk(name: string, share?: Partial<SharedModules>): Promise<unknown> {
  if (share) Object.assign(registry().modules, share);
  let promise = loading.get(name);
  if (!promise) {
    promise = new Promise((resolve, reject) => {
      registry();
      resolvers.set(name, resolve);
      const script = document.createElement('script');
      script.src = chunkUrl(name, ownScript?.src || document.baseURI);
      if (ownScript?.nonce) script.nonce = ownScript.nonce;
      if (ownScript?.crossOrigin) script.crossOrigin = ownScript.crossOrigin;
      script.async = true;
      script.onload = () => script.remove();
      script.onerror = () => {
        // Not cached: a later call (say, after the network is back) tries again.
        loading.delete(name);
        resolvers.delete(name);
        script.remove();
        reject(new Error(`[banter] could not load ${script.src}`));
      };
      document.head.appendChild(script);
    });
    loading.set(name, promise);
  }
  return promise;
}
