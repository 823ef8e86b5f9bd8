// Alerting rules. Every alert has labels.severity and the annotations summary, description and
// runbook_url (docs/runbook.md, one section per alert). Thresholds, `for:` durations and
// severities come from config.libsonnet.
//
// Missing data never fires a queue alert: they compare series that exist (no absent(), no
// `or vector(0)`), and the ratios have no sample when nothing was offered. A target that stops
// delivering data is the job of CallcenterTargetDown and CallcenterDataStale, and Alertmanager
// inhibits the queue alerts of such a target (alertmanager.yml).
local utils = import 'utils.libsonnet';

{
  prometheusAlerts+:: {
    local c = $._config,
    local S = c.callcenterSelector,
    local n = utils.num,
    local keep = 'job, instance, target, queue',
    local runbook(name) = '%s#%s' % [c.runbookBaseUrl, std.asciiLower(name)],

    local alert(name, severity, expr, forDuration, summary, description, extraLabels={}) = {
      alert: name,
      expr: expr,
      [if forDuration != '0s' then 'for']: forDuration,
      labels: { severity: severity } + extraLabels,
      annotations: {
        summary: summary,
        description: description,
        runbook_url: runbook(name),
      },
    },

    local volumeGuard = |||
      and on (%(keep)s)
      target_queue:callcenter_calls_offered:rate30m * 1800 >= %(min)s
    ||| % { keep: keep, min: n(c.minOfferedCalls30m) },

    groups+: [
      {
        name: 'callcenter-exporter.alerts',
        rules: [
          alert(
            'CallcenterExporterDown', c.severities.exporterDown,
            'up{%s} == 0\n' % S, c.exporterDownFor,
            'Prometheus cannot scrape callcenter_exporter {{ $labels.instance }}.',
            'Job {{ $labels.job }} has failed to scrape {{ $labels.instance }} for %s. No call-center data arrives from it, and the other callcenter alerts cannot fire for its targets.' % c.exporterDownFor,
          ),
          alert(
            'CallcenterTargetDown', c.severities.targetDown,
            'callcenter_up{%s} == 0\n' % S, c.targetDownFor,
            'Polls of {{ $labels.target }} ({{ $labels.collector }}) are failing.',
            'The last poll of collector {{ $labels.collector }} of target {{ $labels.target }} failed, and none has succeeded for %s. The exporter serves its last data until stale_after, then drops it. callcenter_poll_failures_total{target="{{ $labels.target }}"} tells the reason; the exporter landing page shows the last error.' % c.targetDownFor,
          ),
          alert(
            'CallcenterDataStale', c.severities.dataStale,
            |||
              time() - callcenter_last_success_timestamp_seconds{%(S)s} > %(max)s
              and
              callcenter_last_success_timestamp_seconds{%(S)s} > 0
            ||| % { S: S, max: n(c.dataStaleSeconds) },
            c.dataStaleFor,
            'Data of {{ $labels.target }} ({{ $labels.collector }}) is {{ $value | humanizeDuration }} old.',
            'The last successful poll of collector {{ $labels.collector }} of target {{ $labels.target }} ended {{ $value | humanizeDuration }} ago (limit %ss). Either polls fail (see CallcenterTargetDown) or the poller is stuck.' % n(c.dataStaleSeconds),
          ),
          alert(
            'CallcenterAuthFailing', c.severities.authFailing,
            'increase(callcenter_poll_failures_total{%s, reason="auth"}[%s]) > 0\n' % [S, c.authFailingWindow],
            c.authFailingFor,
            'The vendor rejects the credentials of {{ $labels.target }} ({{ $labels.collector }}).',
            'Polls of collector {{ $labels.collector }} of target {{ $labels.target }} keep failing with reason auth (credentials refused, token or session not renewed, IP not allowed, or a Huawei 403 back-off). Re-logins that succeed do not count; this needs a person.',
          ),
          alert(
            'CallcenterPollFailures', c.severities.pollFailures,
            |||
              rate(callcenter_poll_failures_total{%(S)s, reason!="auth"}[%(w)s])
              / ignoring (reason) group_left
              rate(callcenter_polls_total{%(S)s}[%(w)s])
              > %(max)s
            ||| % { S: S, w: c.pollFailureWindow, max: n(c.pollFailureRatio) },
            c.pollFailureFor,
            '{{ $value | humanizePercentage }} of the polls of {{ $labels.target }} ({{ $labels.collector }}) fail with {{ $labels.reason }}.',
            'Over the last %s, {{ $value | humanizePercentage }} of the polls of collector {{ $labels.collector }} of target {{ $labels.target }} failed with reason {{ $labels.reason }} (limit %s). Data may have gaps or lag behind.' % [c.pollFailureWindow, n(c.pollFailureRatio * 100) + '%'],
          ),
          alert(
            'CallcenterConfigReloadFailed', c.severities.configReloadFailed,
            'callcenter_config_last_reload_successful{%s} == 0\n' % S, c.configReloadFailedFor,
            'callcenter_exporter {{ $labels.instance }} failed to reload its configuration.',
            'The last configuration reload of {{ $labels.instance }} failed; it keeps running with the previous configuration. The exporter log names the file, line and key.',
          ),
        ],
      },
      {
        name: 'callcenter-queue.alerts',
        rules: [
          alert(
            'CallcenterQueueServiceLevelLow', c.severities.serviceLevelLow,
            |||
              target_queue:callcenter_service_level:ratio < %(target)s
              %(guard)s
            ||| % { target: n(c.serviceLevelTarget), guard: std.rstripChars(volumeGuard, '\n') },
            c.serviceLevelLowFor,
            'Service level of queue {{ $labels.queue }} on {{ $labels.target }} is {{ $value | humanizePercentage }}.',
            'The service level of queue {{ $labels.queue }} on {{ $labels.target }} has been below the target of %s for %s, with at least %s calls offered in the last 30 minutes. See docs/kpis.md for which figure each vendor gives.' % [n(c.serviceLevelTarget * 100) + '%', c.serviceLevelLowFor, n(c.minOfferedCalls30m)],
          ),
          alert(
            'CallcenterQueueAbandonRateHigh', c.severities.abandonRateHigh,
            |||
              target_queue:callcenter_calls_abandoned_per_offered:ratio_rate30m > %(max)s
              %(guard)s
            ||| % { max: n(c.abandonRatio), guard: std.rstripChars(volumeGuard, '\n') },
            c.abandonRateHighFor,
            '{{ $value | humanizePercentage }} of the calls to queue {{ $labels.queue }} on {{ $labels.target }} are abandoned.',
            'Over the last 30 minutes {{ $value | humanizePercentage }} of the calls offered to queue {{ $labels.queue }} on {{ $labels.target }} were abandoned (limit %s, at least %s calls offered).' % [n(c.abandonRatio * 100) + '%', n(c.minOfferedCalls30m)],
          ),
          alert(
            'CallcenterQueueLongestWaitHigh', c.severities.longestWaitHigh,
            'callcenter_queue_longest_wait_seconds{%s} > %s\n' % [S, n(c.longestWaitSeconds)],
            c.longestWaitFor,
            'A caller in queue {{ $labels.queue }} on {{ $labels.target }} has waited {{ $value | humanizeDuration }}.',
            'The oldest call waiting in queue {{ $labels.queue }} on {{ $labels.target }} has waited {{ $value | humanizeDuration }} (limit %ss).' % n(c.longestWaitSeconds),
          ),
          alert(
            'CallcenterQueueNoAgentAvailable', c.severities.noAgentAvailable,
            |||
              callcenter_queue_calls_waiting{%(S)s} > 0
              and on (%(keep)s)
              (
                (
                  callcenter_queue_agents_available{%(S)s}
                  or
                  sum without (state) (callcenter_queue_agents{%(S)s, state="available"})
                ) == 0
              )
            ||| % { S: S, keep: keep },
            c.noAgentAvailableFor,
            '{{ $value }} calls wait in queue {{ $labels.queue }} on {{ $labels.target }} and no agent is available.',
            'Queue {{ $labels.queue }} on {{ $labels.target }} has had calls waiting and no available agent for %s.' % c.noAgentAvailableFor,
          ),
        ],
      },
      {
        name: 'callcenter-slo.alerts',
        rules: [
          local threshold = utils.burnThreshold(c, a);
          local factor = utils.burnFactor(c, a);
          alert(
            'CallcenterQueueServiceLevelBudgetBurn', a.severity,
            |||
              target_queue:callcenter_calls_not_answered_in_time_per_offered:ratio_rate%(long)s > %(t)s
              and on (%(keep)s)
              target_queue:callcenter_calls_not_answered_in_time_per_offered:ratio_rate%(short)s > %(t)s
              and on (%(keep)s)
              target_queue:callcenter_calls_offered:rate%(long)s * %(secs)s >= %(min)s
            ||| % {
              long: a.long,
              short: a.short,
              t: n(threshold),
              keep: keep,
              secs: n(utils.seconds(a.long)),
              min: n(a.minOfferedCalls),
            },
            a['for'],
            'Queue {{ $labels.queue }} on {{ $labels.target }} burns its service-level error budget at %sx or more over %s.' % [n(factor), a.long],
            '{{ $value | humanizePercentage }} of the calls offered to queue {{ $labels.queue }} on {{ $labels.target }} in the last %s were not answered within the threshold (and the short window of %s agrees): at least %s times the error budget of the %s service-level objective. At this pace the budget of %s days lasts %s hours.' % [
              a.long,
              a.short,
              n(factor),
              n(c.sloObjective * 100) + '%',
              n(c.sloPeriodDays),
              std.format('%.0f', c.sloPeriodDays * 24 / factor),
            ],
            { long_window: a.long, short_window: a.short },
          )
          for a in c.sloBurnAlerts
        ],
      },
    ],
  },
}
