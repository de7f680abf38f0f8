import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { INITIAL_CONNECTION, type ConnectionState } from 'flowpulse';
import {
  AuthNotice,
  ConnectionIndicator,
  StaleRunNotice,
  authProblem,
  connectionAttempt,
  connectionHealth,
  connectionSummary,
  connectionText,
} from 'flowpulse/flow';
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
    // Stalled is a wait; a silent socket the client gave up on is just disconnected.
    expect(connectionHealth(state({ status: 'closed', why: 'heartbeat-timeout' }))).toBe('disconnected');
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
    expect(connectionText(state({ status: 'closed', why: 'heartbeat-timeout' }))).toBe('Disconnected: the server stopped answering');
  });

  it('has a summary without the attempt number, for the status region', () => {
    const cases: Array<[ConnectionState, string, string | null]> = [
      [state({ status: 'reconnecting', attempt: 3, why: 'server' }), 'Reconnecting… — closed by the server', 'attempt 3'],
      [
        state({ status: 'reconnecting', attempt: 2, why: 'heartbeat-timeout' }),
        'Stalled: the server stopped answering — reconnecting…',
        'attempt 2',
      ],
      [state({ status: 'reconnecting', attempt: 1, why: 'error' }), 'Connection error — reconnecting…', 'attempt 1'],
      [state({ status: 'reconnecting', attempt: 4, why: 'offline' }), 'Offline: reconnecting when the network is back', null],
      [state({ status: 'open', why: null }), 'Connected', null],
      [fatal(4401, 'unauthorized'), 'Not signed in (4401 unauthorized)', null],
    ];
    for (const [c, summary, attempt] of cases) {
      expect(connectionSummary(c)).toBe(summary);
      expect(connectionAttempt(c)).toBe(attempt);
    }
    // Later attempts change the full text, not the summary.
    const third = state({ status: 'reconnecting', attempt: 3, why: 'server' });
    const fourth = { ...third, attempt: 4 };
    expect(connectionText(third)).not.toBe(connectionText(fourth));
    expect(connectionSummary(third)).toBe(connectionSummary(fourth));
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
      expect(screen.getByRole('status').textContent).toBe(connectionSummary(connection));
      const attempt = connectionAttempt(connection);
      expect(root().querySelector('.fp-connection__text')?.textContent).toBe(
        `${connectionSummary(connection)}${attempt ? ` (${attempt})` : ''}`,
      );
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

  it('announces the kind of state, not each attempt', () => {
    const { set } = setup();
    const status = screen.getByRole('status');
    set(state({ status: 'reconnecting', attempt: 1, why: 'server', closeCode: 1006 }));
    const announced = status.textContent;
    for (const attempt of [2, 3, 4]) {
      set(state({ status: 'reconnecting', attempt, why: 'server', closeCode: 1006 }));
      expect(status.textContent).toBe(announced);
      expect(document.querySelector('.fp-connection__attempt')?.textContent).toBe(` (attempt ${attempt})`);
    }
    set(state({ status: 'open', why: null }));
    expect(status.textContent).toBe('Connected');
    expect(screen.getByRole('status')).toBe(status);
  });

  it('keeps "Reconnect" (aria-disabled) while it has focus after a press, and lets it go once focus moves', () => {
    const { set, reconnect } = setup();
    set(state({ status: 'closed', why: 'server', closeCode: 1011 }));
    const button = screen.getByRole('button', { name: 'Reconnect' });
    act(() => button.focus());
    fireEvent.click(button);
    expect(reconnect).toHaveBeenCalledOnce();
    set(state({ status: 'connecting', why: null }));
    expect(document.activeElement).toBe(button);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    fireEvent.click(button);
    expect(reconnect).toHaveBeenCalledOnce();
    set(state({ status: 'open', why: null }));
    expect(document.activeElement).toBe(button);

    act(() => button.blur());
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('keeps the name "Try again" on the focused button while a refused socket retries', () => {
    const { set } = setup();
    set(fatal(4401));
    const button = screen.getByRole('button', { name: 'Try again' });
    act(() => button.focus());
    fireEvent.click(button);
    set(state({ status: 'connecting', why: null }));
    expect(screen.getByRole('button', { name: 'Try again' })).toBe(button);
    expect(document.activeElement).toBe(button);
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

  it('next to a ConnectionIndicator that leaves refusals to it, a refusal is announced once, and still shown twice', () => {
    const client = testClient();
    render(
      withClient(
        client,
        <>
          <ConnectionIndicator announceAuth={false} showRetry={false} />
          <AuthNotice />
        </>,
      ),
    );
    act(() => client.store.setConnection(fatal(4401)));
    expect(screen.getByRole('status').textContent).toBe('');
    expect(screen.getByRole('alert').textContent).toContain('Not signed in');
    expect(document.querySelector('.fp-connection__text')?.textContent).toBe(connectionSummary(fatal(4401)));
    // Other states are still the status region's to announce.
    act(() => client.store.setConnection(state({ status: 'open', why: null })));
    expect(screen.getByRole('status').textContent).toBe('Connected');
  });

  it('stays while "Try again" has focus, following the fresh attempt, so focus is never dropped', () => {
    const client = testClient();
    const reconnect = vi.spyOn(client, 'reconnect').mockImplementation(() => {});
    const { container } = render(withClient(client, <AuthNotice />));
    act(() => client.store.setConnection(fatal(4401)));
    const button = screen.getByRole('button', { name: 'Try again' });
    act(() => button.focus());
    fireEvent.click(button);
    expect(reconnect).toHaveBeenCalledOnce();

    act(() => client.store.setConnection(state({ status: 'connecting', why: null })));
    expect(document.activeElement).toBe(button);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(screen.getByRole('alert').textContent).toContain('Connecting…');
    fireEvent.click(button);
    expect(reconnect).toHaveBeenCalledOnce();

    // Refused again: the notice says so, and the button works again.
    act(() => client.store.setConnection(fatal(4401)));
    expect(screen.getByRole('alert').textContent).toContain('Not signed in');
    expect(button.getAttribute('aria-disabled')).toBeNull();
    expect(document.activeElement).toBe(button);

    act(() => client.store.setConnection(state({ status: 'open', why: null })));
    expect(screen.getByRole('alert').textContent).toContain('Connected');
    act(() => button.blur());
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
