export * from './exchange-transport';
export * from './http-transport';
export * from './directory-transport';
export * from './package-encoding';
export * from './package-batcher';
export * from './sedizh-connector';
