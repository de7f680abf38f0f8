import type { ColorMode } from '@xyflow/react';
import { useMediaQuery } from './useMediaQuery';

/**
 * The palette in use for a React Flow `colorMode`: `system` follows the
 * operating system's `prefers-color-scheme`.
 *
 * @example
 * const scheme = useColorScheme('system'); // 'dark' on a dark desktop
 */
export function useColorScheme(colorMode: ColorMode = 'light'): 'light' | 'dark' {
  const systemDark = useMediaQuery('(prefers-color-scheme: dark)');
  if (colorMode === 'system') return systemDark ? 'dark' : 'light';
  return colorMode;
}
