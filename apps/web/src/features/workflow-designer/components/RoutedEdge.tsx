import { BaseEdge, EdgeLabelRenderer, getBezierPath, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';

export type RoutedEdgeType = Edge<{ points?: { x: number; y: number }[] }, 'routed'>;

/** Rounded path through the given bends (the first and last replaced by the handles). */
function pathThrough(points: { x: number; y: number }[]): string {
  let d = `M ${points[0].x} ${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i];
    const next = points[i + 1];
    d += ` Q ${p.x} ${p.y} ${(p.x + next.x) / 2} ${(p.y + next.y) / 2}`;
  }
  const last = points[points.length - 1];
  return `${d} L ${last.x} ${last.y}`;
}

/**
 * A connection drawn along the layout's route when it has one (a path skipping ranks bends around
 * the nodes beside it), else React Flow's bezier.
 */
export const RoutedEdge = memo(function RoutedEdge(props: EdgeProps<RoutedEdgeType>) {
  const { sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, data, label, markerEnd, style } = props;
  const bends = data?.points;
  let path: string;
  let labelX: number;
  let labelY: number;
  if (bends && bends.length > 2) {
    const points = [{ x: sourceX, y: sourceY }, ...bends.slice(1, -1), { x: targetX, y: targetY }];
    path = pathThrough(points);
    const mid = points[Math.floor(points.length / 2)];
    labelX = mid.x;
    labelY = mid.y;
  } else {
    [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  }
  return (
    <>
      <BaseEdge path={path} markerEnd={markerEnd} style={style} />
      {label && (
        <EdgeLabelRenderer>
          <div className="wf-edge-label nodrag nopan" style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}>
            {label}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
