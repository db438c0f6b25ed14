package sluice.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import sluice.catalog.entry.CatalogueEntries;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.grant.Decision;
import sluice.catalog.grant.Grant;
import sluice.catalog.snapshot.CatalogSnapshot;
import sluice.catalog.snapshot.SignedSnapshot;
import sluice.catalog.snapshot.SnapshotSigner;
import sluice.catalog.snapshot.SnapshotVerifier;
import sluice.crypto.NodeId;
import sluice.crypto.Province;
import sluice.crypto.Signer;
import sluice.crypto.Sm2;
import sluice.crypto.pki.FederationPki;
import sluice.crypto.pki.NodeCredentials;
import sluice.gateway.policy.SnapshotAccessPolicy;

/**
 * Cost of one policy decision at a gateway, against a catalogue of 160 conditional resources and
 * 10,000 grants: with the snapshot's index warm, and the first decision after a new snapshot
 * (which rebuilds the index). The baseline, measured in the same run, is one SM2 signature, the
 * cost a department pays for every receipt.
 *
 * <p>Run: {@code ./sluice bench policy} (JMH; pass JMH options after it, e.g. {@code -f 1 -i 5}).
 */
@State(Scope.Benchmark)
public class PolicyBench {
  static final String PURPOSE = "SOCIAL_ASSISTANCE_ELIGIBILITY";

  SnapshotVerifier verifier;
  SnapshotAccessPolicy policy;
  SnapshotSigner hub;
  List<CatalogueEntry> entries;
  List<Grant> grants;
  Signer sm2;
  byte[] message = new byte[160];
  NodeId consumer = NodeId.parse("prov-11/dept-ca");
  String code;
  List<String> fields = List.of("enrolled", "id_number");
  SignedSnapshot next;
  SignedSnapshot delta;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path dir = Files.createTempDirectory("sluice-policy-bench");
    FederationPki pki = FederationPki.init(dir, List.of(NodeId.NATIONAL), Instant.now().minusSeconds(60), Duration.ofDays(1), new SecureRandom());
    NodeCredentials national = pki.load(NodeId.NATIONAL);
    hub = new SnapshotSigner(Sm2.signer(national.signingKey()), national.signingChain());
    sm2 = Sm2.signer(national.signingKey());
    String yaml;
    try (var in = PolicyBench.class.getResourceAsStream("/bench/catalogue-entry.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    entries = new ArrayList<>();
    for (Province p : Province.values()) {
      for (int d = 1; d <= 5; d++) {
        String c = String.format("3-%02d-%03d-001-000001", p.code(), d);
        entries.add(CatalogueEntries.parse(yaml.replace("3-44-002-001-000001", c)
            .replace("prov-44/dept-hrss", "prov-" + p.code() + "/dept-d" + d), c));
      }
    }
    code = entries.get(100).resourceCode();
    grants = new ArrayList<>();
    Instant now = Instant.now();
    for (int i = 0; i < 10_000; i++) {
      Province p = Province.values()[i % 32];
      NodeId who = NodeId.department(p, "c" + (i % 60));
      grants.add(new Grant("G-" + i, who, entries.get(i % entries.size()).resourceCode(), Set.of("enrolled", "id_number"),
          Set.of(PURPOSE), now.minusSeconds(60), now.plus(Duration.ofDays(30)), 0, null, null));
    }
    grants.add(new Grant("G-mine", consumer, code, Set.of("enrolled", "id_number"), Set.of(PURPOSE),
        now.minusSeconds(60), now.plus(Duration.ofDays(30)), 0, null, null));
    verifier = new SnapshotVerifier(national.trustRoots(), Clock.systemUTC());
    verifier.apply(hub.sign(new CatalogSnapshot(1, now, entries, grants)));
    policy = new SnapshotAccessPolicy(verifier, Clock.systemUTC(), ZoneId.of("Asia/Shanghai"));
    if (!policy.decide(consumer, code, PURPOSE, fields).permitted()) {
      throw new IllegalStateException("benchmark setup: the decision should permit");
    }
  }

  /**
   * Outside the measured time: the next catalogue state, one grant revoked, signed whole and as
   * a delta from the applied snapshot.
   */
  @Setup(Level.Iteration)
  public void nextSnapshot() {
    CatalogSnapshot base = verifier.applied().orElseThrow();
    Instant now = Instant.now();
    List<Grant> changed = new ArrayList<>(base.grants());
    changed.replaceAll(g -> g.id().equals("G-5") ? g.revoked(now, "bench") : g);
    CatalogSnapshot state = new CatalogSnapshot(base.version() + 1, now, entries, changed);
    next = hub.sign(state);
    delta = hub.signDelta(base, state);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Decision decideWarm() {
    return policy.decide(consumer, code, PURPOSE, fields);
  }

  /** Applying a new snapshot (verify, decode) and the first decision after it. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Decision decideAfterNewSnapshot() throws Exception {
    verifier.apply(next);
    return policy.decide(consumer, code, PURPOSE, fields);
  }

  /** Applying a one-grant delta (verify, decode, merge) and the first decision after it. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Decision decideAfterDelta() throws Exception {
    verifier.apply(delta);
    return policy.decide(consumer, code, PURPOSE, fields);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public byte[] baselineSm2Sign() {
    return sm2.sign(message);
  }
}
