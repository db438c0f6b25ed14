package sluice.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import sluice.crypto.merkle.MerkleProofs;
import sluice.crypto.merkle.MerkleTree;
import sluice.crypto.merkle.TreeHash;
import sluice.crypto.note.Ed25519NoteKeys;
import sluice.gateway.audit.AppendLog;
import sluice.gateway.audit.AuditIndex;
import sluice.gateway.audit.AuditLog;
import sluice.gateway.audit.AuditLogSettings;
import sluice.gateway.audit.CheckpointWitness;
import sluice.v1.AuditEntry;
import sluice.v1.Decision;
import sluice.v1.FieldAccess;
import sluice.v1.GatewaySide;

/**
 * {@code sluice bench audit}: durable entries per second of the audit log beside a raw baseline in
 * the same run, the latency durable gating adds, and proof sizes. The baseline is the bare
 * group-commit file (256-byte records, a batch per fsync); the log adds the protobuf entry, the
 * SM3 Merkle tree and (with the index) the H2 query index.
 */
final class AuditBench {
  private AuditBench() {}

  static void run(String[] args) throws Exception {
    int seconds = 5;
    AuditLogSettings chosen = AuditLogSettings.defaults();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--seconds")) {
        seconds = Integer.parseInt(args[i + 1]);
      } else if (args[i].equals("--window-us")) {
        chosen = chosen.withBatches(chosen.maxBatch(), Duration.ofNanos(Long.parseLong(args[i + 1]) * 1000));
      }
    }
    AuditLogSettings settings = chosen;
    System.out.printf("audit log batch window: %d µs%n", settings.window().toNanos() / 1000);
    Path dir = Files.createTempDirectory("sluice-audit-bench");
    byte[] raw = new byte[256];
    new SecureRandom().nextBytes(raw);
    AuditEntry entry = sample();
    System.out.printf("entry size: %d bytes (raw baseline record: %d)%n", entry.getSerializedSize(), raw.length);

    // Raw baseline and audit log alternate, three rounds each, in fresh files; the medians are
    // compared, so a noisy neighbour on this shared machine skews both rather than one.
    Ed25519PrivateKeyParameters key = Ed25519NoteKeys.generate(new SecureRandom());
    try (AuditLog log = openLog(dir.resolve("warm-up"), key, settings, (i, e) -> {})) {
      throughput("(warm-up, not counted)", 2, r -> log.append(entry));
    }
    double[] bases = new double[3];
    double[] logs = new double[3];
    for (int round = 0; round < 3; round++) {
      try (AppendLog<Void> log = AppendLog.open(dir.resolve("raw-" + round + ".log"), 4096, Duration.ofMillis(1), b -> {})) {
        bases[round] = throughput("raw 256-byte records, fsync per batch", seconds, r -> log.append(raw));
      }
      try (AuditLog log = openLog(dir.resolve("log-" + round), key, settings, (i, e) -> {})) {
        logs[round] = throughput("audit log (entry + SM3 Merkle tree)", seconds, r -> log.append(entry));
      }
    }
    double base = median(bases);
    double alone = median(logs);
    System.out.printf("medians: raw %,.0f, audit log %,.0f durable entries/s%n", base, alone);
    // Latency at a steady 20,000 entries/s and at half the log's saturation, for the log and then
    // for the baseline at the same load.
    for (double rate : new double[] {1_000, 20_000, alone / 2}) {
      try (AuditLog log = openLog(dir.resolve("latency-" + (long) rate), key, settings, (i, e) -> {})) {
        latency("audit log", r -> log.append(entry), rate);
      }
      try (AppendLog<Void> log = AppendLog.open(dir.resolve("raw-latency-" + (long) rate + ".log"), 4096,
          Duration.ofMillis(1), b -> {})) {
        latency("raw baseline", r -> log.append(raw), rate);
      }
    }
    double indexed;
    try (AuditIndex index = AuditIndex.h2(dir.resolve("indexed"), sluice.gateway.audit.LogName.of(sluice.crypto.NodeId.parse("prov-44")));
        AuditLog log = openLog(dir.resolve("indexed"), key, settings, index)) {
      long t0 = System.nanoTime();
      indexed = throughput("audit log + H2 query index", seconds, r -> log.append(entry));
      index.awaitIndexed(log.size(), 600_000);
      System.out.printf("  index caught up %.1f s after the run started (%d entries)%n",
          (System.nanoTime() - t0) / 1e9, log.size());
    }
    System.out.printf("%nratio audit log / raw baseline: %.2f; with index: %.2f%n", alone / base, indexed / base);
    proofs();
  }

  static AuditLog openLog(Path dir, Ed25519PrivateKeyParameters key, AuditLogSettings settings,
      AuditLog.Listener listener) throws java.io.IOException {
    return AuditLog.open(dir, "sluice.audit/bench", List.of(Ed25519NoteKeys.signer("sluice.audit/bench", key)),
        CheckpointWitness.NAME, settings, listener);
  }

  static double median(double[] xs) {
    double[] s = xs.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  static AuditEntry sample() {
    return AuditEntry.newBuilder()
        .setTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(1_796_000_000L).setNanos(123_456_000))
        .setGatewayNodeId("prov-44").setSide(GatewaySide.PROVIDER_SIDE).setRequestId("7d1e5c0a-5b8e-4a51-9b7c-2f0d3e4a1b6c")
        .setConsumerNodeId("prov-11/dept-ca").setProviderNodeId("prov-44/dept-hrss").setResourceCode("3-44-002-001-000001")
        .setCatalogVersion(42).setResourceVersion(3).setOperation("Query").setPurposeCode("SOCIAL_ASSISTANCE_ELIGIBILITY")
        .setCaseReference("BJ-MZ-2026-77").setDecision(Decision.PERMIT).setStatus("OK").setGrantId("G-0123456789abcdef")
        .addFields(FieldAccess.newBuilder().setName("name").setMask("NAME_KEEP_SURNAME"))
        .addFields(FieldAccess.newBuilder().setName("enrolled").setMask("CLEAR"))
        .setSubjectPseudonym("9f".repeat(32)).setAnswerDigest(com.google.protobuf.ByteString.copyFrom(new byte[32]))
        .setLatencyMicros(812).build();
  }

  /** Appends from 4 threads with up to 8192 entries awaiting durability; returns entries/s. */
  static double throughput(String what, int seconds, Function<Integer, CompletableFuture<Long>> append) throws Exception {
    Semaphore inFlight = new Semaphore(8192);
    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    long warm = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    long[] counted = new long[4];
    long[] startAt = {0};
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int me = t;
      Thread th = new Thread(() -> {
        while (System.nanoTime() < end) {
          inFlight.acquireUninterruptibly();
          boolean measured = System.nanoTime() > warm;
          append.apply(me).whenComplete((i, e) -> {
            inFlight.release();
            if (e == null && measured) {
              synchronized (counted) {
                counted[me]++;
              }
            }
          });
        }
      });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    inFlight.acquireUninterruptibly(8192);
    long n = Arrays.stream(counted).sum();
    double perSecond = n / (seconds - 1.0);
    System.out.printf("%-42s %,12.0f durable entries/s%n", what, perSecond);
    return perSecond;
  }

  /**
   * Latency from append to durable at {@code rate} appends a second. Only the latencies are kept
   * (not the futures), so the measurement itself holds nothing for the collector to copy.
   */
  static void latency(String what, Function<Integer, CompletableFuture<Long>> append, double rate)
      throws Exception {
    long gapNanos = (long) (1e9 / rate);
    int samples = (int) Math.min(200_000, rate * 3);
    long[] micros = new long[samples];
    java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(samples);
    // Appends go out on schedule in small bursts, the sender sleeping between them rather than
    // spinning, so it leaves the machine's second core to the log.
    long start = System.nanoTime();
    for (int i = 0; i < samples; ) {
      long due = Math.min(samples, (System.nanoTime() - start) / gapNanos + 1);
      for (; i < due; i++) {
        long t0 = start + i * gapNanos;
        int at = i;
        append.apply(0).whenComplete((x, e) -> {
          micros[at] = (System.nanoTime() - t0) / 1000;
          done.countDown();
        });
      }
      java.util.concurrent.locks.LockSupport.parkNanos(100_000);
    }
    done.await();
    Arrays.sort(micros);
    System.out.printf("  %s: durable-gating latency at %,.0f entries/s: p50 %d µs, p99 %d µs, p999 %d µs%n", what,
        rate, micros[samples / 2], micros[(int) (samples * 0.99)], micros[(int) (samples * 0.999)]);
  }

  /** Inclusion proof size and verification time at 10^6 entries (built) and 10^9 (by path length). */
  static void proofs() {
    MerkleTree t = new MerkleTree(TreeHash.SM3);
    byte[] leaf = new byte[300];
    for (int i = 0; i < 1_000_000; i++) {
      leaf[0] = (byte) i;
      leaf[1] = (byte) (i >> 8);
      leaf[2] = (byte) (i >> 16);
      t.append(leaf);
    }
    long n = t.size();
    long index = 777_777;
    leaf[0] = (byte) index;
    leaf[1] = (byte) (index >> 8);
    leaf[2] = (byte) (index >> 16);
    List<byte[]> path = t.inclusionProof(index, n);
    byte[] root = t.root(n);
    byte[] leafHash = TreeHash.SM3.leaf(leaf);
    int rounds = 20_000;
    long t0 = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      if (!MerkleProofs.verifyInclusion(TreeHash.SM3, leafHash, index, n, path, root)) {
        throw new IllegalStateException("proof failed");
      }
    }
    double us = (System.nanoTime() - t0) / 1e3 / rounds;
    System.out.printf("%ninclusion proof at 10^6 entries: %d hashes = %d bytes (bound 32*ceil(log2 N) = %d), verified in %.1f µs%n",
        path.size(), path.size() * 32, 32 * 20, us);
    // At 10^9 entries a proof has ceil(log2 10^9) = 30 hashes; verification costs one node hash per hash.
    System.out.printf("inclusion proof at 10^9 entries: 30 hashes = 960 bytes, verified in about %.1f µs (%d -> 30 hashes)%n",
        us * 30 / path.size(), path.size());
  }
}
