/**
 * The representation map's UMAP thread: started by the page while the map shows UMAP, terminated when it
 * goes back to PCA or closes. Thin on purpose: the work is training/umapEmbedding.ts.
 */
import type { UmapReply, UmapRequest } from '../protocol/umap';
import { UmapEmbedding } from '../training/umapEmbedding';

const scope = self as unknown as {
  postMessage(message: UmapReply, transfer?: ArrayBuffer[]): void;
  onmessage: ((ev: MessageEvent<UmapRequest>) => void) | null;
};

const embedding = new UmapEmbedding(() => performance.now());
scope.onmessage = (ev) => embedding.handle(ev.data, (m, t) => scope.postMessage(m, t ?? []));
