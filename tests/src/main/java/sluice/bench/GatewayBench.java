package sluice.bench;

import io.grpc.ManagedChannel;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import sluice.crypto.NodeId;
import sluice.crypto.pki.TlsContexts;
import sluice.gateway.audit.AuditLog;
import sluice.v1.AuditEntry;
import sluice.v1.VerifyServiceGrpc;

/**
 * {@code sluice bench gateway}: what a gateway with every check on costs against a bare gRPC hop,
 * in one run on one machine. Four paths to the same department, the same subjects, the same
 * calls:
 *
 * <ul>
 *   <li><b>direct</b>: client to the department node (mutual TLS, presenting the gateway's
 *       certificate, as only the gateway may call a department);
 *   <li><b>bare proxy</b>: client to a pass-through grpc-java proxy ({@link BareProxy}: raw
 *       bytes, no parsing, no checks) to the department;
 *   <li><b>full</b>: consumer department to its provincial gateway, which checks the catalogue
 *       snapshot, the grant, purpose and quota, orders the masks, audits durably and forwards;
 *   <li><b>cross-province</b>: consumer gateway to the hub to the provider's gateway to the
 *       department, each gateway auditing.
 * </ul>
 *
 * <p>Saturation is measured closed-loop, after warm-up passes until the full path's rate settles,
 * paths alternating round by round so that noise on this shared machine falls on all of them;
 * medians are compared. Latency is then measured open-loop
 * at half the full path's saturation, the same offered load on every same-province path.
 * Finally the provider gateway's audit log is loaded with extra entries while the gateway
 * serves that half load, to measure what the log still absorbs beside the gateway's work.
 *
 * <p>Usage: {@code ./sluice bench gateway [--seconds S] [--concurrency C] [--rounds R]}
 */
final class GatewayBench {
  private GatewayBench() {}

  static void run(String[] args) throws Exception {
    int seconds = 5;
    int concurrency = 32;
    int rounds = 3;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = Files.createTempDirectory("sluice-gateway-bench");
    try (LoadRig load = new LoadRig(work)) {
      CatalogRig rig = load.rig;
      List<String> subjects = load.subjects;
      try (BareProxy proxy = BareProxy.start(rig.transport, new InetSocketAddress("127.0.0.1", 0),
          TlsContexts.server(rig.credentials(CatalogRig.GD)), load.toDepartment)) {
        ManagedChannel toProxy = rig.transport.channelBuilder(new InetSocketAddress("127.0.0.1", proxy.port()),
            TlsContexts.client(rig.credentials(LoadRig.LOCAL_CONSUMER), CatalogRig.GD)).build();
        Map<String, VerifyServiceGrpc.VerifyServiceStub> paths = new LinkedHashMap<>();
        paths.put("direct", load.asGateway(load.toDepartment));
        paths.put("bare proxy", load.asGateway(toProxy));
        paths.put("full (prov-44)", VerifyServiceGrpc.newStub(load.toGd));
        paths.put("full, cross-province", VerifyServiceGrpc.newStub(load.toBj));
        awaitGrants(rig, paths.values(), subjects.get(0));

        System.out.printf("Gateway bench: %d s per run, %d calls in flight, %d rounds, %d cores%n",
            seconds, concurrency, rounds, Runtime.getRuntime().availableProcessors());
        // Warm-up passes until the full path's throughput stops rising (within 5 % of the pass
        // before; at most 8): with every node in one JVM on two cores, the JIT compiles the
        // gateway's paths (H2 among them) for minutes, and the full path gains 30-50 % meanwhile.
        double settled = 0;
        for (int w = 0; w < 8; w++) {
          double full = 0;
          for (var p : paths.entrySet()) {
            double rate = Bench.run("warm-up " + p.getKey(), verify(p.getValue(), rig), subjects, seconds, concurrency).rate();
            Bench.run("warm-up query " + p.getKey(), query(p.getValue(), rig), subjects, seconds, concurrency);
            if (p.getKey().equals("full (prov-44)")) {
              full = rate;
            }
          }
          if (w > 0 && full < settled * 1.05) {
            break;
          }
          settled = full;
        }
        Map<String, List<Bench.Result>> verifies = new LinkedHashMap<>();
        Map<String, List<Bench.Result>> queries = new LinkedHashMap<>();
        AuditLog gdLog = rig.gateway(CatalogRig.GD).auditLog();
        Map<String, Double> entriesPerCall = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
          for (var p : paths.entrySet()) {
            long before = totalEntries(rig);
            Bench.Result v = Bench.run(p.getKey(), verify(p.getValue(), rig), subjects, seconds, concurrency);
            entriesPerCall.put(p.getKey(), (totalEntries(rig) - before) / (double) Math.max(1, v.latencies().length));
            verifies.computeIfAbsent(p.getKey(), k -> new ArrayList<>()).add(v);
            queries.computeIfAbsent(p.getKey(), k -> new ArrayList<>())
                .add(Bench.run("query " + p.getKey(), query(p.getValue(), rig), subjects, seconds, concurrency));
          }
        }
        Map<String, Double> verifyRate = medians(verifies);
        Map<String, Double> queryRate = medians(queries);
        double half = verifyRate.get("full (prov-44)") / 2;
        double halfCross = verifyRate.get("full, cross-province") / 2;
        Map<String, Bench.Result> latency = new LinkedHashMap<>();
        org.HdrHistogram.Histogram fsyncs = new org.HdrHistogram.Histogram(3);
        for (int r = -1; r < 2; r++) {
          for (var p : paths.entrySet()) {
            double rate = p.getKey().contains("cross") ? halfCross : half;
            gdLog.fsyncMicros();
            Bench.Result l = OpenLoop.run((r < 0 ? "warm-up " : "") + p.getKey(), verify(p.getValue(), rig), subjects,
                rate, seconds);
            if (r >= 0) {
              latency.merge(p.getKey(), l, (a, b) -> Bench.Result.merge(List.of(a, b)));
              if (p.getKey().equals("full (prov-44)")) {
                fsyncs.add(gdLog.fsyncMicros());
              }
            }
          }
        }

        // The provider gateway's log, loaded beside the gateway serving half its saturation.
        AtomicReference<Bench.Result> during = new AtomicReference<>();
        VerifyServiceGrpc.VerifyServiceStub full = paths.get("full (prov-44)");
        int loadSeconds = seconds;
        Thread serving = new Thread(() -> {
          try {
            during.set(OpenLoop.run("full (prov-44), log loaded", verify(full, rig), subjects, half, loadSeconds + 1));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        AuditEntry extra = AuditBench.sample();
        long logBefore = gdLog.size();
        long t0 = System.nanoTime();
        serving.start();
        double extraRate = AuditBench.throughput("extra entries into prov-44's log", seconds + 1, i -> gdLog.append(extra));
        serving.join();
        double logRate = (gdLog.size() - logBefore) / ((System.nanoTime() - t0) / 1e9);

        System.out.println();
        System.out.printf("| path | Verify calls/s | Query calls/s | audit entries per call | Verify p50 / p99 / p999 ms at %.0f calls/s |%n", half);
        System.out.println("| --- | --- | --- | --- | --- |");
        for (String p : paths.keySet()) {
          Bench.Result l = latency.get(p);
          System.out.printf("| %s | %.0f | %.0f | %.1f | %.2f / %.2f / %.2f%s |%n", p, verifyRate.get(p), queryRate.get(p),
              entriesPerCall.get(p), l.p(0.5), l.p(0.99), l.p(0.999),
              p.contains("cross") ? String.format(" (at %.0f calls/s)", halfCross) : "");
        }
        double proxyRate = verifyRate.get("bare proxy");
        Bench.Result proxyLatency = latency.get("bare proxy");
        Bench.Result fullLatency = latency.get("full (prov-44)");
        System.out.printf("%nfull / bare proxy throughput: Verify %.2f, Query %.2f%n",
            verifyRate.get("full (prov-44)") / proxyRate, queryRate.get("full (prov-44)") / queryRate.get("bare proxy"));
        System.out.printf("full / direct throughput: Verify %.2f, Query %.2f%n",
            verifyRate.get("full (prov-44)") / verifyRate.get("direct"), queryRate.get("full (prov-44)") / queryRate.get("direct"));
        System.out.printf("cross-province / bare proxy throughput: Verify %.2f%n", verifyRate.get("full, cross-province") / proxyRate);
        System.out.printf("added latency, full over bare proxy at %.0f calls/s: p50 %+.2f ms, p99 %+.2f ms, p999 %+.2f ms%n",
            half, fullLatency.p(0.5) - proxyLatency.p(0.5), fullLatency.p(0.99) - proxyLatency.p(0.99),
            fullLatency.p(0.999) - proxyLatency.p(0.999));
        System.out.printf("prov-44's audit log fsyncs meanwhile (%d): p50 %.2f ms, p99 %.2f ms, p999 %.2f ms%n",
            fsyncs.getTotalCount(), fsyncs.getValueAtPercentile(50) / 1e3, fsyncs.getValueAtPercentile(99) / 1e3,
            fsyncs.getValueAtPercentile(99.9) / 1e3);
        Bench.Result loaded = during.get();
        System.out.printf("prov-44's audit log beside the gateway at %.0f calls/s: %,.0f durable entries/s in all "
                + "(%,.0f extra); the gateway's calls meanwhile p50 %.2f ms, p99 %.2f ms, errors %d%n",
            half, logRate, extraRate, loaded.p(0.5), loaded.p(0.99), loaded.errors());
        toProxy.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } finally {
      Bench.deleteTree(work);
    }
  }

  private static Bench.AsyncCall verify(VerifyServiceGrpc.VerifyServiceStub stub, CatalogRig rig) {
    return (subject, done) -> stub.withDeadlineAfter(10, TimeUnit.SECONDS)
        .verify(QueryBench.verifyRequest(rig, subject), Bench.forward(done));
  }

  private static Bench.AsyncCall query(VerifyServiceGrpc.VerifyServiceStub stub, CatalogRig rig) {
    return (subject, done) -> stub.withDeadlineAfter(10, TimeUnit.SECONDS)
        .query(QueryBench.queryRequest(rig, subject), Bench.forward(done));
  }

  /** Waits until both gateways hold the snapshot with the grants, and every path answers. */
  static void awaitGrants(CatalogRig rig, Iterable<VerifyServiceGrpc.VerifyServiceStub> stubs, String subject)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (VerifyServiceGrpc.VerifyServiceStub stub : stubs) {
      while (!answers(query(stub, rig), subject) || !answers(verify(stub, rig), subject)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("a path still refuses the bench's calls after 30 s");
        }
        Thread.sleep(50);
      }
    }
  }

  private static boolean answers(Bench.AsyncCall call, String subject) throws Exception {
    CompletableFuture<Boolean> ok = new CompletableFuture<>();
    call.start(subject, new io.grpc.stub.StreamObserver<>() {
      @Override
      public void onNext(Object value) {}

      @Override
      public void onError(Throwable t) {
        ok.complete(false);
      }

      @Override
      public void onCompleted() {
        ok.complete(true);
      }
    });
    return ok.get(15, TimeUnit.SECONDS);
  }

  private static long totalEntries(CatalogRig rig) {
    return rig.gateway(NodeId.NATIONAL).auditLog().size() + rig.gateway(CatalogRig.BJ).auditLog().size()
        + rig.gateway(CatalogRig.GD).auditLog().size();
  }

  private static Map<String, Double> medians(Map<String, List<Bench.Result>> results) {
    Map<String, Double> out = new LinkedHashMap<>();
    results.forEach((k, v) -> out.put(k, AuditBench.median(v.stream().mapToDouble(Bench.Result::rate).toArray())));
    return out;
  }
}
