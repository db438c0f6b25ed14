package sluice.bench;

import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import sluice.catalog.grant.AccessRequest;
import sluice.catalog.grant.Grant;
import sluice.gateway.NodeAddresses;
import sluice.gateway.NodeChannels;
import sluice.gateway.client.ConsumerClient;
import sluice.v1.CatalogServiceGrpc;
import sluice.v1.Comparison;
import sluice.v1.Operator;
import sluice.v1.Predicate;
import sluice.v1.RequestContext;
import sluice.v1.RevokeGrantRequest;
import sluice.v1.Value;
import sluice.v1.VerifyRequest;

/**
 * How long a revocation takes to refuse calls at a gateway in another province: approve a grant,
 * wait until calls pass, revoke, and time until the consumer's gateway (prov-11) refuses. Two
 * ways to revoke: the provider's steward through CatalogService at prov-44 (the hub publishes
 * at once), and the hub's operator in the hub's database (published at the next poll). The
 * baseline, measured in the same run, is one cross-province Verify.
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
      List<Long> verifyMicros = new ArrayList<>();
      List<Long> viaGateway = new ArrayList<>();
      List<Long> viaDatabase = new ArrayList<>();
      try (NodeChannels asProvider = new NodeChannels(
          rig.credentials(CatalogRig.PROVIDER), NodeAddresses.single(rig.layout.addresses()), rig.transport)) {
        CatalogServiceGrpc.CatalogServiceBlockingStub steward =
            CatalogServiceGrpc.newBlockingStub(asProvider.to(CatalogRig.GD));
        for (int r = 0; r < rounds; r++) {
          // The steward at prov-44 revokes through CatalogService; the hub publishes at once.
          AccessRequest req = rig.access.request(CatalogRig.CONSUMER, rig.entry.resourceCode(), List.of("enrolled"),
              List.of("SOCIAL_ASSISTANCE_ELIGIBILITY"), "bench", 1, 1000);
          Grant g = rig.access.approve(req.id(), "bench", "");
          until(client, q, true);
          for (int i = 0; i < 20; i++) {
            long v0 = System.nanoTime();
            client.verify(q);
            verifyMicros.add((System.nanoTime() - v0) / 1_000);
          }
          long t0 = System.nanoTime();
          steward.withDeadlineAfter(10, TimeUnit.SECONDS)
              .revokeGrant(RevokeGrantRequest.newBuilder().setGrantId(g.id()).setReason("bench").build());
          until(client, q, false);
          viaGateway.add((System.nanoTime() - t0) / 1_000);

          // The hub's operator revokes in the database: the hub notices at its next poll.
          req = rig.access.request(CatalogRig.CONSUMER, rig.entry.resourceCode(), List.of("enrolled"),
              List.of("SOCIAL_ASSISTANCE_ELIGIBILITY"), "bench", 1, 1000);
          g = rig.access.approve(req.id(), "bench", "");
          until(client, q, true);
          t0 = System.nanoTime();
          rig.access.revoke(g.id(), "bench");
          until(client, q, false);
          viaDatabase.add((System.nanoTime() - t0) / 1_000);
        }
      }
      long verifyP50 = sorted(verifyMicros)[verifyMicros.size() / 2];
      System.out.printf("revocation -> refusal at prov-11 (another province), %d rounds each%n", rounds);
      System.out.printf("  baseline: one cross-province Verify, p50 %.2f ms (%d calls)%n", verifyP50 / 1e3, verifyMicros.size());
      report("via CatalogService at prov-44 (steward)", viaGateway, verifyP50);
      report("in the hub's database (operator; hub polls every " + pollMs + " ms)", viaDatabase, verifyP50);
    }
  }

  private static long[] sorted(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  private static void report(String what, List<Long> micros, long baselineMicros) {
    long[] s = sorted(micros);
    long p50 = s[s.length / 2];
    long p90 = s[(int) (s.length * 0.9)];
    long max = s[s.length - 1];
    System.out.printf("  %s: p50 %.1f ms (%.1f x Verify), p90 %.1f ms, max %.1f ms (%.1f x Verify)%n",
        what, p50 / 1e3, p50 / (double) baselineMicros, p90 / 1e3, max / 1e3, max / (double) baselineMicros);
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
