import { useLayoutEffect, useRef } from 'react';

/** Props of {@link FlowMarker}. */
export interface FlowMarkerProps {
  /** The SVG path the marker travels, source to target. */
  path: string;
  /** Travel time. @default 1000 */
  durationMs?: number | undefined;
}

/**
 * A dot that travels an edge's path once, source to target, and fades out.
 * Key it by the flow's id so a new flow restarts it.
 *
 * @example
 * {flow && <FlowMarker key={flow.id} path={edgePath} />}
 */
export function FlowMarker({ path, durationMs = 1000 }: FlowMarkerProps) {
  const motion = useRef<SVGAnimateMotionElement>(null);
  const fade = useRef<SVGAnimateElement>(null);
  // SMIL times count from the document's start, so an animation added later
  // with begin="0s" would already be over: start it by hand when mounted.
  useLayoutEffect(() => {
    motion.current?.beginElement?.();
    fade.current?.beginElement?.();
  }, []);
  const dur = `${durationMs}ms`;
  // Invisible until its animations run (they set the opacity), so it never shows at the origin.
  return (
    <circle className="fp-edge__marker" r={5} cx={0} cy={0} opacity={0} aria-hidden="true">
      <animateMotion
        ref={motion}
        dur={dur}
        begin="indefinite"
        fill="freeze"
        path={path}
        calcMode="spline"
        keyPoints="0;1"
        keyTimes="0;1"
        keySplines="0.4 0 0.2 1"
      />
      <animate ref={fade} attributeName="opacity" values="1;1;0" keyTimes="0;0.85;1" dur={dur} begin="indefinite" fill="freeze" />
    </circle>
  );
}
