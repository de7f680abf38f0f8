// Injected into the demo page before its own scripts by `bench/soak.mjs` (`page.addInitScript`).
// Counts what outlives its use and would pile up in a tab left open for hours: timers not yet
// fired or cleared, pending animation frames, listeners on global targets, open sockets. It holds
// nothing per event, so it cannot grow itself (a set of every execution id seen would).
//
// Listeners on elements are not counted here: React Flow never removes its own from the nodes it
// unmounts, and they go with the element, so such a count only ever rises. Chromium's own count
// (`Memory.getDOMCounters`) covers those. Listeners added with `once` or `signal` are not counted
// (their removal is not seen); neither flowpulse nor React adds any.
(() => {
  const w = window;
  const timeouts = new Set();
  const intervals = new Set();
  const frames = new Set();
  const { setTimeout: st, clearTimeout: ct, setInterval: si, clearInterval: ci } = w;
  const { requestAnimationFrame: raf, cancelAnimationFrame: caf } = w;
  w.setTimeout = function (fn, ms, ...args) {
    const id = st.call(
      w,
      (...a) => {
        timeouts.delete(id);
        if (typeof fn === 'function') fn(...a);
      },
      ms,
      ...args,
    );
    timeouts.add(id);
    return id;
  };
  w.clearTimeout = (id) => {
    timeouts.delete(id);
    ct.call(w, id);
  };
  w.setInterval = function (...args) {
    const id = si.apply(w, args);
    intervals.add(id);
    return id;
  };
  w.clearInterval = (id) => {
    intervals.delete(id);
    ci.call(w, id);
  };
  w.requestAnimationFrame = (fn) => {
    const id = raf.call(w, (t) => {
      frames.delete(id);
      fn(t);
    });
    frames.add(id);
    return id;
  };
  w.cancelAnimationFrame = (id) => {
    frames.delete(id);
    caf.call(w, id);
  };

  // Per global target (window, document, a MediaQueryList…): the listeners by type and phase.
  const globals = new WeakMap();
  let globalListeners = 0;
  const { addEventListener: add, removeEventListener: remove } = EventTarget.prototype;
  const capture = (o) => (typeof o === 'boolean' ? o : !!o?.capture);
  const slot = (target, type, options, create) => {
    let byType = globals.get(target);
    if (!byType && create) globals.set(target, (byType = new Map()));
    const key = `${type}|${capture(options)}`;
    let set = byType?.get(key);
    if (!set && create) byType.set(key, (set = new Set()));
    return set;
  };
  EventTarget.prototype.addEventListener = function (type, fn, options) {
    const counted = fn && !(this instanceof Element) && !(typeof options === 'object' && (options?.once || options?.signal));
    const set = counted && slot(this, type, options, true);
    if (set && !set.has(fn)) {
      set.add(fn);
      globalListeners++;
    }
    return add.call(this, type, fn, options);
  };
  EventTarget.prototype.removeEventListener = function (type, fn, options) {
    if (slot(this, type, options, false)?.delete(fn)) globalListeners--;
    return remove.call(this, type, fn, options);
  };

  // Sockets until they close; the last run the page heard of, and the last it heard end.
  const sockets = new Set();
  let socketsMade = 0;
  let lastHeard = null;
  let lastEnded = null;
  const executionOf = (text) => /"execution_id":\s*"([^"]+)"/.exec(text)?.[1] ?? null;
  const Native = w.WebSocket;
  w.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      socketsMade++;
      sockets.add(this);
      // Through the saved method: the bench's own listeners are not the page's.
      add.call(this, 'close', () => sockets.delete(this));
      add.call(this, 'message', (e) => {
        if (typeof e.data !== 'string' || e.data === 'pong') return;
        const id = executionOf(e.data);
        if (id) lastHeard = id;
        if (id && e.data.includes('"type":"workflow_complete"')) lastEnded = id;
      });
    }
  };

  // navigator.onLine under the bench's control, so "offline, then back online" can be played.
  let online = true;
  Object.defineProperty(Navigator.prototype, 'onLine', { configurable: true, get: () => online });

  w.__soak = {
    counts: () => ({
      timeouts: timeouts.size,
      intervals: intervals.size,
      frames: frames.size,
      globalListeners,
      sockets: sockets.size,
      socketsMade,
    }),
    heard: (id) => lastHeard === id,
    ended: (id) => lastEnded === id,
    setOnline(value) {
      online = value;
      w.dispatchEvent(new Event(value ? 'online' : 'offline'));
    },
  };
})();
