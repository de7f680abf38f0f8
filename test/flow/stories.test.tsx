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
    expect(v.getByText(/1 error in this run/)).toBeTruthy();
  },
  'WorkflowCanvas/Reconnecting': (v) => expect(v.getByRole('status').textContent).toContain('attempt 3'),
  'WorkflowCanvas/Closed': (v) => expect(v.getByRole('status').textContent).toContain('4404'),
  'WorkflowCanvas/LargeGraph': (v) => expect(v.container.querySelectorAll('.fp-node')).toHaveLength(500),
  'Panels/AfterFailure': (v) => expect(v.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100'),
};

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
