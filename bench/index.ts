/** `npm run bench`: every figure is printed next to a baseline measured in the same run. */
import { benchPlan } from './plan.ts';
import { benchCallbacks } from './callbacks.ts';
import { benchChart } from './chart.ts';
import { benchDelivery } from './delivery.ts';
import { benchScheduler } from './scheduler.ts';

const only = process.argv[2];
console.log(`duban benchmarks — node ${process.version}, ${new Date().toISOString()}`);
if (!only || only === 'plan') await benchPlan();
if (!only || only === 'callbacks') await benchCallbacks();
if (!only || only === 'delivery') await benchDelivery();
if (!only || only === 'chart') await benchChart();
if (!only || only === 'scheduler') await benchScheduler();
