// The canvas stories, composed as the stories test composes them, rendered in
// a real browser: ?story=RunningSnapshot
import { createRoot } from 'react-dom/client';
import { composeStories, setProjectAnnotations } from '@storybook/react-vite';
import preview from '../../../.storybook/preview';
import * as canvasStories from '../../../stories/WorkflowCanvas.stories';

setProjectAnnotations(preview);
const stories: Record<string, React.ComponentType> = composeStories(canvasStories);
const name = new URLSearchParams(location.search).get('story') ?? 'RunningSnapshot';
const Story = stories[name];
const root = document.getElementById('root') as HTMLElement;
if (!Story) root.textContent = `No story ${name}`;
else createRoot(root).render(<Story />);
