// Small helpers shared by rules.libsonnet and alerts.libsonnet.
{
  // A Prometheus duration of one unit ('30s', '5m', '1h', '3d', '1w') in seconds.
  seconds(d)::
    local units = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
    local unit = d[std.length(d) - 1];
    assert std.objectHas(units, unit) : 'unsupported duration "%s" (use one unit: 30s, 5m, 1h, 3d)' % d;
    std.parseInt(d[0:std.length(d) - 1]) * units[unit],

  // A number as PromQL text, without binary-float noise (0.672, not 0.67200000000000004).
  // Zero is spelled out: jsonnet 0.18's %g takes the logarithm of its argument and fails on 0,
  // and 0 is a threshold users set (minOfferedCalls30m: 0 turns the volume guard off).
  num(x):: if x == 0 then '0' else std.format('%g', x),

  // The windows over which queue call rates are recorded: 5m and 30m for the wallboards and the
  // queue alerts, plus every long and short window of the burn-rate alerts.
  windows(config)::
    local all = ['5m', '30m'] + std.flattenArrays([[a.long, a.short] for a in config.sloBurnAlerts]);
    std.sort(std.set(all), $.seconds),

  // Burn-rate factor of one sloBurnAlerts entry (see config.libsonnet).
  burnFactor(config, a)::
    local f =
      if std.objectHas(a, 'factor') then a.factor
      else a.budgetConsumed * config.sloPeriodDays * 86400 / $.seconds(a.long);
    local max = 1 / (1 - config.sloObjective);
    assert f < max :
           'burn rate %g over %s can never be reached with objective %g (the error ratio is at most 1, so the burn rate at most %g)'
           % [f, a.long, config.sloObjective, max];
    f,

  // The error-ratio threshold of a burn-rate alert entry: factor x error budget.
  burnThreshold(config, a):: $.burnFactor(config, a) * (1 - config.sloObjective),
}
