package sluice.bench;

import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import sluice.catalog.grant.AccessRequest;
import sluice.catalog.grant.Grant;
import sluice.gateway.client.ConsumerClient;
import sluice.v1.Comparison;
import sluice.v1.Operator;
import sluice.v1.Predicate;
import sluice.v1.RequestContext;
import sluice.v1.Value;
import sluice.v1.VerifyRequest;

/**
 * How long a revocation at the hub takes to refuse calls at a gateway in another province:
 * approve a grant, wait until calls pass, revoke, and time until the consumer's gateway refuses.
 * The baseline is the hub's poll interval, measured in the same run as the ratio of each result
 * to it.
 *
 * <p>Usage: {@code ./sluice bench revocation [--rounds N] [--poll-ms P]}
 */
final class RevocationBench {
  private RevocationBench() {}

  static void run(String[] args) throws Exception {
    int rounds = 20;
    long pollMs = 200;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--poll-ms" -> pollMs = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = Files.createTempDirectory("sluice-revocation-bench");
    Path entry = Files.createTempFile("entry", ".yaml");
    try (var in = RevocationBench.class.getResourceAsStream("/bench/catalogue-entry.yaml")) {
      Files.write(entry, in.readAllBytes());
    }
    try (CatalogRig rig = new CatalogRig(work, entry, Duration.ofMillis(pollMs));
        ConsumerClient client = rig.consumer(Duration.ofSeconds(10))) {
      VerifyRequest q = VerifyRequest.newBuilder()
          .setContext(RequestContext.newBuilder().setPurposeCode("SOCIAL_ASSISTANCE_ELIGIBILITY").setCaseReference("BENCH"))
          .setResourceCode(rig.entry.resourceCode())
          .setSubjectKey(rig.subject)
          .setPredicate(Predicate.newBuilder().setComparison(Comparison.newBuilder().setField("enrolled")
              .setOp(Operator.EQ).addValues(Value.newBuilder().setBoolValue(true))))
          .build();
      List<Long> millis = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        AccessRequest req = rig.access.request(CatalogRig.CONSUMER, rig.entry.resourceCode(), List.of("enrolled"),
            List.of("SOCIAL_ASSISTANCE_ELIGIBILITY"), "bench", 1, 1000);
        Grant g = rig.access.approve(req.id(), "bench", "");
        until(client, q, true);
        long t0 = System.nanoTime();
        rig.access.revoke(g.id(), "bench");
        until(client, q, false);
        millis.add((System.nanoTime() - t0) / 1_000_000);
      }
      long[] s = millis.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf("revocation at the hub -> refusal at prov-11, %d rounds, hub poll interval %d ms%n", rounds, pollMs);
      System.out.printf("  p50 %d ms (%.2f x poll), p90 %d ms (%.2f x poll), max %d ms (%.2f x poll)%n",
          s[s.length / 2], s[s.length / 2] / (double) pollMs,
          s[(int) (s.length * 0.9)], s[(int) (s.length * 0.9)] / (double) pollMs,
          s[s.length - 1], s[s.length - 1] / (double) pollMs);
      System.out.println("  all: " + Arrays.toString(s));
    }
  }

  /** Asks until calls pass ({@code pass}) or are refused. */
  private static void until(ConsumerClient client, VerifyRequest q, boolean pass) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      boolean passed;
      try {
        client.verify(q);
        passed = true;
      } catch (StatusRuntimeException e) {
        passed = false;
      }
      if (passed == pass) {
        return;
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("calls never " + (pass ? "passed" : "were refused"));
  }
}
