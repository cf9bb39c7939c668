/** `npm run bench`: every figure is printed next to a baseline measured in the same run. */
import { benchPlan } from './plan.ts';

console.log(`duban benchmarks — node ${process.version}, ${new Date().toISOString()}`);
await benchPlan();
