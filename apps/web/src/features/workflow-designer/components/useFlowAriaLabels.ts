import type { ReactFlowProps } from '@xyflow/react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/** React Flow's own control names and keyboard hints, in the UI language. */
export function useFlowAriaLabels(): ReactFlowProps['ariaLabelConfig'] {
  const { t } = useTranslation();
  return useMemo(
    () => ({
      'node.a11yDescription.default': t('workflows.canvas.nodeHelp'),
      'node.a11yDescription.keyboardDisabled': t('workflows.canvas.nodeHelpMove'),
      'node.a11yDescription.ariaLiveMessage': ({ x, y }: { direction: string; x: number; y: number }) =>
        t('workflows.canvas.moved', { x: Math.round(x), y: Math.round(y) }),
      'edge.a11yDescription.default': t('workflows.canvas.edgeHelp'),
      'controls.ariaLabel': t('workflows.canvas.controls'),
      'controls.zoomIn.ariaLabel': t('workflows.canvas.zoomIn'),
      'controls.zoomOut.ariaLabel': t('workflows.canvas.zoomOut'),
      'controls.fitView.ariaLabel': t('workflows.canvas.fit'),
      'controls.interactive.ariaLabel': t('workflows.canvas.interactive'),
      'minimap.ariaLabel': t('workflows.canvas.minimap'),
      'handle.ariaLabel': t('workflows.canvas.handle'),
    }),
    [t],
  );
}
