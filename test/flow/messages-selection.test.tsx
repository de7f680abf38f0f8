import './setup-react-flow';
import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { WorkflowCanvas, type CanvasMessageOverrides, type WorkflowGraph } from 'flowpulse/flow';
import { settle, testClient, withClient } from './helpers';

const graph: WorkflowGraph = {
  nodes: [
    { id: 'fetch', label: 'Fetch' },
    { id: 'parse', label: 'Parse' },
  ],
  edges: [{ source: 'fetch', target: 'parse' }],
};
const de: CanvasMessageOverrides = { edgeLabel: (s, t) => `Von ${s} nach ${t}` };

describe('a change of language', () => {
  it('keeps a selected edge selected across a change of language', async () => {
    function Switcher() {
      const [lang, setLang] = useState<'en' | 'de'>('en');
      return (
        <div style={{ height: 700 }}>
          <button type="button" onClick={() => setLang('de')}>
            Deutsch
          </button>
          <WorkflowCanvas graph={graph} messages={lang === 'de' ? de : undefined} />
        </div>
      );
    }
    const { container } = render(withClient(testClient(), <Switcher />));
    await settle();
    const edge = () => container.querySelector('.react-flow__edge') as HTMLElement;
    fireEvent.click(edge());
    await settle();
    expect(edge().classList.contains('selected')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Deutsch' }));
    await settle();
    expect(edge().getAttribute('aria-label')).toBe('Von Fetch nach Parse');
    expect(edge().classList.contains('selected')).toBe(true);
  });
});
