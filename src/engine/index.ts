/** The engine's public surface: a from-scratch MLP in pure TypeScript (no DOM, no fetch). */
export * from './types.ts';
export * from './rng.ts';
export * from './kernels.ts';
export * from './network.ts';
export * from './optimizer.ts';
export * from './schedule.ts';
export * from './stats.ts';
export * from './evaluate.ts';
