import { useMediaQuery } from './useMediaQuery';

/**
 * Whether the user asked the system for less motion. Components use it to
 * leave moving parts out of the DOM altogether; `styles.css` also stops
 * animations under the same media query, for anything rendered without it.
 *
 * @example
 * const reduced = usePrefersReducedMotion();
 * return reduced ? <StaticHighlight /> : <TravellingDot />;
 */
export function usePrefersReducedMotion(): boolean {
  return useMediaQuery('(prefers-reduced-motion: reduce)');
}
