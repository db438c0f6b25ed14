package sluice.bench;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import sluice.crypto.NodeId;
import sluice.crypto.Province;
import sluice.crypto.pki.NodeCredentials;
import sluice.crypto.pki.TlsContexts;
import sluice.gateway.SluiceHeaders;
import sluice.gateway.Transport;
import sluice.nodes.run.FederationSetup;
import sluice.nodes.run.LocalFederation;
import sluice.v1.Comparison;
import sluice.v1.Operator;
import sluice.v1.Predicate;
import sluice.v1.RequestContext;
import sluice.v1.Value;
import sluice.v1.VerifyRequest;
import sluice.v1.VerifyServiceGrpc;

/**
 * Load harness for Verify, same province: the consumer's calls through its provincial gateway
 * against the same calls made straight to the department node, in one run, alternating rounds
 * so that machine noise falls on both paths alike.
 *
 * <p>Usage: {@code ./sluice bench verify [--seconds S] [--concurrency C] [--rounds R]}. Both
 * paths are warmed up twice for S seconds before the measured rounds.
 */
public final class Bench {
  static final NodeId CONSUMER = NodeId.parse("prov-44/dept-ca");
  static final NodeId GATEWAY = NodeId.parse("prov-44");
  static final NodeId PROVIDER = NodeId.parse("prov-44/dept-hrss");
  static final String RESOURCE = "3-44-002-001-000001";

  private Bench() {}

  public static void main(String[] args) throws Exception {
    int seconds = 10;
    int concurrency = 32;
    int rounds = 2;
    if (args.length > 0 && (args[0].equals("policy") || args[0].equals("mask"))) {
      String[] jmh = new String[args.length];
      jmh[0] = (args[0].equals("policy") ? PolicyBench.class : MaskBench.class).getSimpleName();
      System.arraycopy(args, 1, jmh, 1, args.length - 1);
      org.openjdk.jmh.Main.main(jmh);
      return;
    }
    if (args.length > 0 && args[0].equals("query")) {
      QueryBench.run(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("audit")) {
      AuditBench.run(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("index")) {
      IndexBench.run(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("scale")) {
      ScaleBench.run(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("batch")) {
      BatchBench.run(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("gateway")) {
      GatewayBench.run(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("soak")) {
      Soak.run(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("psi")) {
      PsiBench.run(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("revocation")) {
      RevocationBench.run(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length == 0 || !args[0].equals("verify")) {
      System.err.println("usage: sluice bench verify [--seconds S] [--concurrency C] [--rounds R]");
      System.err.println("       sluice bench gateway [--seconds S] [--concurrency C] [--rounds R]");
      System.err.println("       sluice bench soak [--seconds S]");
      System.err.println("       sluice bench batch [--items N] [--rounds R] [--distinct true] [--path P]");
      System.err.println("       sluice bench scale [--departments 5..10]");
      System.err.println("       sluice bench psi [--elements N] [--rounds R] [--intersect N] [--suites a,b]");
      System.err.println("       sluice bench policy [JMH options]");
      System.err.println("       sluice bench mask [JMH options]");
      System.err.println("       sluice bench revocation [--rounds N] [--poll-ms P]");
      System.err.println("       sluice bench audit [--seconds S] [--window-us W]");
      System.err.println("       sluice bench index [--entries N] [--rate R] [--rounds R]");
      System.err.println("       sluice bench query [--seconds S] [--concurrency C] [--rounds R]");
      System.exit(2);
    }
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[i + 1]);
        case "--concurrency" -> concurrency = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        default -> {
          System.err.println("unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    Path work = Files.createTempDirectory("sluice-bench");
    FederationSetup.Layout layout =
        FederationSetup.create(
            work,
            FederationSetup.Options.defaults()
                .withDataProvinces(Set.of(Province.GUANGDONG))
                .withPersonsPerProvince(2000));
    try (Transport transport = Transport.create();
        LocalFederation federation =
            LocalFederation.start(
                layout, transport, n -> n.provinceOf().map(p -> p == Province.GUANGDONG).orElse(false))) {
      List<String> subjects = layout.data().resource(RESOURCE).orElseThrow().sampleKeys();
      ManagedChannel viaGateway =
          transport
              .channelBuilder(
                  layout.addresses().get(GATEWAY),
                  TlsContexts.client(NodeCredentials.load(layout.credentials(CONSUMER)), GATEWAY))
              .build();
      // The direct path presents the gateway's own certificate, as only the gateway may call
      // the department; it names the consumer the way the gateway does.
      ManagedChannel direct =
          transport
              .channelBuilder(
                  layout.addresses().get(PROVIDER),
                  TlsContexts.client(NodeCredentials.load(layout.credentials(GATEWAY)), PROVIDER))
              .build();
      Metadata asGateway = new Metadata();
      asGateway.put(SluiceHeaders.CONSUMER, CONSUMER.toString());
      asGateway.put(SluiceHeaders.REQUEST_ID, "bench");
      VerifyServiceGrpc.VerifyServiceStub gatewayStub = VerifyServiceGrpc.newStub(viaGateway);
      VerifyServiceGrpc.VerifyServiceStub directStub =
          VerifyServiceGrpc.newStub(direct).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(asGateway));

      System.out.printf(
          "Verify, same province (%s -> %s), %d s per run, %d calls in flight, %d rounds%n",
          CONSUMER, PROVIDER, seconds, concurrency, rounds);
      for (int w = 0; w < 2; w++) {
        run("warm-up direct", directStub, subjects, seconds, concurrency);
        run("warm-up gateway", gatewayStub, subjects, seconds, concurrency);
      }
      List<Result> d = new ArrayList<>();
      List<Result> g = new ArrayList<>();
      List<Result> d1 = new ArrayList<>();
      List<Result> g1 = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        d.add(run("direct", directStub, subjects, seconds, concurrency));
        g.add(run("gateway", gatewayStub, subjects, seconds, concurrency));
        d1.add(run("direct, 1 in flight", directStub, subjects, seconds / 2, 1));
        g1.add(run("gateway, 1 in flight", gatewayStub, subjects, seconds / 2, 1));
      }
      Result direct32 = Result.merge(d);
      Result gateway32 = Result.merge(g);
      Result direct1 = Result.merge(d1);
      Result gateway1 = Result.merge(g1);
      System.out.println();
      System.out.println("| path | in flight | calls/s | p50 ms | p99 ms |");
      System.out.println("| --- | --- | --- | --- | --- |");
      for (Result r : List.of(direct32, gateway32, direct1, gateway1)) {
        System.out.println(r.row());
      }
      System.out.printf(
          "%nratio gateway / direct throughput at %d in flight: %.2f%n",
          concurrency, gateway32.rate() / direct32.rate());
      System.out.printf(
          "added latency through the gateway, 1 in flight: p50 +%.2f ms, p99 +%.2f ms%n",
          gateway1.p(0.50) - direct1.p(0.50), gateway1.p(0.99) - direct1.p(0.99));
      viaGateway.shutdownNow();
      direct.shutdownNow();
    } finally {
      deleteTree(work);
    }
  }

  static VerifyRequest request(String subject) {
    return VerifyRequest.newBuilder()
        .setContext(
            RequestContext.newBuilder().setPurposeCode("BENCHMARK").setCaseReference("BENCH-1"))
        .setResourceCode(RESOURCE)
        .setSubjectKey(subject)
        .setPredicate(
            Predicate.newBuilder()
                .setComparison(
                    Comparison.newBuilder()
                        .setField("enrolled")
                        .setOp(Operator.EQ)
                        .addValues(Value.newBuilder().setBoolValue(true))))
        .build();
  }

  /** One asynchronous call about {@code subject}; the observer hears how it ended. */
  interface AsyncCall {
    void start(String subject, StreamObserver<Object> done);
  }

  /** Closed loop of Verify calls: {@code concurrency} in flight for {@code seconds}. */
  static Result run(
      String name, VerifyServiceGrpc.VerifyServiceStub stub, List<String> subjects, int seconds, int concurrency)
      throws InterruptedException {
    return run(
        name,
        (subject, done) ->
            stub.withDeadlineAfter(10, TimeUnit.SECONDS).verify(request(subject), forward(done)),
        subjects, seconds, concurrency);
  }

  /** An observer of one response type that reports to an untyped one. */
  static <T> StreamObserver<T> forward(StreamObserver<Object> done) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {}

      @Override
      public void onError(Throwable t) {
        done.onError(t);
      }

      @Override
      public void onCompleted() {
        done.onCompleted();
      }
    };
  }

  /** Closed loop: {@code concurrency} calls in flight for {@code seconds}. */
  static Result run(String name, AsyncCall call, List<String> subjects, int seconds, int concurrency)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long[][] latencies = new long[concurrency][];
    int[] counts = new int[concurrency];
    AtomicLong errors = new AtomicLong();
    CountDownLatch done = new CountDownLatch(concurrency);
    long cpu0 = processCpuNanos();
    long start = System.nanoTime();
    for (int w = 0; w < concurrency; w++) {
      int worker = w;
      latencies[w] = new long[1 << 16];
      new Object() {
        int next = worker;

        void call() {
          if (System.nanoTime() >= end) {
            done.countDown();
            return;
          }
          long t0 = System.nanoTime();
          call.start(
              subjects.get(next++ % subjects.size()),
              new StreamObserver<Object>() {
                @Override
                public void onNext(Object value) {}

                @Override
                public void onError(Throwable t) {
                  errors.incrementAndGet();
                  call();
                }

                @Override
                public void onCompleted() {
                  long l = System.nanoTime() - t0;
                  if (counts[worker] == latencies[worker].length) {
                    latencies[worker] = Arrays.copyOf(latencies[worker], counts[worker] * 2);
                  }
                  latencies[worker][counts[worker]++] = l;
                  call();
                }
              });
        }
      }.call();
    }
    done.await();
    double elapsed = (System.nanoTime() - start) / 1e9;
    int total = Arrays.stream(counts).sum();
    long[] all = new long[total];
    int k = 0;
    for (int w = 0; w < concurrency; w++) {
      System.arraycopy(latencies[w], 0, all, k, counts[w]);
      k += counts[w];
    }
    Result r = new Result(name, concurrency, all, elapsed, errors.get(), (processCpuNanos() - cpu0) / 1e9);
    System.out.printf("  %-22s %8.0f calls/s  p50 %.2f ms  p99 %.2f ms  errors %d  CPU %3.0f%%, %.0f µs/call%n",
        name, r.rate(), r.p(0.5), r.p(0.99), r.errors(), 100 * r.busy(), r.cpuPerCall() * 1e6);
    return r;
  }

  /**
   * The kernel's share of this process's CPU time so far (Linux: /proc/self/stat, in clock ticks
   * of 10 ms), or 0 where that cannot be read. System calls (fsync, socket writes, waking
   * threads) are counted here.
   */
  static long processSystemCpuNanos() {
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[12]) * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** The CPU time this whole process has used (every node of the bench runs in it). */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * One run: every completed call's latency, the errors, and the process's CPU time meanwhile
   * (client, nodes and gateways together), which says whether the run was CPU-bound.
   */
  record Result(String name, int concurrency, long[] latencies, double seconds, long errors, double cpuSeconds) {
    double rate() {
      return latencies.length / seconds;
    }

    /** Share of the machine's cores the process kept busy. */
    double busy() {
      return cpuSeconds / (seconds * Runtime.getRuntime().availableProcessors());
    }

    double cpuPerCall() {
      return latencies.length == 0 ? Double.NaN : cpuSeconds / latencies.length;
    }

    double p(double q) {
      long[] s = latencies.clone();
      Arrays.sort(s);
      return s.length == 0 ? Double.NaN : s[Math.min(s.length - 1, (int) (q * s.length))] / 1e6;
    }

    String row() {
      return String.format("| %s | %d | %.0f | %.2f | %.2f |", name, concurrency, rate(), p(0.5), p(0.99));
    }

    static Result merge(List<Result> rs) {
      long[] all = rs.stream().flatMapToLong(r -> Arrays.stream(r.latencies())).toArray();
      double secs = rs.stream().mapToDouble(Result::seconds).sum();
      long errs = rs.stream().mapToLong(Result::errors).sum();
      double cpu = rs.stream().mapToDouble(Result::cpuSeconds).sum();
      return new Result(rs.get(0).name(), rs.get(0).concurrency(), all, secs, errs, cpu);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
