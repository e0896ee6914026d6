import type { WidgetProps } from '@rjsf/utils';
import { Button, Flex, Image, Progress, Typography } from 'antd';
import { type PointerEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { filesOfValue, uploadFile, uploadProblemText } from '../shared/upload';
import { canvasPoint, hasInk, paint, type Stroke } from './signature-pad';

const WIDTH = 480;
const HEIGHT = 160;

/**
 * A handwritten signature: drawn on a canvas with a pointer (mouse, pen, finger), saved as one
 * PNG through POST /api/files (the signature type stores `[{ id, name, size, mime }]`, at most
 * one file). Save and clear are labelled buttons, so the keyboard reaches both.
 */
export function SignatureWidget({ id, value, onChange, disabled, readonly, label }: WidgetProps) {
  const { t } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [strokes, setStrokes] = useState<Stroke[]>([]);
  const [drawing, setDrawing] = useState(false);
  const [percent, setPercent] = useState<number | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const saved = filesOfValue(value)[0];
  const busy = disabled || readonly;

  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (ctx) paint(ctx, strokes, { width: WIDTH, height: HEIGHT });
  }, [strokes]);

  const point = (e: PointerEvent<HTMLCanvasElement>) =>
    canvasPoint({ clientX: e.clientX, clientY: e.clientY, rect: e.currentTarget.getBoundingClientRect(), width: WIDTH, height: HEIGHT });

  const save = () => {
    const el = canvas.current;
    if (!el || !hasInk(strokes)) return;
    el.toBlob((blob) => {
      if (!blob) return;
      setPercent(0);
      setProblem(null);
      uploadFile({ file: blob, name: 'signature.png', onProgress: setPercent })
        .then((file) => {
          onChange([file]);
          setStrokes([]);
        })
        .catch((err: unknown) =>
          setProblem(t('widgets.uploadFailed', { name: t('widgets.signatureOf', { field: label }), message: uploadProblemText(err, t) })),
        )
        .finally(() => setPercent(null));
    }, 'image/png');
  };

  const clear = () => {
    setStrokes([]);
    if (saved) onChange(undefined);
  };

  return (
    <div id={id} role="group" aria-label={label}>
      {saved ? (
        <Image src={`/api/files/${encodeURIComponent(saved.id)}/thumbnail`} alt={t('widgets.signatureOf', { field: label })} height={80} preview={false} />
      ) : (
        <canvas
          ref={canvas}
          width={WIDTH}
          height={HEIGHT}
          role="img"
          aria-label={t('widgets.signaturePad', { field: label })}
          style={{
            width: '100%',
            maxWidth: WIDTH,
            aspectRatio: `${WIDTH} / ${HEIGHT}`,
            touchAction: 'none',
            border: '1px dashed #d9d9d9',
            borderRadius: 8,
            background: '#fff',
            display: 'block',
          }}
          onPointerDown={(e) => {
            if (busy) return;
            e.currentTarget.setPointerCapture?.(e.pointerId);
            setDrawing(true);
            // Read the point now: React clears the event's currentTarget once the handler returns.
            const p = point(e);
            setStrokes((s) => [...s, [p]]);
          }}
          onPointerMove={(e) => {
            if (!drawing) return;
            const p = point(e);
            setStrokes((s) => [...s.slice(0, -1), [...(s[s.length - 1] ?? []), p]]);
          }}
          onPointerUp={() => setDrawing(false)}
          onPointerLeave={() => setDrawing(false)}
        />
      )}
      {percent !== null && <Progress percent={percent} size="small" aria-label={t('widgets.uploading')} />}
      <Flex gap={8} style={{ marginTop: 8 }} wrap>
        {!saved && (
          <Button type="primary" onClick={save} disabled={busy || !hasInk(strokes) || percent !== null}>
            {t('widgets.saveSignature')}
          </Button>
        )}
        <Button onClick={clear} disabled={busy || (!saved && strokes.length === 0)} aria-label={t('widgets.clearSignature', { field: label })}>
          {t('widgets.clear')}
        </Button>
      </Flex>
      {!saved && (
        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
          {t('widgets.signatureHint')}
        </Typography.Text>
      )}
      {problem && (
        <Typography.Text type="danger" role="alert" style={{ display: 'block' }}>
          {problem}
        </Typography.Text>
      )}
    </div>
  );
}
