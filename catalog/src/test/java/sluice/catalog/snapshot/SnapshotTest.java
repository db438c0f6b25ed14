package sluice.catalog.snapshot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.catalog.entry.CatalogueEntries;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.grant.Grant;
import sluice.crypto.NodeId;
import sluice.crypto.Sm2;
import sluice.crypto.pki.FederationPki;
import sluice.crypto.pki.NodeCredentials;

class SnapshotTest {
  static final Instant NOW = Instant.now();
  @TempDir static Path dir;
  @TempDir static Path foreignDir;
  static FederationPki pki;
  static SnapshotSigner hub;
  static CatalogueEntry entry;
  static Grant grant;

  @BeforeAll
  static void init() throws Exception {
    pki = FederationPki.init(dir, List.of(NodeId.NATIONAL, NodeId.parse("prov-44")), NOW.minusSeconds(60), Duration.ofDays(1), new SecureRandom());
    NodeCredentials national = pki.load(NodeId.NATIONAL);
    hub = new SnapshotSigner(Sm2.signer(national.signingKey()), national.signingChain());
    try (InputStream in = SnapshotTest.class.getResourceAsStream("/entries/gd-social-insurance.yaml")) {
      entry = CatalogueEntries.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "gd");
    }
    grant = new Grant("G-1", NodeId.parse("prov-11/dept-ca"), entry.resourceCode(), Set.of("enrolled"),
        Set.of("SOCIAL_ASSISTANCE_ELIGIBILITY"), NOW.minusSeconds(30), NOW.plus(Duration.ofDays(30)), 500, null, null);
  }

  static CatalogSnapshot snapshot(long version, List<Grant> grants) {
    return new CatalogSnapshot(version, NOW, List.of(entry), grants);
  }

  SnapshotVerifier verifier() {
    return new SnapshotVerifier(List.of(pki.root()), Clock.systemUTC());
  }

  @Test
  void aHubSignedSnapshotAppliesAndReadsBackExactly() throws Exception {
    SnapshotVerifier gateway = verifier();
    CatalogSnapshot applied = gateway.apply(hub.sign(snapshot(1, List.of(grant))));
    assertEquals(snapshot(1, List.of(grant)), applied);
    assertEquals(List.of(grant), applied.grants());
    assertTrue(gateway.age(NOW.plusSeconds(90)).orElseThrow().getSeconds() >= 90, "age is reported");
    assertArrayEquals(hub.sign(snapshot(1, List.of(grant))).body(), hub.sign(snapshot(1, List.of(grant))).body(),
        "the encoding is canonical");
  }

  @Test
  void aSnapshotSignedUnderARevokedCertificateIsRejected() throws Exception {
    java.util.concurrent.atomic.AtomicReference<sluice.crypto.pki.RevocationList> list =
        new java.util.concurrent.atomic.AtomicReference<>(sluice.crypto.pki.RevocationList.empty());
    SnapshotVerifier gateway = new SnapshotVerifier(List.of(pki.root()), Clock.systemUTC(), list::get);
    gateway.apply(hub.sign(snapshot(1, List.of(grant))));
    // The list is read once into this verifier's holder; the file is removed again (other tests use no list).
    pki.revoke(NodeId.NATIONAL, NOW);
    list.set(sluice.crypto.pki.RevocationList.read(pki.revocationFile()));
    java.nio.file.Files.delete(pki.revocationFile());
    SnapshotRejectedException e =
        assertThrows(SnapshotRejectedException.class, () -> gateway.apply(hub.sign(snapshot(2, List.of()))));
    assertTrue(e.getMessage().startsWith("snapshot signer: ") && e.getMessage().contains("was revoked"), e.getMessage());
    assertEquals(1, gateway.applied().orElseThrow().version(), "the applied snapshot stays");
    list.set(sluice.crypto.pki.RevocationList.empty());
    assertEquals(2, gateway.apply(hub.sign(snapshot(2, List.of()))).version(), "checked again when the list changes");
  }

  @Test
  void rollbackAndReplayAreRejectedAndTheAppliedSnapshotStays() throws Exception {
    SnapshotVerifier gateway = verifier();
    gateway.apply(hub.sign(snapshot(7, List.of(grant))));
    SnapshotRejectedException older =
        assertThrows(SnapshotRejectedException.class, () -> gateway.apply(hub.sign(snapshot(5, List.of()))));
    assertEquals("snapshot version 5 is not newer than the applied version 7: a replayed or rolled-back snapshot",
        older.getMessage());
    assertThrows(SnapshotRejectedException.class, () -> gateway.apply(hub.sign(snapshot(7, List.of()))));
    assertEquals(7, gateway.applied().orElseThrow().version());
    assertEquals(1, gateway.applied().orElseThrow().grants().size());
    gateway.apply(hub.sign(snapshot(8, List.of(grant.revoked(NOW, "case closed")))));
    assertEquals("case closed", gateway.applied().orElseThrow().grants().get(0).revocationReason());
  }

  @Test
  void tamperedOrWronglySignedSnapshotsAreRejected() throws Exception {
    SignedSnapshot good = hub.sign(snapshot(3, List.of(grant)));
    byte[] body = good.body();
    String text = new String(body, StandardCharsets.UTF_8).replace("\"dailyQuota\":500", "\"dailyQuota\":900");
    SignedSnapshot tampered = new SignedSnapshot(text.getBytes(StandardCharsets.UTF_8), good.signature(), good.signerChain());
    assertEquals("snapshot signature does not verify",
        assertThrows(SnapshotRejectedException.class, () -> verifier().apply(tampered)).getMessage());

    NodeCredentials province = pki.load(NodeId.parse("prov-44"));
    SignedSnapshot byProvince =
        new SnapshotSigner(Sm2.signer(province.signingKey()), province.signingChain()).sign(snapshot(4, List.of()));
    assertEquals("snapshot was signed by prov-44, not by the national hub",
        assertThrows(SnapshotRejectedException.class, () -> verifier().apply(byProvince)).getMessage());

    FederationPki foreign = FederationPki.init(foreignDir, List.of(NodeId.NATIONAL), NOW.minusSeconds(60), Duration.ofDays(1), new SecureRandom());
    NodeCredentials impostor = foreign.load(NodeId.NATIONAL);
    SignedSnapshot forged =
        new SnapshotSigner(Sm2.signer(impostor.signingKey()), impostor.signingChain()).sign(snapshot(9, List.of()));
    assertTrue(assertThrows(SnapshotRejectedException.class, () -> verifier().apply(forged)).getMessage()
        .startsWith("snapshot signer: signer certificate chain does not validate to a federation root"));
  }

  @Test
  void aDeltaAppliesOnlyOnTopOfItsBaseAndCarriesOnlyTheChange() throws Exception {
    CatalogSnapshot base = snapshot(10, List.of(grant));
    Grant issued = new Grant("G-2", NodeId.parse("prov-31/dept-tax"), entry.resourceCode(), Set.of("enrolled"),
        Set.of("TAX_ADMINISTRATION"), NOW, NOW.plus(Duration.ofDays(30)), 50, null, null);
    CatalogSnapshot next = snapshot(11, List.of(grant.revoked(NOW, "case closed"), issued));
    SignedSnapshot delta = hub.signDelta(base, next);
    String body = new String(delta.body(), StandardCharsets.UTF_8);
    assertTrue(body.contains("\"format\":\"sluice-catalog-delta/1\",\"baseVersion\":10"), body);
    assertTrue(!body.contains("\"resourceCode\":\"" + entry.resourceCode() + "\",\"name\""),
        "an unchanged entry is not sent again");
    assertTrue(delta.body().length < hub.sign(next).body().length / 2, "a delta is smaller than the whole");

    SnapshotVerifier gateway = verifier();
    SnapshotRejectedException noBase = assertThrows(SnapshotRejectedException.class, () -> gateway.apply(delta));
    assertTrue(noBase.needsFull(), noBase.getMessage());
    gateway.apply(hub.sign(base));
    assertEquals(next, gateway.apply(delta), "base plus delta is exactly the next snapshot");

    SnapshotVerifier ahead = verifier();
    ahead.apply(hub.sign(snapshot(12, List.of())));
    SnapshotRejectedException stale = assertThrows(SnapshotRejectedException.class, () -> ahead.apply(delta));
    assertTrue(!stale.needsFull(), "an old delta is a replay, not a gap");

    SnapshotVerifier behind = verifier();
    behind.apply(hub.sign(snapshot(9, List.of())));
    SnapshotRejectedException gap = assertThrows(SnapshotRejectedException.class, () -> behind.apply(delta));
    assertTrue(gap.needsFull());
    assertEquals(9, behind.applied().orElseThrow().version(), "a gateway that missed a version keeps what it has");
  }
}
