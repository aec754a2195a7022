import { ndjsonSpout } from '../ndjson-spout.js';

/** Purchase events, one JSON object per line: { user, action, amount, ... }. */
export default ndjsonSpout({ fields: ['user', 'action', 'amount'] });
