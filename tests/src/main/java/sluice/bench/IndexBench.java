package sluice.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import sluice.crypto.Hex;
import sluice.gateway.audit.AuditIndex;
import sluice.v1.AuditEntry;
import sluice.v1.Decision;
import sluice.v1.GatewaySide;

/**
 * {@code sluice bench index}: the CPU an embedded (H2) audit index costs per entry at a gateway's
 * rate of entries, the part of the full path's cost that runs on the gateway's cores after the
 * answer is released. Entries are offered at {@code --rate} a second, the way a serving gateway's
 * log hands them over, until {@code --entries} are indexed; CPU is the whole process's.
 *
 * <p>Baseline in the same run: the same entries without subjects (every pseudonym empty), so
 * every index grows at its end; the difference is what indexing random subject pseudonyms costs.
 * Rounds alternate, each in a fresh database.
 */
final class IndexBench {
  private IndexBench() {}

  static void run(String[] args) throws Exception {
    int entries = 100_000;
    int rate = 3_000;
    int rounds = 3;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--entries" -> entries = Integer.parseInt(args[i + 1]);
        case "--rate" -> rate = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    SecureRandom random = new SecureRandom();
    List<byte[]> withSubjects = entries(entries, random, true);
    List<byte[]> without = entries(entries, random, false);
    System.out.printf("index bench: %,d entries a round at %,d/s, %d rounds, entry about %d bytes%n",
        entries, rate, rounds, withSubjects.get(0).length);
    Path work = Files.createTempDirectory("sluice-index-bench");
    try {
      feed(work, "warm-up (not counted)", withSubjects, rate);
      List<Double> subjects = new ArrayList<>();
      List<Double> baseline = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        baseline.add(feed(work, "no subjects (baseline)", without, rate));
        subjects.add(feed(work, "random subject pseudonyms", withSubjects, rate));
      }
      double s = PsiBench.median(subjects);
      double b = PsiBench.median(baseline);
      System.out.printf("median CPU per entry: %.1f µs with subjects, %.1f µs without: ratio %.2f%n", s, b, s / b);
    } finally {
      Bench.deleteTree(work);
    }
  }

  /** Feeds {@code entries} at {@code rate} a second to a fresh index; returns µs of CPU per entry. */
  private static double feed(Path work, String label, List<byte[]> entries, int rate) throws Exception {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (AuditIndex index = AuditIndex.h2(work.resolve(UUID.randomUUID().toString()), sluice.gateway.audit.LogName.of(sluice.crypto.NodeId.parse("prov-44")))) {
      long cpu = os.getProcessCpuTime();
      long start = System.nanoTime();
      for (int i = 0; i < entries.size(); i++) {
        index.entry(i, entries.get(i));
        if (i % 100 == 99) {
          long wait = start + (i + 1) * 1_000_000_000L / rate - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
      }
      if (!index.awaitIndexed(entries.size(), 600_000)) {
        throw new IllegalStateException("the index did not catch up in 10 minutes");
      }
      double perEntry = (os.getProcessCpuTime() - cpu) / 1e3 / entries.size();
      System.out.printf("  %-28s %6.1f µs CPU per entry, %5.1f s%n", label, perEntry, (System.nanoTime() - start) / 1e9);
      return perEntry;
    }
  }

  /** Entries like a provincial gateway's for Verify calls, one per second's worth of calls in time order. */
  private static List<byte[]> entries(int n, SecureRandom random, boolean subjects) {
    List<byte[]> out = new ArrayList<>(n);
    long t0 = System.currentTimeMillis() / 1000;
    for (int i = 0; i < n; i++) {
      byte[] digest = new byte[32];
      random.nextBytes(digest);
      out.add(AuditEntry.newBuilder()
          .setGatewayNodeId("prov-44").setOperation("Verify").setSide(GatewaySide.PROVIDER_SIDE)
          .setResourceCode("3-44-002-001-000001").setPurposeCode("SOCIAL_ASSISTANCE_ELIGIBILITY")
          .setCaseReference("case-" + i).setRequestId(UUID.randomUUID().toString())
          .setConsumerNodeId(i % 4 == 0 ? "prov-11/dept-ca" : "prov-44/dept-ca").setProviderNodeId("prov-44/dept-hrss")
          .setSubjectPseudonym(subjects ? Hex.encode(digest) : "")
          .setTime(Timestamp.newBuilder().setSeconds(t0 + i / 3000).setNanos(i % 3000 * 300_000))
          .setDecision(Decision.PERMIT).setStatus("OK").setGrantId("g-0001")
          .setAnswerDigest(ByteString.copyFrom(digest)).setLatencyMicros(900 + i % 500)
          .setCatalogVersion(17).setResourceVersion(3)
          .build().toByteArray());
    }
    return out;
  }
}
