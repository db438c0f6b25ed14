package sluice.bench;

import io.grpc.stub.StreamObserver;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop load: calls start on a fixed schedule, whether or not earlier ones have finished, and
 * each call's latency counts from when it was due, not from when it was sent, so a stall shows in
 * the latencies of every call it delayed (no coordinated omission).
 */
final class OpenLoop {
  private OpenLoop() {}

  /** At most this many calls in flight; a call due beyond it waits, and its wait counts. */
  static final int MAX_IN_FLIGHT = 2048;

  /** {@code rate} calls a second for {@code seconds}; the result's rate is what completed. */
  static Bench.Result run(String name, Bench.AsyncCall call, List<String> subjects, double rate, int seconds)
      throws InterruptedException {
    int total = (int) (rate * seconds);
    long gap = (long) (1e9 / rate);
    long[] latencies = new long[total];
    AtomicInteger completed = new AtomicInteger();
    AtomicLong errors = new AtomicLong();
    Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
    CountDownLatch done = new CountDownLatch(total);
    long cpu0 = Bench.processCpuNanos();
    long sys0 = Bench.processSystemCpuNanos();
    long start = System.nanoTime();
    for (int i = 0; i < total; i++) {
      long due = start + i * gap;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      slots.acquire();
      call.start(
          subjects.get(i % subjects.size()),
          new StreamObserver<Object>() {
            @Override
            public void onNext(Object value) {}

            @Override
            public void onError(Throwable t) {
              errors.incrementAndGet();
              slots.release();
              done.countDown();
            }

            @Override
            public void onCompleted() {
              latencies[completed.getAndIncrement()] = System.nanoTime() - due;
              slots.release();
              done.countDown();
            }
          });
    }
    if (!done.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + ": calls still in flight 30 s after the last was sent");
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    Bench.Result r = new Bench.Result(name, 0, Arrays.copyOf(latencies, completed.get()), elapsed, errors.get(),
        (Bench.processCpuNanos() - cpu0) / 1e9);
    System.out.printf("  %-34s at %6.0f calls/s: p50 %.2f ms  p99 %.2f ms  p999 %.2f ms  errors %d  CPU %3.0f%% (kernel %.0f%%)%n",
        name, rate, r.p(0.5), r.p(0.99), r.p(0.999), r.errors(), 100 * r.busy(),
        100 * (Bench.processSystemCpuNanos() - sys0) / 1e9 / (elapsed * Runtime.getRuntime().availableProcessors()));
    return r;
  }
}
