#!/usr/bin/env node
// Prints every panel query of every dashboard as one JSON object per line:
//   {"dashboard":"callcenter-queue","panel":3,"title":"Service level","refId":"A",
//    "instant":false,"expr":"...","promql":"..."}
// `expr` is the query as stored (with $target, $queue, $__rate_interval, $__range ...);
// `promql` is the same with the variables replaced (tests/dashboards/lib.mjs DEFAULT_VALUES:
// $target and $queue -> .+ (every use is a =~ matcher), $__rate_interval and $__interval -> 1m,
// $__range -> 1h), ready for a Prometheus query.
//
//   node tests/dashboards/list_exprs.mjs [--target REGEX] [--queue REGEX]
// Needs only Node.js (no npm packages).
import { DEFAULT_VALUES, loadDashboards, panelQueries, substitute } from './lib.mjs';

const values = { ...DEFAULT_VALUES };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const m = args[i].match(/^--(target|queue)$/);
  if (m && i + 1 < args.length) {
    values[m[1]] = args[++i];
  } else {
    console.error('usage: list_exprs.mjs [--target REGEX] [--queue REGEX]');
    process.exit(2);
  }
}

for (const q of panelQueries(loadDashboards())) {
  console.log(JSON.stringify({
    dashboard: q.dashboard,
    panel: q.panel,
    title: q.title,
    refId: q.refId,
    instant: q.instant,
    expr: q.expr,
    promql: substitute(q.expr, values),
  }));
}
