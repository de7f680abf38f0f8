import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { INITIAL_CONNECTION, type ConnectionState } from 'flowpulse';
import { AuthNotice, ConnectionIndicator, StaleRunNotice, authProblem, connectionHealth, connectionText } from 'flowpulse/flow';
import { msg, testClient, withClient } from './helpers';
import { mockReducedMotion } from './setup-react-flow';

const state = (s: Partial<ConnectionState>): ConnectionState => ({ ...INITIAL_CONNECTION, ...s });
const fatal = (closeCode: number, closeReason: string | null = null) => state({ status: 'closed', why: 'fatal', closeCode, closeReason });

describe('connectionHealth', () => {
  it('tells disconnected, stalled, error and sign-in refusals apart', () => {
    expect(connectionHealth(state({ status: 'open', why: null }))).toBe('connected');
    expect(connectionHealth(state({ status: 'connecting', why: null }))).toBe('connecting');
    expect(connectionHealth(state({ status: 'reconnecting', attempt: 1, why: 'server', closeCode: 1006 }))).toBe('reconnecting');
    expect(connectionHealth(state({ status: 'reconnecting', attempt: 2, why: 'heartbeat-timeout' }))).toBe('stalled');
    expect(connectionHealth(state({ status: 'reconnecting', attempt: 2, why: 'error' }))).toBe('error');
    expect(connectionHealth(state({ status: 'reconnecting', attempt: 2, why: 'offline' }))).toBe('offline');
    expect(connectionHealth(state({ status: 'closed', why: 'client' }))).toBe('disconnected');
    expect(connectionHealth(state({ status: 'closed', why: 'server', closeCode: 1000 }))).toBe('disconnected');
    expect(connectionHealth(state({ status: 'closed', why: 'not-started' }))).toBe('disconnected');
    expect(connectionHealth(state({ status: 'closed', why: 'max-attempts' }))).toBe('error');
    expect(connectionHealth(fatal(4404, 'workflow not found'))).toBe('error');
    expect(connectionHealth(fatal(4401))).toBe('unauthenticated');
    expect(connectionHealth(fatal(4403))).toBe('forbidden');
    expect(connectionHealth(fatal(1008))).toBe('forbidden');
  });

  it('counts a sign-in refusal only once the client has given up', () => {
    expect(authProblem(fatal(4401))).toBe('unauthenticated');
    expect(authProblem(fatal(4403))).toBe('forbidden');
    expect(authProblem(fatal(4404))).toBeNull();
    // With `fatalCloseCodes` overridden the client retries a 4401: not final, not shown as a refusal.
    expect(authProblem(state({ status: 'reconnecting', attempt: 1, why: 'server', closeCode: 4401 }))).toBeNull();
    expect(authProblem(state({ status: 'closed', why: 'server', closeCode: 4401 }))).toBeNull();
  });

  it('leads the words with the kind of trouble', () => {
    expect(connectionText(state({ status: 'reconnecting', attempt: 2, why: 'heartbeat-timeout' }))).toBe(
      'Stalled: the server stopped answering — reconnecting (attempt 2)…',
    );
    expect(connectionText(state({ status: 'reconnecting', attempt: 1, why: 'error' }))).toBe(
      'Connection error — reconnecting (attempt 1)…',
    );
    expect(connectionText(state({ status: 'reconnecting', attempt: 4, why: 'offline' }))).toBe(
      'Offline: reconnecting when the network is back',
    );
    expect(connectionText(fatal(4401, 'unauthorized'))).toBe('Not signed in (4401 unauthorized)');
    expect(connectionText(fatal(4403))).toBe('Not allowed to watch this workflow (4403)');
    expect(connectionText(state({ status: 'closed', why: 'client' }))).toBe('Disconnected: closed');
  });
});

describe('ConnectionIndicator', () => {
  function setup() {
    const client = testClient();
    const reconnect = vi.spyOn(client, 'reconnect').mockImplementation(() => {});
    const view = render(withClient(client, <ConnectionIndicator />));
    const root = () => view.container.querySelector('.fp-connection') as HTMLElement;
    const icon = () => view.container.querySelector('.fp-connection__icon') as SVGElement;
    const set = (c: ConnectionState) => act(() => client.store.setConnection(c));
    return { client, reconnect, root, icon, set };
  }

  it('gives each kind its own data-health, shape and words; only a plain (re)connect spins', () => {
    const { root, icon, set } = setup();
    const shapes = new Set<string | null>();
    const cases: Array<[ConnectionState, string, boolean]> = [
      [state({ status: 'open', why: null }), 'connected', false],
      [state({ status: 'connecting', why: null }), 'connecting', true],
      [state({ status: 'reconnecting', attempt: 1, why: 'server' }), 'reconnecting', true],
      [state({ status: 'reconnecting', attempt: 2, why: 'heartbeat-timeout' }), 'stalled', false],
      [state({ status: 'closed', why: 'server', closeCode: 1000 }), 'disconnected', false],
      [state({ status: 'reconnecting', attempt: 1, why: 'error' }), 'error', false],
      [fatal(4401), 'unauthenticated', false],
    ];
    for (const [connection, health, spins] of cases) {
      set(connection);
      expect(root().dataset.health).toBe(health);
      expect(root().classList.contains(`fp-connection--${health}`)).toBe(true);
      expect(icon().classList.contains('fp-connection__icon--spin')).toBe(spins);
      expect(screen.getByRole('status').textContent).toBe(connectionText(connection));
      shapes.add(icon().querySelector('path')?.getAttribute('d') ?? null);
    }
    // connecting and reconnecting share the arc; every other kind has its own shape.
    expect(shapes.size).toBe(cases.length - 1);
  });

  it('shows a sign-in refusal without a spinner, with "Try again" instead of "Reconnect"', () => {
    const { root, icon, set, reconnect } = setup();
    set(fatal(4403, 'forbidden'));
    expect(root().dataset.health).toBe('forbidden');
    expect(screen.getByRole('status').textContent).toBe('Not allowed to watch this workflow (4403 forbidden)');
    expect(icon().classList.contains('fp-connection__icon--spin')).toBe(false);
    expect(screen.queryByRole('button', { name: 'Reconnect' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(reconnect).toHaveBeenCalledOnce();
  });

  it('does not spin under prefers-reduced-motion', () => {
    const restore = mockReducedMotion(true);
    try {
      const { icon, set } = setup();
      set(state({ status: 'reconnecting', attempt: 1, why: 'server' }));
      expect(icon().classList.contains('fp-connection__icon--spin')).toBe(false);
    } finally {
      restore();
    }
  });
});

describe('AuthNotice', () => {
  it('renders nothing until the server refuses, then says which refusal, as an alert', () => {
    const client = testClient();
    const reconnect = vi.spyOn(client, 'reconnect').mockImplementation(() => {});
    const { container } = render(withClient(client, <AuthNotice />));
    expect(container.innerHTML).toBe('');

    act(() => client.store.setConnection(fatal(4404)));
    expect(container.innerHTML).toBe('');

    act(() => client.store.setConnection(fatal(4401)));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Not signed in');
    expect(alert.textContent).toContain('Sign in, then try again.');
    expect(alert.dataset.notice).toBe('unauthenticated');
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(reconnect).toHaveBeenCalledOnce();

    act(() => client.store.setConnection(fatal(1008)));
    expect(screen.getByRole('alert').textContent).toContain('Not allowed to watch this workflow');

    act(() => client.store.setConnection(state({ status: 'open', why: null })));
    expect(container.innerHTML).toBe('');
  });

  it('takes its own words and can leave the retry out', () => {
    const client = testClient();
    render(withClient(client, <AuthNotice showRetry={false} detail={{ forbidden: 'Ask #ops for the viewer role.' }} />));
    act(() => client.store.setConnection(fatal(4403)));
    expect(screen.getByRole('alert').textContent).toContain('Ask #ops for the viewer role.');
    expect(screen.queryByRole('button')).toBeNull();
  });
});

describe('StaleRunNotice', () => {
  it('keeps an empty polite live region, filled once the server forgets the run', () => {
    const client = testClient();
    const { container } = render(withClient(client, <StaleRunNotice />));
    const region = container.querySelector('[aria-live="polite"]') as HTMLElement;
    expect(region).not.toBeNull();
    expect(region.textContent).toBe('');

    act(() => {
      client.store.enqueue(msg.start(['a', 'b']));
      client.store.enqueue(msg.status('a', 'running'));
      client.store.enqueue(msg.forgotten());
    });
    expect(client.store.getState().stale).toBe(true);
    expect(region.textContent).toContain('The server no longer knows this run — showing the last known state');
    expect(container.querySelector('[aria-live="polite"]')).toBe(region);
  });
});
