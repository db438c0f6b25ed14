package sluice.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import sluice.catalog.entry.Mask;
import sluice.catalog.grant.AccessRequest;
import sluice.crypto.psi.PsiGroup;
import sluice.crypto.psi.PsiKey;
import sluice.crypto.psi.PsiSuite;
import sluice.crypto.psi.X25519Engines;
import sluice.gateway.Transport;
import sluice.gateway.client.ConsumerClient;
import sluice.gateway.client.PsiReceiver;
import sluice.v1.PsiMode;
import sluice.v1.RequestContext;

/**
 * {@code sluice bench psi}: ECDH-PSI cost per element, per core, per party, for each suite (and
 * X25519 once more on BouncyCastle), beside {@code openssl speed ecdhx25519}, {@code ecdhp256} and
 * {@code sm2} and BouncyCastle's bare SM2 k·P, run in the same rounds (the baseline: one PSI
 * element costs a party two variable-base multiplications, so ops/s ÷ 2 is the ceiling per
 * element); then, with {@code --intersect N}, one N × N session across provinces through the
 * gateways on this machine, timed wall to wall.
 *
 * <p>A party's work per element: hash its own element to the group and apply its key; apply its
 * key to one of the peer's elements (after validating it) and shorten it to a tag. Measured on
 * one thread, by that thread's CPU time.
 *
 * <p>Usage: {@code ./sluice bench psi [--elements N] [--rounds R] [--intersect N] [--suites a,b]}
 */
final class PsiBench {
  private PsiBench() {}

  static void run(String[] args) throws Exception {
    int elements = 4000;
    int rounds = 3;
    int intersect = 0;
    List<PsiSuite> suites = List.of(PsiSuite.values());
    List<PsiSuite> e2eSuites = List.of(PsiSuite.X25519_SHA256, PsiSuite.SM2_SM3_SSWU);
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--elements" -> elements = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--intersect" -> intersect = Integer.parseInt(args[i + 1]);
        case "--suites" -> e2eSuites = Arrays.stream(args[i + 1].split(",")).map(PsiSuite::named).toList();
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.printf("ECDH-PSI per party, one thread: %,d elements a round, %d rounds (medians)%n", elements, rounds);
    System.out.printf("  X25519 by %s%n", X25519Engines.preferred().name());
    Map<String, PsiGroup> groups = new LinkedHashMap<>();
    for (PsiSuite s : suites) {
      groups.put(s.name(), s.group());
    }
    groups.put(X25519_ON_BC, PsiSuite.X25519_SHA256.group(X25519Engines.bouncyCastle()));
    Map<String, List<Double>> perCore = new LinkedHashMap<>();
    SecureRandom random = new SecureRandom();
    for (PsiGroup g : groups.values()) {
      party(g, elements / 4, random); // warm-up
    }
    sm2Multiplications(elements / 4, random);
    for (int r = 0; r < rounds; r++) {
      perCore.computeIfAbsent("openssl ecdhx25519 ops/s", k -> new ArrayList<>()).add(openssl("ecdhx25519", "X25519", 1));
      perCore.computeIfAbsent("openssl ecdhp256 ops/s", k -> new ArrayList<>()).add(openssl("ecdhp256", "nistp256", 1));
      perCore.computeIfAbsent("openssl sm2 sign/s", k -> new ArrayList<>()).add(openssl("sm2", "CurveSM2", 2));
      for (Map.Entry<String, PsiGroup> g : groups.entrySet()) {
        perCore.computeIfAbsent(g.getKey(), k -> new ArrayList<>()).add(party(g.getValue(), elements, random));
      }
      perCore.computeIfAbsent(SM2_BARE, k -> new ArrayList<>()).add(sm2Multiplications(elements, random));
    }
    Map<String, Double> median = new LinkedHashMap<>();
    perCore.forEach((k, v) -> median.put(k, median(v)));
    for (String g : groups.keySet()) {
      System.out.printf("  %-30s %8.0f elements/s/core per party  (rounds %s)%n", g, median.get(g), rounds(perCore.get(g)));
    }
    double x25519 = median.get("openssl ecdhx25519 ops/s");
    double p256 = median.get("openssl ecdhp256 ops/s");
    double sm2Sign = median.get("openssl sm2 sign/s");
    double sm2Bare = median.get(SM2_BARE);
    System.out.printf("  openssl speed ecdhx25519 %8.0f ops/s (rounds %s) -> C ceiling %.0f elements/s/core%n", x25519,
        rounds(perCore.get("openssl ecdhx25519 ops/s")), x25519 / 2);
    System.out.printf("  openssl speed ecdhp256   %8.0f ops/s (rounds %s) -> C ceiling %.0f elements/s/core%n", p256,
        rounds(perCore.get("openssl ecdhp256 ops/s")), p256 / 2);
    System.out.printf("  openssl speed sm2        %8.0f signatures/s (rounds %s), each one k*G by OpenSSL's generic code%n",
        sm2Sign, rounds(perCore.get("openssl sm2 sign/s")));
    System.out.printf("  %s %8.0f ops/s (rounds %s) -> ceiling %.0f elements/s/core with no hashing, blinding or tags%n",
        SM2_BARE, sm2Bare, rounds(perCore.get(SM2_BARE)), sm2Bare / 2);
    System.out.printf("  X25519_SHA256 / (openssl X25519 / 2) = %.2f (goal >= 0.6); on BouncyCastle %.2f%n",
        median.get("X25519_SHA256") / (x25519 / 2), median.get(X25519_ON_BC) / (x25519 / 2));
    System.out.printf("  P256_SHA256_SSWU / (openssl P-256 / 2) = %.2f%n", median.get("P256_SHA256_SSWU") / (p256 / 2));
    System.out.printf("  SM2_SM3_SSWU %.0f elements/s/core (goal >= 4,000)%n", median.get("SM2_SM3_SSWU"));
    if (intersect > 0) {
      endToEnd(intersect, e2eSuites);
    }
  }

  private static final String X25519_ON_BC = "X25519_SHA256 on BouncyCastle";
  private static final String SM2_BARE = "BouncyCastle sm2p256v1 k*P";

  private static String rounds(List<Double> v) {
    return v.stream().map(x -> String.format("%.0f", x)).toList().toString();
  }

  /**
   * BouncyCastle's bare variable-base multiplication on the SM2 curve, k·P normalized, on this
   * thread: ops per CPU-second. Two of these per element bound what any SM2 suite here can do.
   */
  static double sm2Multiplications(int n, SecureRandom random) {
    org.bouncycastle.asn1.x9.X9ECParameters sm2 = org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("sm2p256v1");
    java.math.BigInteger k = org.bouncycastle.util.BigIntegers.createRandomInRange(
        java.math.BigInteger.ONE, sm2.getN().subtract(java.math.BigInteger.ONE), random);
    org.bouncycastle.math.ec.ECPoint p = sm2.getG().multiply(k).normalize();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long cpu = mx.getCurrentThreadCpuTime();
    for (int i = 0; i < n; i++) {
      p = p.multiply(k).normalize();
    }
    long used = mx.getCurrentThreadCpuTime() - cpu;
    if (p.isInfinity()) {
      throw new IllegalStateException("k*P reached the identity");
    }
    return n / (used / 1e9);
  }

  /** One party's work on {@code n} elements, on this thread: elements per CPU-second. */
  static double party(PsiGroup g, int n, SecureRandom random) throws Exception {
    PsiKey mine = g.newKey(random);
    PsiKey peer = g.newKey(random);
    byte[][] own = new byte[n][];
    byte[][] fromPeer = new byte[n][];
    for (int i = 0; i < n; i++) {
      own[i] = String.format("44010119%010d", random.nextInt(1_000_000_000)).getBytes(StandardCharsets.UTF_8);
      fromPeer[i] = g.mask(peer, ("peer-" + i).getBytes(StandardCharsets.UTF_8));
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long cpu = mx.getCurrentThreadCpuTime();
    long sink = 0;
    for (int i = 0; i < n; i++) {
      sink += g.mask(mine, own[i])[1];
      sink += g.tag(g.remask(mine, fromPeer[i]))[0];
    }
    long used = mx.getCurrentThreadCpuTime() - cpu;
    if (sink == 42) {
      System.out.print("");
    }
    return n / (used / 1e9);
  }

  /**
   * {@code openssl speed -seconds 3 <alg>}: on the line naming {@code label}, the figure
   * {@code fromEnd} places from its end (1: the last; for sm2, 2 is signatures/s).
   */
  static double openssl(String alg, String label, int fromEnd) throws Exception {
    Process p = new ProcessBuilder("openssl", "speed", "-seconds", "3", alg).redirectErrorStream(true).start();
    double found = -1;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.contains("(" + label + ")") && !line.contains("ops")) {
          String[] parts = line.trim().split("\\s+");
          found = Double.parseDouble(parts[parts.length - fromEnd]);
        }
      }
    }
    if (p.waitFor() != 0 || found < 0) {
      throw new IllegalStateException("openssl speed " + alg + " gave no figure (is openssl installed?)");
    }
    return found;
  }

  static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    s.sort(null);
    return s.get(s.size() / 2);
  }

  /** The heap in use right after each garbage collection: what was live, or not yet collected. */
  static final class HeapAfterGc implements javax.management.NotificationListener {
    volatile long before;
    volatile long max;
    volatile int count;

    HeapAfterGc() {
      for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        ((javax.management.NotificationEmitter) gc).addNotificationListener(this, null, null);
      }
    }

    /** Starts over from the heap in use now (after the caller's System.gc()). */
    void reset() {
      before = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      max = before;
      count = 0;
    }

    @Override
    public void handleNotification(javax.management.Notification n, Object handback) {
      if (!n.getType().equals(com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
        return;
      }
      var info = com.sun.management.GarbageCollectionNotificationInfo.from(
          (javax.management.openmbean.CompositeData) n.getUserData());
      long used = 0;
      for (var pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
        if (!pool.getKey().contains("Metaspace") && !pool.getKey().contains("Code") && !pool.getKey().contains("Class")) {
          used += pool.getValue().getUsed();
        }
      }
      synchronized (this) {
        max = Math.max(max, used);
        count++;
      }
    }
  }

  /**
   * One N × N session, half the elements in common: Beijing's civil affairs (receiver) with
   * Guangdong's social insurance department (sender, N records), through prov-11, national and
   * prov-44, everything on this machine.
   */
  static void endToEnd(int n, List<PsiSuite> suites) throws Exception {
    Path work = Files.createTempDirectory("sluice-psi-bench");
    Path entry = work.resolve("entry.yaml");
    try (var in = PsiBench.class.getResourceAsStream("/bench/catalogue-entry.yaml")) {
      Files.writeString(entry, new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .replace("rowCap: 100000", "rowCap: 1000000000"));
    }
    List<String> senderKeys = ProviderData.keys(n);
    try (CatalogRig rig = new CatalogRig(work.resolve("federation"), entry, Duration.ofMillis(200),
        sluice.gateway.audit.AuditLogSettings.defaults(), ProviderData.withKeys(senderKeys, work))) {
      AccessRequest req = rig.access.request(CatalogRig.CONSUMER, rig.entry.resourceCode(), List.of("enrolled"),
          List.of("SOCIAL_ASSISTANCE_ELIGIBILITY"), "bench", 30, 1_000_000_000L, false, Map.<String, Mask>of());
      rig.access.approve(req.id(), "bench", "");
      // The receiver's set is read from a source into its spilled input, as `sluice psi run` reads a CSV file.
      sluice.gateway.client.PsiInput.Source receiver = each -> {
        senderKeys.subList(0, n / 2).forEach(each);
        for (int i = 0; i < n - n / 2; i++) {
          each.accept(String.format("1101%014d", i));
        }
      };
      int cores = Runtime.getRuntime().availableProcessors();
      HeapAfterGc heap = new HeapAfterGc();
      ExecutorService work2 = Executors.newFixedThreadPool(cores, Transport.daemonThreads("bench-psi"));
      try (ConsumerClient client = rig.consumer(Duration.ofSeconds(30))) {
        for (PsiSuite suite : suites) {
          PsiReceiver.Request request = new PsiReceiver.Request(
              RequestContext.newBuilder().setPurposeCode("SOCIAL_ASSISTANCE_ELIGIBILITY").setCaseReference("bench").build(),
              rig.entry.resourceCode(), CatalogRig.RECEIVER_RESOURCE.code(), suite, PsiMode.INTERSECTION);
          PsiReceiver.Result r = null;
          long t0 = 0;
          for (int attempt = 0; r == null; attempt++) {
            try {
              t0 = System.nanoTime();
              try (sluice.gateway.client.PsiInput input = sluice.gateway.client.PsiInput.spilled(receiver, work)) {
                System.gc();
                heap.reset();
                r = client.psiReceiver(work2, cores, work).run(request, input, null);
              }
            } catch (io.grpc.StatusRuntimeException e) {
              if (attempt > 100) {
                throw e;
              }
              Thread.sleep(200); // the grant has not reached the gateways yet
            }
          }
          double s = (System.nanoTime() - t0) / 1e9;
          System.out.printf("  %,d x %,d %s across provinces through 3 gateways: %.1f s wall, %d in common (expected %d)%n",
              n, n, suite.name(), s, r.size(), n / 2);
          System.out.printf("    heap after GC (every node and both parties in this JVM): %,d MB before the session,"
              + " at most %,d MB during it (%d collections)%n", heap.before / (1 << 20), heap.max / (1 << 20), heap.count);
          if (r.size() != n / 2) {
            throw new IllegalStateException("wrong intersection size " + r.size());
          }
        }
      } finally {
        work2.shutdownNow();
      }
    } finally {
      sluice.gateway.psi.PrivateFiles.deleteTree(work); // the provider's CSV alone is about 92 bytes an element
    }
  }
}
