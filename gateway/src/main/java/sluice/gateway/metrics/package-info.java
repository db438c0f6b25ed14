/** A node's metrics, in Prometheus' text format: calls, refusals, the audit log, the catalogue. */
package sluice.gateway.metrics;
