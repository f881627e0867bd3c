// Worker-thread entry of the preprocessing pool: each task is one series (check the cache, or load,
// resample, normalise, crop and write it); see app/services/preprocess/preprocess-series.ts.
import { serveTasks } from '../platform/task-pool.js';
import { preprocessSeries, type PreprocessTask } from '../services/preprocess/preprocess-series.js';

serveTasks<PreprocessTask>((task) => preprocessSeries(task));
