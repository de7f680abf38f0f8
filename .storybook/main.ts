import type { StorybookConfig } from '@storybook/react-vite';

// Storybook reads the root vite.config.ts (its `flowpulse/*` aliases, the React
// plugin) and drops its library `build` section, so stories import what users import.
const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.@(ts|tsx)'],
  framework: { name: '@storybook/react-vite', options: {} },
  addons: [],
  // Works offline: no telemetry, no "what's new" fetch.
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  typescript: { reactDocgen: false },
};

export default config;
