export * from './access';
export * from './admin';
export * from './analytics';
export * from './assignment';
export * from './customerDriver';
export * from './effects';
export * from './events';
export * from './graph';
export * from './graphDiff';

export * from './inbox';
export * from './shard';
export * from './team';
export * from './timeZone';
export * from './whatsapp';
export * from './whatsappOutbound';
