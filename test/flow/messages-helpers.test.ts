import { describe, expect, it } from 'vitest';
import { INITIAL_CONNECTION } from 'flowpulse';
import { connectionText, formatDuration, graphToFlow, withMessages, type CanvasMessageOverrides } from 'flowpulse/flow';

describe('the text helpers outside a component', () => {
  it('withMessages makes a whole catalog: a key given as undefined keeps its English', () => {
    const de: CanvasMessageOverrides = { connectionDisconnected: undefined, closedNotStarted: 'nicht gestartet' };
    expect(connectionText(INITIAL_CONNECTION, withMessages(de))).toBe('Disconnected: nicht gestartet');
  });

  it('called point-free (an array index where the catalog goes) they speak English, as before', () => {
    const callPointFree = <T, R>(list: T[], f: (item: T) => R) => list.map(f as (item: T, index: number) => R);
    expect(callPointFree([1234, 90_000], formatDuration)).toEqual([formatDuration(1234), formatDuration(90_000)]);
    expect(
      callPointFree([{ nodes: [{ id: 'a' }, { id: 'b' }], edges: [{ source: 'a', target: 'b' }] }], graphToFlow)[0]!.edges[0]!.ariaLabel,
    ).toBe('From a to b');
  });
});
