import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { WorkflowProvider } from 'flowpulse';
import { CanvasMessagesProvider, RunToolbar, WorkflowCanvas, type WorkflowGraph } from 'flowpulse/flow';
import { zhMessages } from '../stories/zhMessages';
import '@xyflow/react/dist/style.css';
import 'flowpulse/styles.css';
import './demo.css';

interface Summary {
  id: string;
  name: string;
  nodeCount?: number;
}
interface Definition {
  id: string;
  name: string;
  nodes: { id: string; type: string; label?: string }[];
  edges: { id?: string; source: string; target: string }[];
}

const socketBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
// `?token=…` for a server started with --auth-token.
const token = new URLSearchParams(location.search).get('token');
const authHeaders: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};

/** Whether a media query matches now, following it as it changes (the OS theme, the window width). */
function useMedia(query: string): boolean {
  const [matches, setMatches] = useState(() => matchMedia(query).matches);
  useEffect(() => {
    const list = matchMedia(query);
    const update = () => setMatches(list.matches);
    update();
    list.addEventListener('change', update);
    return () => list.removeEventListener('change', update);
  }, [query]);
  return matches;
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: authHeaders });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${(await res.text()).slice(0, 200)}`);
  return res.json() as Promise<T>;
}

function App() {
  const [workflows, setWorkflows] = useState<Summary[]>([]);
  const [selected, setSelected] = useState(() => new URLSearchParams(location.hash.slice(1)).get('wf') ?? '');
  const [definition, setDefinition] = useState<Definition | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // The canvas's words: English, or Simplified Chinese as an app like Dify would give them (`#lang=zh`).
  const [language, setLanguage] = useState(() => (new URLSearchParams(location.hash.slice(1)).get('lang') === 'zh' ? 'zh' : 'en'));
  const dark = useMedia('(prefers-color-scheme: dark)');
  const wide = useMedia('(min-width: 900px)');

  useEffect(() => {
    getJson<{ workflows: Summary[] } | Summary[]>('/api/workflows')
      .then((body) => {
        const list = Array.isArray(body) ? body : body.workflows;
        setWorkflows(list);
        setSelected((current) => current || list[0]?.id || '');
      })
      .catch((e: Error) => setProblem(e.message));
  }, []);

  useEffect(() => {
    if (!selected) return;
    setDefinition(null);
    setProblem(null);
    // A switch away before the answer came: that answer is no longer wanted.
    let wanted = true;
    getJson<Definition | { workflow: Definition }>(`/api/workflows/${encodeURIComponent(selected)}`)
      .then((body) => wanted && setDefinition('workflow' in body ? body.workflow : body))
      .catch((e: Error) => wanted && setProblem(e.message));
    return () => {
      wanted = false;
    };
  }, [selected]);

  useEffect(() => {
    if (selected) history.replaceState(null, '', `#wf=${encodeURIComponent(selected)}${language === 'zh' ? '&lang=zh' : ''}`);
    // Screen readers pick their voice by the page's language.
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  }, [selected, language]);

  // Only the selected workflow's own definition: for the render between a switch and its fetch, nothing,
  // rather than the old graph under a socket (opened, then closed at once) for the new workflow.
  const shown = definition?.id === selected ? definition : null;
  const graph: WorkflowGraph | null = shown && {
    nodes: shown.nodes.map((n) => ({ id: n.id, label: n.label ?? n.id, type: n.type })),
    edges: shown.edges,
  };

  return (
    <div className={`demo ${dark ? 'fp-dark' : ''}`}>
      <header className="demo__header">
        <h1>flowpulse</h1>
        <label>
          Workflow{' '}
          <select value={selected} onChange={(e) => setSelected(e.target.value)} data-testid="workflow-select">
            {workflows.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Language{' '}
          <select value={language} onChange={(e) => setLanguage(e.target.value)} data-testid="language-select">
            <option value="en">English</option>
            <option value="zh" lang="zh-CN">
              简体中文
            </option>
          </select>
        </label>
        {problem && (
          <span role="alert" className="demo__problem">
            {problem}
          </span>
        )}
      </header>
      {selected && graph && (
        // Server metrics on wide screens only: on a phone the strip would take the graph's room.
        <WorkflowProvider workflowId={selected} baseUrl={socketBase} token={token} metrics={wide}>
          <CanvasMessagesProvider messages={language === 'zh' ? zhMessages : undefined}>
            <main className="demo__main">
              <div className="demo__bar">
                <RunToolbar />
              </div>
              <div className="demo__canvas">
                <WorkflowCanvas
                  graph={graph}
                  // Left to right on a wide canvas (larger nodes), top to bottom on a tall one.
                  layout={{ direction: 'auto' }}
                  colorMode={dark ? 'dark' : 'light'}
                  ariaLabel={`${shown?.name} workflow`}
                />
              </div>
            </main>
          </CanvasMessagesProvider>
        </WorkflowProvider>
      )}
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
