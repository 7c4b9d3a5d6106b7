/**
 * The inside views' actions: which screen is open (the worker computes their statistics only while it
 * is), the shared selection, and the on-demand questions (init lab, a unit's images, a cell's images).
 * An answer is stored only if its question is still the latest of its kind, so a slow answer never
 * overwrites a newer one.
 */
import type { Command, ImageItem, LandscapePlaneChoice, MapLayer, ReplyTo } from '../protocol/messages';
import { useLandscapeProgress } from '../store/landscape';
import { telemetryStore } from '../store/telemetry';
import {
  useInsideStore,
  type AutoSelection,
  type StepSource,
  type CellRef,
  type ImageAnswer,
  type InsideState,
  type UnitRef,
} from '../store/inside';
import type { AppContext } from './actions';

/** ImageItems plus their shared pixel buffer → one self-contained answer per image. */
export function toImageAnswers(ev: ReplyTo<'mistakes'>): ImageAnswer[] {
  const n = ev.items.length;
  const px = n > 0 ? ev.pixels.length / n : 0;
  return ev.items.map((it: ImageItem, k) => ({
    ...it,
    pixels: ev.pixels.subarray(k * px, (k + 1) * px),
  }));
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function createInsideActions(app: () => AppContext) {
  const set = (patch: Partial<InsideState>) => useInsideStore.setState(patch);
  return {
    /** Opens a screen; the worker adds activation health to its snapshots only while 'inside' is open. */
    setScreen(screen: InsideState['screen']): void {
      if (useInsideStore.getState().screen === screen) return;
      set({ screen });
      app().bridge.send({ type: 'set-inspect', on: screen === 'inside' });
    },
    /** The unit every view shows (null: none); `auto` says why, when the page chose it rather than the user. */
    selectUnit(unit: UnitRef | null, auto: AutoSelection | null = null): void {
      set({ selectedUnit: unit, selectedAuto: unit ? auto : null });
    },
    /** The confusion cell whose images the gallery shows (null: the most confident mistakes). */
    selectCell(cell: CellRef | null): void {
      set({ selectedCell: cell });
    },
    /** The init lab for the architecture `key` names (asked again when it changes). */
    requestInitLab(key: string): void {
      const query = { key };
      set({
        initLab: { query, pending: true, items: useInsideStore.getState().initLab?.items ?? [], error: null },
      });
      app()
        .bridge.request('init-lab', {})
        .then(
          (ev) => {
            if (useInsideStore.getState().initLab?.query !== query) return;
            set({ initLab: { query, pending: false, items: ev.results, error: null } });
          },
          (e) => {
            if (useInsideStore.getState().initLab?.query !== query) return;
            set({ initLab: { query, pending: false, items: [], error: errorText(e) } });
          },
        );
    },
    requestUnitImages(unit: UnitRef): void {
      const query = { ...unit };
      const old = useInsideStore.getState().unitImages;
      // Keep showing the last images of the same unit while the new ones come (no flicker per epoch).
      const keep = old && old.query.layer === unit.layer && old.query.unit === unit.unit ? old.items : [];
      set({ unitImages: { query, pending: true, items: keep, error: null } });
      app()
        .bridge.request('unit-images', { layer: unit.layer, unit: unit.unit })
        .then(
          (ev) => {
            if (useInsideStore.getState().unitImages?.query !== query) return;
            set({ unitImages: { query, pending: false, items: toImageAnswers(ev), error: null } });
          },
          (e) => {
            if (useInsideStore.getState().unitImages?.query !== query) return;
            set({ unitImages: { query, pending: false, items: [], error: errorText(e) } });
          },
        );
    },
    /** Where the one-step view takes its example from. */
    setStepSource(source: StepSource): void {
      set({ stepSource: source });
    },
    /** One step explained for `unit` from `source` (the drawing: the pixels the network last read). */
    requestStepExplanation(unit: UnitRef, source: StepSource): void {
      const query = { ...unit, source };
      set({
        stepExplanation: {
          query,
          pending: true,
          items: useInsideStore.getState().stepExplanation?.items ?? [],
          error: null,
        },
      });
      let src: Extract<Command, { type: 'explain-step' }>['source'];
      const pixels = telemetryStore.getState().prediction?.activations[0];
      if (source.kind === 'drawing') {
        if (!pixels) {
          set({
            stepExplanation: {
              query,
              pending: false,
              items: [],
              error: 'Draw a digit first (on the right).',
            },
          });
          return;
        }
        src = { kind: 'drawing', pixels: pixels.slice(), label: source.label };
      } else src = source;
      app()
        .bridge.request('explain-step', { layer: unit.layer, unit: unit.unit, source: src })
        .then(
          (ev) => {
            if (useInsideStore.getState().stepExplanation?.query !== query) return;
            const answer = { step: ev.step, source: ev.source, explanation: ev.explanation };
            set({ stepExplanation: { query, pending: false, items: [answer], error: null } });
          },
          (e) => {
            if (useInsideStore.getState().stepExplanation?.query !== query) return;
            set({ stepExplanation: { query, pending: false, items: [], error: errorText(e) } });
          },
        );
    },
    /**
     * The next batch's first `count` images before and after their augmentation. The view that asks keeps
     * the answer itself (it is open only while someone looks, and nothing else reads it).
     */
    requestAugmentedBatch(count: number): Promise<ReplyTo<'augmented-batch'>> {
      return app().bridge.request('augmented-batch', { count });
    },
    /**
     * The representation map of `layer` from the current weights (computed between training slices; a newer
     * question replaces one still running, whose promise then rejects). The view keeps the answer.
     */
    /** The map of `layer` now, or of kept moment `at` (the timeline). */
    requestHiddenMap(
      layer: MapLayer,
      withImages: boolean,
      at: number | null = null,
      withActivations = false,
    ): Promise<ReplyTo<'hidden-map'>> {
      return app().bridge.request('hidden-map', { layer, withImages, at, withActivations });
    },
    /** The loss landscape (replacing one in progress); its progress arrives in useLandscapeProgress. */
    requestLossLandscape(grid: number, plane: LandscapePlaneChoice): Promise<ReplyTo<'loss-landscape'>> {
      useLandscapeProgress.setState({ progress: null });
      return app().bridge.request('loss-landscape', { grid, plane });
    },
    /** The landscape's plan (plane, path, images, directions); the page computes its grid on threads. */
    requestLandscapePlan(grid: number, plane: LandscapePlaneChoice): Promise<ReplyTo<'landscape-plan'>> {
      useLandscapeProgress.setState({ progress: null });
      return app().bridge.request('landscape-plan', { grid, plane });
    },
    cancelLossLandscape(): void {
      app().bridge.send({ type: 'cancel-landscape' });
    },
    requestMistakes(cell: CellRef | null): void {
      const query = cell ? { ...cell } : null;
      const token = {};
      latestMistakes = token;
      const old = useInsideStore.getState().mistakes;
      set({ mistakes: { query, pending: true, items: old?.items ?? [], error: null } });
      const fields = cell ? { trueClass: cell.trueClass, predicted: cell.predicted } : {};
      app()
        .bridge.request('mistakes', fields)
        .then(
          (ev) => {
            if (latestMistakes !== token) return;
            set({ mistakes: { query, pending: false, items: toImageAnswers(ev), error: null } });
          },
          (e) => {
            if (latestMistakes !== token) return;
            set({ mistakes: { query, pending: false, items: [], error: errorText(e) } });
          },
        );
    },
  };
}

/** The newest mistakes question (its query may be null, so identity is kept apart). */
let latestMistakes: object | null = null;
