package sluice.gateway.metrics;

import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import sluice.crypto.NodeId;

/**
 * One node's metrics: a registry of its own (no global one), tagged with the node's id, holding
 * the JVM's figures, every call the node served (by method and status) and whatever the node's
 * parts add (the audit log, the catalogue snapshot). {@link #scrape} writes them in Prometheus'
 * text format; {@link MetricsEndpoint} serves that over HTTP.
 *
 * <p>No label carries a citizen's data or a caller's free text: methods, status codes, refusal
 * reasons and node ids only.
 */
public final class NodeMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public NodeMetrics(NodeId node) {
    registry.config().commonTags("node", node.toString());
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /** Where the node's parts register what they measure. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Counts and times every call the node serves; install it outermost, so refusals count too. */
  public ServerInterceptor calls() {
    return new CallMetrics(registry);
  }

  /** Every metric, in Prometheus' text exposition format (0.0.4). */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
