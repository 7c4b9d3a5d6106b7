/**
 * A forwarding stub, not a definition: the protocol lives in src/protocol/messages.ts. It stays only
 * because src/store/urlState.ts (rewritten in parallel) still imports `Speed` from here; delete this file
 * once that import reads '../protocol/messages'.
 */
export type { Speed } from '../protocol/messages';
