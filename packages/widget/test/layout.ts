/*
 * happy-dom does no layout: scrollHeight and clientHeight are 0 and scrollTop is not clamped. For
 * the message list's scroll behaviour we give `.scroll` elements a simple layout: every message is
 * `ROW` pixels tall, the viewport `VIEWPORT` pixels, and scrollTop stays within bounds as in a browser.
 */
export const ROW = 50;
export const VIEWPORT = 200;

const tops = new WeakMap<Element, number>();

function isScroller(el: Element) {
  return el.classList.contains('scroll');
}
function contentHeight(el: Element) {
  return el.querySelectorAll('.msg').length * ROW;
}

export function installLayout(): () => void {
  const proto = HTMLElement.prototype;
  const saved = ['scrollHeight', 'clientHeight', 'scrollTop', 'offsetTop'].map(
    (name) => [name, Object.getOwnPropertyDescriptor(proto, name)] as const,
  );
  const base = (name: string) => {
    for (let p: object | null = Element.prototype; p; p = Object.getPrototypeOf(p)) {
      const d = Object.getOwnPropertyDescriptor(p, name);
      if (d) return d;
    }
    return undefined;
  };
  const scrollTop = base('scrollTop');
  Object.defineProperty(proto, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return isScroller(this) ? Math.max(contentHeight(this), VIEWPORT) : 0;
    },
  });
  Object.defineProperty(proto, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return isScroller(this) ? VIEWPORT : 0;
    },
  });
  // The unread divider sits where the messages above it end.
  Object.defineProperty(proto, 'offsetTop', {
    configurable: true,
    get(this: HTMLElement) {
      const scroller = this.closest('.scroll');
      if (!scroller || !this.classList.contains('divider')) return 0;
      const all = [...scroller.querySelectorAll('.msg, .divider')];
      return all.slice(0, all.indexOf(this)).filter((el) => el.classList.contains('msg')).length * ROW;
    },
  });
  Object.defineProperty(proto, 'scrollTop', {
    configurable: true,
    get(this: HTMLElement) {
      return isScroller(this) ? (tops.get(this) ?? 0) : (scrollTop?.get?.call(this) ?? 0);
    },
    set(this: HTMLElement, value: number) {
      if (!isScroller(this)) return scrollTop?.set?.call(this, value);
      tops.set(this, Math.max(0, Math.min(value, this.scrollHeight - VIEWPORT)));
    },
  });
  return () => {
    for (const [name, d] of saved) {
      if (d) Object.defineProperty(proto, name, d);
      else delete (proto as unknown as Record<string, unknown>)[name];
    }
  };
}

/** The largest scrollTop: "at the bottom". */
export const bottomOf = (el: HTMLElement) => el.scrollHeight - el.clientHeight;
