export * from './analytics';
export * from './assignment';
export * from './effects';
export * from './events';
export * from './graph';
export * from './shard';
export * from './timeZone';
export * from './whatsapp';
