export * from './types.ts';
export * from './sources.ts';
export * from './routing.ts';
export * from './grading.ts';
export * from './sla.ts';
export * from './mask.ts';
export { catalogueFromPlan } from './catalogue.ts';
