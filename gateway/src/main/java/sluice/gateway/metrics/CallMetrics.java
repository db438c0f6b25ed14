package sluice.gateway.metrics;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every call a node serves, as it ends: {@code sluice_calls_total{method, code}}, its duration
 * ({@code sluice_call_duration_seconds{method}}, a histogram) and, when it was refused, {@code
 * sluice_refusals_total{method, reason}}, the reason being the refusal's stable reason code (its
 * google.rpc.ErrorInfo) or else its status code.
 */
final class CallMetrics implements ServerInterceptor {
  private final MeterRegistry registry;
  /** Meters by method (and code), built once: every call passes here. */
  private final Map<String, Timer> durations = new ConcurrentHashMap<>();
  private final Map<String, Counter> calls = new ConcurrentHashMap<>();

  CallMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    long start = System.nanoTime();
    String method = call.getMethodDescriptor().getFullMethodName();
    return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        record(method, status, trailers, System.nanoTime() - start);
        super.close(status, trailers);
      }
    }, headers);
  }

  private void record(String method, Status status, Metadata trailers, long nanos) {
    String code = status.getCode().name();
    calls.computeIfAbsent(method + " " + code, k -> Counter.builder("sluice.calls")
        .description("Calls served, by method and status code").tags("method", method, "code", code)
        .register(registry)).increment();
    durations.computeIfAbsent(method, k -> Timer.builder("sluice.call.duration")
        .description("Time from a call's start to its status, by method").tags("method", method)
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30)).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    if (!status.isOk()) {
      Counter.builder("sluice.refusals").description("Calls refused or failed, by method and reason")
          .tags("method", method, "reason", RefusalReasons.of(status, trailers)).register(registry).increment();
    }
  }
}
