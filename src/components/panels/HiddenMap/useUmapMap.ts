/**
 * The representation map's UMAP, while the map shows it: a thread of its own (worker/umap.worker.ts) fits
 * the layer's activations of the latest map, and fits again with the newest ones whenever the previous fit
 * is done (a fit takes seconds); each fit is turned to match the last one shown. The drawing is placed in
 * the embedding on that thread too, whenever its prediction changes. Off: the thread is terminated.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ReplyTo } from '../../../protocol/messages';
import type { UmapReply, UmapRequest } from '../../../protocol/umap';
import { telemetryStore } from '../../../store/telemetry';
import { drawingVector } from './hiddenMapLayout';

type MapAnswer = ReplyTo<'hidden-map'>;

/** A map as shown: PCA's answer, or its UMAP (the same images, UMAP's places and 5-NN). */
export type ShownMap = MapAnswer & { method: 'pca' | 'umap'; place?: () => [number, number] | null };

/** The UMAP's seed: the same activations give the same picture. */
const UMAP_SEED = 42;

interface Fitted {
  of: MapAnswer;
  coords: Float32Array;
  knn: number;
  ms: number;
}

function startUmapThread(): Worker {
  return new Worker(new URL('../../../worker/umap.worker.ts', import.meta.url), {
    type: 'module',
    name: 'map UMAP',
  });
}

/**
 * @param source the latest PCA answer (with activations) while UMAP is chosen, else null (off)
 * @param onPlaced the drawing's place changed: repaint
 */
export function useUmapMap(
  source: MapAnswer | null,
  onPlaced: () => void,
): { shown: ShownMap | null; progress: number | null; error: string | null } {
  const enabled = source !== null;
  const [fitted, setFitted] = useState<Fitted | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const thread = useRef<Worker | null>(null);
  const busy = useRef<MapAnswer | null>(null);
  const latest = useRef<MapAnswer | null>(null);
  const last = useRef<Fitted | null>(null);
  const placed = useRef<[number, number] | null>(null);
  const seq = useRef(0);
  const placedCb = useRef(onPlaced);
  useEffect(() => {
    placedCb.current = onPlaced;
  }, [onPlaced]);

  const fitNext = useRef<() => void>(() => {});
  useEffect(() => {
    fitNext.current = () => {
      const w = thread.current;
      const next = latest.current;
      if (!w || busy.current || !next?.activations) return;
      const prev = last.current;
      if (prev && prev.of.step === next.step && prev.of.layer === next.layer) return;
      busy.current = next;
      const same = prev && prev.of.layer === next.layer && prev.coords.length === next.coords.length;
      const msg: UmapRequest = {
        type: 'fit',
        seq: ++seq.current,
        data: next.activations,
        n: next.labels.length,
        dim: next.size,
        labels: next.labels,
        seed: UMAP_SEED,
        previous: same ? prev.coords : null,
      };
      w.postMessage(msg);
    };
  });

  const place = useRef<() => void>(() => {});
  useEffect(() => {
    place.current = () => {
      const w = thread.current;
      const f = last.current;
      const p = telemetryStore.getState().prediction;
      if (!w || !f) return;
      const v = p ? drawingVector(f.of.layer, p.activations, p.logits) : null;
      if (!v || v.length !== f.of.size) {
        placed.current = null;
        placedCb.current();
        return;
      }
      w.postMessage({ type: 'place', seq: seq.current, vector: v } satisfies UmapRequest);
    };
  });

  // The thread lives while UMAP is chosen.
  useEffect(() => {
    if (!enabled) return;
    const w = startUmapThread();
    thread.current = w;
    w.onmessage = (ev: MessageEvent<UmapReply>) => {
      const r = ev.data;
      if (r.type === 'progress') setProgress(r.epoch / r.epochs);
      else if (r.type === 'fitted') {
        const of = busy.current!;
        busy.current = null;
        const f = { of, coords: r.coords, knn: r.knn, ms: r.ms };
        last.current = f;
        setFitted(f);
        setProgress(null);
        setError(null);
        place.current();
        fitNext.current();
      } else if (r.type === 'placed') {
        placed.current = [r.x, r.y];
        placedCb.current();
      } else {
        busy.current = null;
        setError(`UMAP failed: ${r.message}`);
      }
    };
    w.onerror = (e) => setError(`The UMAP thread failed${e.message ? `: ${e.message}` : ''}.`);
    const unsub = telemetryStore.subscribe((s, prev) => {
      if (s.prediction !== prev.prediction) place.current();
    });
    return () => {
      unsub();
      w.terminate();
      thread.current = null;
      busy.current = null;
      last.current = null;
      placed.current = null;
    };
  }, [enabled]);

  // A newer map: fit it once the thread is free.
  useEffect(() => {
    latest.current = source;
    fitNext.current();
  }, [source]);

  const shown = useMemo<ShownMap | null>(() => {
    if (!enabled || !fitted) return null;
    return {
      ...fitted.of,
      coords: fitted.coords,
      knn: fitted.knn,
      method: 'umap',
      place: () => placed.current,
    };
  }, [enabled, fitted]);
  return { shown, progress: enabled ? progress : null, error: enabled ? error : null };
}
