/** A ResizeObserver the test drives: `resize(el, width)` calls the widget's callback. */
export class TestResizeObserver {
  static instances: TestResizeObserver[] = [];
  readonly targets = new Set<Element>();
  disconnected = false;
  constructor(private readonly callback: ResizeObserverCallback) {
    TestResizeObserver.instances.push(this);
  }
  observe(target: Element) {
    this.targets.add(target);
  }
  unobserve(target: Element) {
    this.targets.delete(target);
  }
  disconnect() {
    this.disconnected = true;
    this.targets.clear();
  }
  static resize(target: Element, width: number) {
    for (const ro of TestResizeObserver.instances) {
      if (!ro.targets.has(target)) continue;
      const entry = { target, contentRect: { width, height: 600 } } as unknown as ResizeObserverEntry;
      ro.callback([entry], ro as unknown as ResizeObserver);
    }
  }
}
