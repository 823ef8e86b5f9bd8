// callcenter_exporter monitoring mixin: recording rules, alerts and dashboards for the
// contact-center KPIs of docs/kpis.md, in the monitoring-mixins layout:
//
//   prometheusRules::    recording rules  (rules.libsonnet)   -> callcenter_rules.yml
//   prometheusAlerts::   alerting rules   (alerts.libsonnet)  -> callcenter_alerts.yml
//   grafanaDashboards::  dashboards       (dashboards.libsonnet, the JSON files in dashboards/)
//   _config::            selectors, thresholds, durations, severities (config.libsonnet)
//
// The rendered YAML is committed beside this file; ./render.sh rewrites it after a change, and
// tests/deploy/check_prometheus_files.sh fails when it is stale.
(import 'config.libsonnet') +
(import 'rules.libsonnet') +
(import 'alerts.libsonnet') +
(import 'dashboards.libsonnet')
