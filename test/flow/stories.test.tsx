/// <reference types="vite/client" />
import './setup-react-flow';
import { act, render, type RenderResult } from '@testing-library/react';
import type { ComponentType } from 'react';
import { composeStories, setProjectAnnotations } from '@storybook/react-vite';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import preview from '../../.storybook/preview';
import { settle } from './helpers';

// Every story, found by glob so a new one is tested without touching this file.
setProjectAnnotations(preview);
const modules = import.meta.glob<Record<string, unknown>>('../../stories/*.stories.tsx', { eager: true });

// What a story must show beyond "rendered without errors".
const expectations: Record<string, (view: RenderResult) => void> = {
  'StatusNode/Running': (v) => expect(v.container.querySelector('.fp-node--running.fp-node--current')).not.toBeNull(),
  'StatusNode/Failed': (v) => expect(v.container.querySelector('.fp-node--error [role="tooltip"]')?.textContent).toContain('HTTP 503'),
  'StatusNode/AllStates': (v) => {
    for (const s of ['pending', 'running', 'completed', 'error']) expect(v.container.querySelector(`.fp-node--${s}`)).not.toBeNull();
  },
  'DataFlowEdge/AtRest': (v) => expect(v.container.querySelector('.fp-edge--flowing')).toBeNull(),
  'DataFlowEdge/Flowing': (v) => expect(v.container.querySelector('.fp-edge--flowing')).not.toBeNull(),
  'WorkflowCanvas/RunningSnapshot': (v) => {
    expect(v.container.querySelector('.fp-node--running')).not.toBeNull();
    expect(v.container.querySelector('.fp-node--completed')).not.toBeNull();
    expect(v.container.querySelector('.fp-node--pending')).not.toBeNull();
  },
  'WorkflowCanvas/FailedSnapshot': (v) => {
    expect(v.container.querySelector('.fp-node--error')).not.toBeNull();
    expect(v.getByRole('heading', { name: /1 error in this run/ })).toBeTruthy();
  },
  'WorkflowCanvas/Reconnecting': (v) => {
    // The attempt is shown, outside the status region: a retry loop is announced once.
    expect(v.getByRole('status').textContent).toBe('Reconnecting… — closed by the server');
    expect(v.container.querySelector('.fp-connection')?.textContent).toContain('attempt 3');
  },
  'WorkflowCanvas/Closed': (v) => expect(v.getByRole('status').textContent).toContain('4404'),
  'WorkflowCanvas/Translated': (v) => {
    expect(v.getByRole('region', { name: '工作流图' })).toBeTruthy();
    expect(v.getByRole('toolbar', { name: '运行控制' })).toBeTruthy();
    expect(v.container.querySelector('.fp-node--error .fp-badge__text')?.textContent).toBe('出错');
    expect(v.getByRole('heading', { name: '本次运行有 1 个错误' })).toBeTruthy();
  },
  'WorkflowCanvas/LargeGraph': (v) => expect(v.container.querySelectorAll('.fp-node')).toHaveLength(500),
  // A failed run's bar stops at the step it failed at, not at 100%.
  'Panels/AfterFailure': (v) => {
    const [, step, total] =
      /Failed after (\d+) of (\d+) steps/.exec(v.container.querySelector('.fp-progress__text')?.textContent ?? '') ?? [];
    expect(v.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    expect(Number(step)).toBeLessThan(Number(total));
  },
  'Panels/LogsOfOneNode': (v) => expect(v.getByText(/Filtered to node/).textContent).toBe('Filtered to node stock — Clear'),
  'Panels/SignInRefused': (v) => expect(v.getByRole('alert').textContent).toContain('Not signed in'),
  'StatusNode/Stalled': (v) => expect(v.container.querySelector('.fp-node--stalled .fp-node__stalled')?.textContent).toBe('Stalled'),
  'StatusNode/UnknownAfterRestart': (v) => {
    expect(v.container.querySelector('.fp-node--unknown')?.textContent).toContain('Unknown');
    expect(v.container.querySelector('.fp-node--running')).toBeNull();
  },
  'StatusNode/CompletedDetails': (v) => expect(v.getByRole('button', { name: /Completed: Price lines, show details/ })).toBeTruthy(),
  'WorkflowCanvas/Paused': (v) => expect(v.getByText(/^Paused · \d+% · step \d of 8$/)).toBeTruthy(),
  'WorkflowCanvas/Cancelled': (v) => {
    expect(v.getByText(/^Cancelled after \d of 8 steps: cancelled by user$/)).toBeTruthy();
    expect(v.container.querySelector('.fp-node--running')).toBeNull();
  },
  'WorkflowCanvas/StaleRun': (v) => {
    expect(v.container.querySelector('[data-notice="stale"]')?.textContent).toContain('The server no longer knows this run');
    expect(v.container.querySelector('.fp-node--unknown')).not.toBeNull();
    expect(v.container.querySelector('.fp-node--running')).toBeNull();
  },
  'WorkflowCanvas/ConnectionStalled': (v) => {
    expect(v.container.querySelector('.fp-connection')?.getAttribute('data-health')).toBe('stalled');
    expect(v.getByRole('status').textContent).toContain('Stalled');
  },
  'WorkflowCanvas/NotSignedIn': (v) => {
    expect(v.getByRole('alert').textContent).toContain('Not signed in');
    expect(v.container.querySelector('.fp-connection__icon--spin')).toBeNull();
  },
  'WorkflowCanvas/NotAllowed': (v) => expect(v.getByRole('alert').textContent).toContain('Not allowed to watch this workflow'),
  'WorkflowCanvas/WithMetrics': (v) => expect(v.container.querySelectorAll('.fp-metrics .fp-sparkline')).toHaveLength(6),
  'WorkflowCanvas/WithToolbar': (v) => expect(v.getByRole('toolbar', { name: 'Run controls' })).toBeTruthy(),
  'WorkflowCanvas/LogsFollowSelection': (v) => expect(v.getByText(/Filtered to node/).textContent).toContain('Price lines'),
  'RunToolbar/Stale': (v) => expect(enabledButtons(v)).toEqual(['Run']),
  'RunToolbar/Paused': (v) => expect(enabledButtons(v)).toEqual(['Resume', 'Cancel']),
  'RunToolbar/Running': (v) => expect(enabledButtons(v)).toEqual(['Pause', 'Cancel']),
  'MetricsPanel/Still': (v) => expect(v.getAllByRole('img')).toHaveLength(6),
  'MetricsPanel/NoSamples': (v) => expect(v.container.querySelector('.fp-metrics')).toBeNull(),
  'NodeDetailsDialog/Completed': (v) => expect(v.getByRole('dialog', { name: 'Price lines completed' })).toBeTruthy(),
  'NodeDetailsDialog/Failed': (v) => expect(v.getByRole('dialog', { name: 'Price lines failed' })).toBeTruthy(),
  'NodeDetailsDialog/LargeResult': (v) => expect(v.getByRole('button', { name: 'Show all' })).toBeTruthy(),
  'NodeDetailsDialog/FetchedResult': (v) => expect(v.getByText('Loading the full result…')).toBeTruthy(),
};

function enabledButtons(v: RenderResult): Array<string | null> {
  return v
    .getAllByRole('button')
    .filter((b) => !(b as HTMLButtonElement).disabled && b.getAttribute('aria-disabled') !== 'true')
    .map((b) => b.textContent);
}

let errors: MockInstance;
let warnings: MockInstance;
beforeEach(() => {
  errors = vi.spyOn(console, 'error');
  warnings = vi.spyOn(console, 'warn');
});
afterEach(() => {
  errors.mockRestore();
  warnings.mockRestore();
});

for (const [file, module] of Object.entries(modules)) {
  const title = file.replace(/^.*\/(.+)\.stories\.tsx$/, '$1');
  describe(`stories/${title}`, () => {
    const stories = Object.entries(composeStories(module as Parameters<typeof composeStories>[0])) as Array<[string, ComponentType]>;
    it('has stories', () => expect(stories.length).toBeGreaterThan(0));
    for (const [name, Story] of stories) {
      it(`${name} renders without errors`, async () => {
        let view!: RenderResult;
        await act(async () => {
          view = render(<Story />);
        });
        await settle();
        expect(view.container.innerHTML).not.toBe('');
        expectations[`${title}/${name}`]?.(view);
        expect(errors.mock.calls).toEqual([]);
        expect(warnings.mock.calls).toEqual([]);
        view.unmount();
      });
    }
  });
}
