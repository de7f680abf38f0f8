export const stats: Record<string, number> = {};
export const bump = (k: string) => (stats[k] = (stats[k] ?? 0) + 1);

/** A WebSocket the test drives by hand: every instance is recorded; events fire only when the test says so. */
export class FakeSocket {
  static all: FakeSocket[] = [];
  static onConstruct: ((s: FakeSocket) => void) | null = null;
  readyState = 0;
  binaryType?: string;
  onopen: ((ev: any) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: any) => void) | null = null;
  sent: { data: string; at: number }[] = [];
  closedByConn = false;
  firedClose = false;
  firedOpen = false;
  openedAt = 0;
  lastMsgAt = 0;
  createdAt = Date.now();
  constructor(
    public url: string,
    public protocols?: string | string[],
  ) {
    FakeSocket.all.push(this);
    bump('sockets');
    FakeSocket.onConstruct?.(this);
  }
  send(data: string) {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push({ data, at: Date.now() });
    bump('sent:' + data);
  }
  close() {
    this.closedByConn = true;
    if (this.readyState < 2) this.readyState = 2;
  }
  get live() {
    return !this.closedByConn && !this.firedClose;
  }
  fireOpen() {
    if (this.firedClose || this.firedOpen) return;
    this.readyState = 1;
    this.firedOpen = true;
    this.openedAt = Date.now();
    this.onopen?.({});
  }
  fireMessage(data: string) {
    this.lastMsgAt = Date.now();
    this.onmessage?.({ data });
  }
  fireClose(code: number) {
    if (this.firedClose) return;
    this.readyState = 3;
    this.firedClose = true;
    this.onclose?.({ code, reason: 'r' + code });
  }
  fireError() {
    this.onerror?.({});
  }
}

