export * from './generate-school';
export { SeededRandom } from './seeded-random';
