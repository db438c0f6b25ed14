package sluice.bench;

import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import sluice.catalog.entry.Mask;
import sluice.catalog.grant.AccessRequest;
import sluice.crypto.pki.TlsContexts;
import sluice.v1.Comparison;
import sluice.v1.Operator;
import sluice.v1.Predicate;
import sluice.v1.QueryRequest;
import sluice.v1.RequestContext;
import sluice.v1.Value;
import sluice.v1.VerifyRequest;
import sluice.v1.VerifyServiceGrpc;

/**
 * Query against Verify through the full cross-province path with every check on (prov-11 >
 * national > prov-44 > department, catalogue enforced at both gateways): the same subjects, the
 * same closed loop, in the same run. Query reads three fields (a keyed pseudonym, a masked name,
 * a clear flag), so the difference is the masking and the larger receipt.
 *
 * <p>Usage: {@code ./sluice bench query [--seconds S] [--concurrency C] [--rounds R]}
 */
final class QueryBench {
  private QueryBench() {}

  static void run(String[] args) throws Exception {
    int seconds = 10;
    int concurrency = 32;
    int rounds = 2;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = Files.createTempDirectory("sluice-query-bench");
    Path entry = Files.createTempFile("entry", ".yaml");
    try (var in = QueryBench.class.getResourceAsStream("/bench/catalogue-entry.yaml")) {
      Files.write(entry, in.readAllBytes());
    }
    try (CatalogRig rig = new CatalogRig(work, entry, Duration.ofMillis(200))) {
      AccessRequest req = rig.access.request(CatalogRig.CONSUMER, rig.entry.resourceCode(),
          List.of("id_number", "name", "enrolled"), List.of("SOCIAL_ASSISTANCE_ELIGIBILITY"), "bench", 30, 100_000,
          true, Map.of("id_number", Mask.PSEUDONYM));
      rig.access.approve(req.id(), "bench", "");
      List<String> subjects = rig.layout.data().resource(rig.entry.resourceCode()).orElseThrow().sampleKeys();
      ManagedChannel channel =
          rig.transport
              .channelBuilder(
                  rig.layout.addresses().get(CatalogRig.BJ),
                  TlsContexts.client(rig.credentials(CatalogRig.CONSUMER), CatalogRig.BJ))
              .build();
      VerifyServiceGrpc.VerifyServiceStub stub = VerifyServiceGrpc.newStub(channel);
      Bench.AsyncCall verify =
          (subject, done) -> stub.withDeadlineAfter(10, TimeUnit.SECONDS).verify(verifyRequest(rig, subject), Bench.forward(done));
      Bench.AsyncCall query =
          (subject, done) -> stub.withDeadlineAfter(10, TimeUnit.SECONDS).query(queryRequest(rig, subject), Bench.forward(done));
      awaitGrant(stub, rig, subjects.get(0));
      System.out.printf("Verify vs Query, %s -> %s across provinces, %d s per run, %d in flight, %d rounds%n",
          CatalogRig.CONSUMER, CatalogRig.PROVIDER, seconds, concurrency, rounds);
      Bench.run("warm-up verify", verify, subjects, seconds, concurrency);
      Bench.run("warm-up query", query, subjects, seconds, concurrency);
      List<Bench.Result> v = new ArrayList<>();
      List<Bench.Result> q = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        v.add(Bench.run("verify", verify, subjects, seconds, concurrency));
        q.add(Bench.run("query", query, subjects, seconds, concurrency));
      }
      Bench.Result verifyAll = Bench.Result.merge(v);
      Bench.Result queryAll = Bench.Result.merge(q);
      System.out.println();
      System.out.println("| call | in flight | calls/s | p50 ms | p99 ms |");
      System.out.println("| --- | --- | --- | --- | --- |");
      System.out.println(verifyAll.row());
      System.out.println(queryAll.row());
      System.out.printf("%nratio Query / Verify throughput: %.2f (errors: verify %d, query %d)%n",
          queryAll.rate() / verifyAll.rate(), verifyAll.errors(), queryAll.errors());
      channel.shutdownNow();
    } finally {
      Bench.deleteTree(work);
    }
  }

  /** Waits until both gateways hold the snapshot with the Query grant. */
  private static void awaitGrant(VerifyServiceGrpc.VerifyServiceStub stub, CatalogRig rig, String subject)
      throws InterruptedException {
    VerifyServiceGrpc.VerifyServiceBlockingStub blocking =
        VerifyServiceGrpc.newBlockingStub(stub.getChannel()).withDeadlineAfter(30, TimeUnit.SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        blocking.query(queryRequest(rig, subject));
        return;
      } catch (io.grpc.StatusRuntimeException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  static QueryRequest queryRequest(CatalogRig rig, String subject) {
    return QueryRequest.newBuilder()
        .setContext(RequestContext.newBuilder().setPurposeCode("SOCIAL_ASSISTANCE_ELIGIBILITY").setCaseReference("BENCH"))
        .setResourceCode(rig.entry.resourceCode())
        .setSubjectKey(subject)
        .addFields("id_number")
        .addFields("name")
        .addFields("enrolled")
        .build();
  }

  static VerifyRequest verifyRequest(CatalogRig rig, String subject) {
    return VerifyRequest.newBuilder()
        .setContext(RequestContext.newBuilder().setPurposeCode("SOCIAL_ASSISTANCE_ELIGIBILITY").setCaseReference("BENCH"))
        .setResourceCode(rig.entry.resourceCode())
        .setSubjectKey(subject)
        .setPredicate(Predicate.newBuilder().setComparison(Comparison.newBuilder().setField("enrolled")
            .setOp(Operator.EQ).addValues(Value.newBuilder().setBoolValue(true))))
        .build();
  }
}
