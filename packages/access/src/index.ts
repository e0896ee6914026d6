export * from './types';
export * from './errors';
export * from './presets';
export * from './compile';
export * from './group-definition';
