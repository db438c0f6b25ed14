package sluice.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import sluice.crypto.NodeId;
import sluice.v1.VerifyServiceGrpc;

/**
 * {@code sluice bench soak}: the federation under steady load for a long while (issue 8). Verify
 * and Query, same province and across provinces in turn, every check and durable audit on; after
 * warm-up its saturation is measured closed-loop, then it is held open-loop at 80 % of that for
 * the run, in slices of {@value #SLICE_SECONDS} s. After each slice the heap is collected and
 * its live size noted: the first slice is warm-up, and from there the live heap may not grow by
 * more than {@value #SLACK_MB} MB ({@link Report#growth}). The audit logs' Merkle trees spill
 * their hashes to files, so they do not grow the heap.
 *
 * <p>Usage: {@code ./sluice bench soak [--seconds S]} (default 600); {@code SoakTest} runs it for
 * 60 s in every {@code mvn -B verify}.
 */
public final class Soak {
  static final int SLICE_SECONDS = 10;
  static final double LOAD = 0.8;
  /** Live heap growth allowed after warm-up: what collections leave behind at random. */
  static final long SLACK_MB = 16;

  private Soak() {}

  /** What a soak run measured. */
  public record Report(
      double saturation, double offered, long calls, long errors, List<Long> heapAfterSlices, long entries,
      double p50, double p99, double p999) {
    /**
     * Live heap growth after warm-up, bytes: the least live heap over the last third of the
     * slices, less the live heap after the first. A leak raises every late sample; what a
     * collection happens to leave behind raises single ones, which this does not count.
     */
    public long growth() {
      int n = heapAfterSlices.size();
      List<Long> late = heapAfterSlices.subList(n - Math.max(1, (n - 1) / 3), n);
      return late.stream().mapToLong(Long::longValue).min().orElseThrow() - heapAfterSlices.get(0);
    }

    /** Whether the live heap grew by more than the slack. */
    public boolean heapGrew() {
      return growth() > SLACK_MB * 1024 * 1024;
    }
  }

  static void run(String[] args) throws Exception {
    int seconds = 600;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = Files.createTempDirectory("sluice-soak");
    try {
      Report r = soak(work, seconds, System.out);
      if (r.errors() > 0 || r.heapGrew()) {
        System.exit(1);
      }
    } finally {
      Bench.deleteTree(work);
    }
  }

  /** Soaks a fresh federation in {@code work} for {@code seconds} (at least two slices), reporting to {@code out}. */
  public static Report soak(Path work, int seconds, PrintStream out) throws Exception {
    int slices = Math.max(2, seconds / SLICE_SECONDS);
    try (LoadRig load = new LoadRig(work)) {
      CatalogRig rig = load.rig;
      rig.providerTap.pause();
      List<VerifyServiceGrpc.VerifyServiceStub> paths =
          List.of(VerifyServiceGrpc.newStub(load.toGd), VerifyServiceGrpc.newStub(load.toBj));
      GatewayBench.awaitGrants(rig, paths, load.subjects.get(0));
      AtomicLong turn = new AtomicLong();
      Bench.AsyncCall mixed = (subject, done) -> {
        long t = turn.getAndIncrement();
        VerifyServiceGrpc.VerifyServiceStub stub = paths.get((int) (t >> 1) & 1).withDeadlineAfter(10, TimeUnit.SECONDS);
        if ((t & 1) == 0) {
          stub.verify(QueryBench.verifyRequest(rig, subject), Bench.forward(done));
        } else {
          stub.query(QueryBench.queryRequest(rig, subject), Bench.forward(done));
        }
      };
      out.printf("Soak: %d s at %.0f %% of saturation, %d cores; Verify and Query, same province and across%n",
          slices * SLICE_SECONDS, LOAD * 100, Runtime.getRuntime().availableProcessors());
      long errors = 0;
      // Warm-up until the rate stops rising (within 5 %, at most 6 passes), then saturation.
      double settled = 0;
      for (int w = 0; w < 6; w++) {
        Bench.Result r = Bench.run("warm-up", mixed, load.subjects, 5, 32);
        errors += r.errors();
        if (w > 0 && r.rate() < settled * 1.05) {
          break;
        }
        settled = r.rate();
      }
      Bench.Result saturated = Bench.run("saturation", mixed, load.subjects, 5, 32);
      errors += saturated.errors();
      double offered = LOAD * saturated.rate();

      List<Long> heap = new ArrayList<>();
      // Latencies after the first slice, in a histogram of fixed size (the slices' arrays would
      // grow the heap this run watches).
      org.HdrHistogram.Histogram latencies = new org.HdrHistogram.Histogram(3);
      long entriesAtBaseline = 0;
      for (int s = 0; s < slices; s++) {
        Bench.Result r = OpenLoop.run("slice " + (s + 1) + "/" + slices, mixed, load.subjects, offered, SLICE_SECONDS);
        if (s > 0) {
          for (long l : r.latencies()) {
            latencies.recordValue(l);
          }
        }
        errors += r.errors();
        long live = liveHeap();
        out.printf("    live heap after slice %d: %.1f MB, audit entries %,d%n", s + 1, live / 1e6, entries(rig));
        if (s == 0) {
          entriesAtBaseline = entries(rig);
        }
        heap.add(live);
      }
      Report report = new Report(saturated.rate(), offered, latencies.getTotalCount(), errors, List.copyOf(heap),
          entries(rig) - entriesAtBaseline, latencies.getValueAtPercentile(50) / 1e6,
          latencies.getValueAtPercentile(99) / 1e6, latencies.getValueAtPercentile(99.9) / 1e6);
      out.printf("saturation %.0f calls/s; held %.0f calls/s for %d s after the first slice: %,d calls, %d errors in the"
              + " whole run; p50 %.2f ms, p99 %.2f ms, p999 %.2f ms%n",
          report.saturation(), offered, (slices - 1) * SLICE_SECONDS, report.calls(), report.errors(), report.p50(),
          report.p99(), report.p999());
      out.printf("live heap after warm-up %.1f MB, at the end %.1f MB; growth (least of the last third of the slices,"
              + " less the first) %+.1f MB over %,d more audit entries; %s%n",
          heap.get(0) / 1e6, heap.get(heap.size() - 1) / 1e6, report.growth() / 1e6, report.entries(),
          report.heapGrew() ? "GREW by more than " + SLACK_MB + " MB" : "no growth beyond " + SLACK_MB + " MB");
      return report;
    }
  }

  private static long entries(CatalogRig rig) {
    long n = 0;
    for (NodeId g : List.of(NodeId.NATIONAL, CatalogRig.BJ, CatalogRig.GD)) {
      n += rig.gateway(g).auditLog().size();
    }
    return n;
  }

  /** The heap in use after full collections (two, so that what the first freed is gone). */
  static long liveHeap() {
    for (int i = 0; i < 2; i++) {
      ManagementFactory.getMemoryMXBean().gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
