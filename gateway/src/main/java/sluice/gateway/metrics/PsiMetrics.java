package sluice.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import sluice.gateway.psi.PsiProgress;

/**
 * PSI progress as metrics: {@code sluice_psi_sessions_active}, {@code
 * sluice_psi_sessions_total{result}} and {@code sluice_psi_elements_total} (the receiver's masked
 * elements relayed), so an operator sees sessions move and how fast.
 */
public final class PsiMetrics implements PsiProgress {
  private final AtomicLong active = new AtomicLong();
  private final Counter elements;
  private final Counter completed;
  private final Counter failed;

  public PsiMetrics(MeterRegistry registry) {
    Gauge.builder("sluice.psi.sessions.active", active, AtomicLong::get)
        .description("PSI sessions admitted and not yet ended").register(registry);
    elements = Counter.builder("sluice.psi.elements").description("Receivers' masked elements relayed")
        .register(registry);
    completed = Counter.builder("sluice.psi.sessions").tag("result", "completed")
        .description("PSI sessions ended, by result").register(registry);
    failed = Counter.builder("sluice.psi.sessions").tag("result", "failed")
        .description("PSI sessions ended, by result").register(registry);
  }

  @Override
  public void started() {
    active.incrementAndGet();
  }

  @Override
  public void elements(long n) {
    elements.increment(n);
  }

  @Override
  public void ended(boolean done) {
    active.decrementAndGet();
    (done ? completed : failed).increment();
  }
}
