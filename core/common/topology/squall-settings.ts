/** Settings Squall itself reads from a topology's conf (Storm passes unknown keys through untouched). */

/** The run's seed (`squall run --seed`, the test harness): a component's `this.random()` derives from it. */
export const SEED_CONF_KEY = 'squall.seed';
