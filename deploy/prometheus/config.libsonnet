// Every selector, threshold, `for:` duration and severity of the callcenter_exporter rules and
// alerts, in one place. Override any of them from your own jsonnet:
//
//   (import 'deploy/prometheus/mixin.libsonnet') + {
//     _config+:: {
//       serviceLevelTarget: 0.9,
//       longestWaitSeconds: 60,
//       runbookBaseUrl: 'https://git.example.com/ops/callcenter_exporter/-/blob/main/docs/runbook.md',
//     },
//   }
//
// docs/kpis.md explains the KPI formulas, docs/runbook.md each alert.
{
  _config+:: {
    // Selects the exporter's series. Static scraping uses job "callcenter"; the /probe form
    // uses "callcenter-probe" (target series) and "callcenter-exporter" (the exporter's own
    // series), see prometheus.yml and prometheus-probe.yml. Every aggregation keeps `job` and
    // `instance`, so the same target scraped by two jobs is never added up twice.
    callcenterSelector: 'job=~"callcenter.*"',

    // Where the alerts' runbook_url points; the alert's anchor is appended ("#callcentertargetdown").
    // The default is the file's path in the repository; set a full URL for your Git server or wiki.
    runbookBaseUrl: 'docs/runbook.md',

    // --- Exporter and target health -----------------------------------------------------------
    exporterDownFor: '5m',  // Prometheus cannot scrape the exporter (up == 0)
    targetDownFor: '5m',  // callcenter_up == 0: the vendor API polls keep failing
    // A collector's last successful poll is older than this. Longer than the exporter's own
    // stale_after (3 x poll_interval, 45 s by default), so that a few failed polls do not alert;
    // also catches a poller that is stuck while callcenter_up still says 1.
    dataStaleSeconds: 300,
    dataStaleFor: '1m',
    // Auth failures keep recurring: at least one in every authFailingWindow, for authFailingFor.
    // (for: longer than the window, so that one refused poll alone never fires.)
    authFailingWindow: '5m',
    authFailingFor: '10m',
    // Share of polls that fail, per reason other than auth (auth has its own alert).
    pollFailureRatio: 0.10,
    pollFailureWindow: '15m',
    pollFailureFor: '15m',
    configReloadFailedFor: '5m',

    // --- Queue KPIs -------------------------------------------------------------------------------
    // Service level target: share of calls answered within the queue's threshold (the threshold
    // is the vendor's: MixCall servicelevel, uContact slevelthreshold, Huawei a fixed 20 s).
    serviceLevelTarget: 0.80,
    serviceLevelLowFor: '15m',
    abandonRatio: 0.10,  // abandoned / offered over 30 minutes
    abandonRateHighFor: '10m',
    // Volume guard of the service-level and abandon alerts: at least this many calls offered in
    // the last 30 minutes, so that two calls at night cannot page anyone.
    minOfferedCalls30m: 10,
    longestWaitSeconds: 120,  // oldest call still waiting in a queue
    longestWaitFor: '2m',
    noAgentAvailableFor: '2m',  // calls waiting while the queue has no available agent

    // --- Service-level objective, multi-window multi-burn-rate --------------------------------------
    // The "error" is a call offered that was not answered within the threshold. The error budget
    // is 1 - objective, so the burn rate can never exceed 1 / (1 - objective): 5 at 80 %. The
    // factors 14.4 (1 h) and 6 (6 h) of the classic SRE-workbook scheme assume a 30-day budget
    // period and a 99.9 %-style objective and could never be reached here. We keep its structure
    // (2 % of the budget spent in 1 h, 5 % in 6 h page; the objective missed over 3 days opens a
    // ticket) with a 7-day budget period, which gives 3.36 and 1.4 at the defaults. With
    // sloPeriodDays: 30 and an objective of at least 0.95 you get the workbook's 14.4 and 6.
    // A factor is `budgetConsumed * period / long window` unless `factor` is given. Rendering
    // fails if a factor could never be reached with the objective.
    sloObjective: self.serviceLevelTarget,
    sloPeriodDays: 7,
    sloBurnAlerts: [
      { severity: 'critical', long: '1h', short: '5m', budgetConsumed: 0.02, minOfferedCalls: 20, 'for': '2m' },
      { severity: 'critical', long: '6h', short: '30m', budgetConsumed: 0.05, minOfferedCalls: 50, 'for': '15m' },
      { severity: 'warning', long: '3d', short: '6h', factor: 1, minOfferedCalls: 100, 'for': '1h' },
    ],

    // --- Severities -------------------------------------------------------------------------------
    severities: {
      exporterDown: 'critical',
      targetDown: 'critical',
      dataStale: 'critical',
      authFailing: 'critical',
      pollFailures: 'warning',
      configReloadFailed: 'warning',
      serviceLevelLow: 'warning',
      abandonRateHigh: 'warning',
      longestWaitHigh: 'warning',
      noAgentAvailable: 'warning',
    },
  },
}
