import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useThrottledValue } from '../../src/flow/useThrottledValue';

afterEach(() => vi.useRealTimers());

describe('useThrottledValue and a wall clock stepped back', () => {
  it('still shows a new value within a few times ms when the system clock is set back', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-01T12:00:00Z'));
    const { result, rerender } = renderHook(({ v }) => useThrottledValue(v, 100), { initialProps: { v: 1 } });
    rerender({ v: 2 }); // shown at once, shownAt = 12:00:00
    expect(result.current).toBe(2);
    // NTP / the user / a VM resume steps the clock back an hour.
    vi.setSystemTime(new Date('2026-01-01T11:00:00Z'));
    rerender({ v: 3 });
    act(() => vi.advanceTimersByTime(1000));
    expect(result.current).toBe(3); // stays 2 for an hour: the log panel freezes
  });
});
