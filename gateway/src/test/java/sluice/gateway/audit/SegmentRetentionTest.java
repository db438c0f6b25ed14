package sluice.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.NodeId;
import sluice.crypto.merkle.Checkpoint;
import sluice.crypto.merkle.MerkleProofs;
import sluice.crypto.merkle.TreeHash;
import sluice.crypto.note.NoteSigner;
import sluice.crypto.note.SignedNote;
import sluice.crypto.note.Sm2NoteKeys;
import sluice.crypto.pki.FederationPki;
import sluice.crypto.pki.NodeCredentials;
import sluice.crypto.pki.SigningChains;
import sluice.v1.AuditEntry;
import sluice.v1.Decision;
import sluice.v1.ExportChunk;
import sluice.v1.ExportHeader;

/**
 * Segments and retention: the open segment is sealed when large or a day old, with a checkpoint at
 * exactly its end; a sealed segment is archived (compressed, with that checkpoint and the compact
 * range before it) only once its retention has passed, never deleted before; archives verify on
 * their own with {@link BundleVerifier}; the log reopens across archives and segments, and a
 * missing segment stops it from opening.
 */
class SegmentRetentionTest {
  static final NodeId GD = NodeId.parse("prov-44");
  static final String ORIGIN = CheckpointWitness.origin(GD);
  static final Instant T0 = Instant.parse("2026-06-01T08:00:00Z");
  @TempDir Path dir;
  NodeCredentials gd;
  NoteSigner signer;
  ExportHeader header;

  @BeforeEach
  void setUp() throws Exception {
    FederationPki.init(dir.resolve("pki"), List.of(NodeId.NATIONAL, GD), Instant.now().minus(Duration.ofDays(1)),
        Duration.ofDays(30), new SecureRandom());
    gd = NodeCredentials.load(dir.resolve("pki/nodes").resolve(GD.fileName()));
    signer = Sm2NoteKeys.signer(ORIGIN, gd.signingKey(), gd.signingChain().get(0).getPublicKey());
    ExportHeader.Builder h = ExportHeader.newBuilder().setOrigin(ORIGIN).setLogNodeId(GD.toString());
    SigningChains.encode(gd.signingChain()).forEach(d -> h.addSignerChain(ByteString.copyFrom(d)));
    header = h.build();
  }

  AuditLog open(TreeHash hash) throws IOException {
    return AuditLog.open(dir.resolve("audit"), ORIGIN, List.of(signer), CheckpointWitness.NAME,
        AuditLogSettings.defaults().withHash(hash).withSegments(64 << 10, Duration.ofDays(1)), (i, e) -> {});
  }

  /** An entry of about 300 bytes logged at {@code at}. */
  static AuditEntry entry(int i, Instant at) {
    return AuditEntry.newBuilder().setTime(Timestamp.newBuilder().setSeconds(at.getEpochSecond()))
        .setGatewayNodeId("prov-44").setRequestId("r-" + i).setDecision(Decision.PERMIT)
        .setCaseReference("case-" + "x".repeat(250)).build();
  }

  static List<Path> files(Path d) throws IOException {
    if (!Files.isDirectory(d)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(d)) {
      return s.sorted().toList();
    }
  }

  @Test
  void segmentsAreSealedThenArchivedAfterTheirRetentionAndEveryEntryStaysProvable() throws Exception {
    TreeHash hash = TreeHash.SM3;
    long sealedAt;
    Path firstSegment = AuditLog.segmentPath(dir.resolve("audit"), 0);
    byte[] segmentBytes;
    try (AuditLog log = open(hash)) {
      for (int i = 0; i < 100; i++) {
        log.append(entry(i, T0)).get();
      }
      log.maintain(T0.plusSeconds(60), header);
      assertEquals(1, files(dir.resolve("audit/segments")).size(), "30 KB and a minute old: not sealed yet");

      for (int i = 100; i < 300; i++) {
        log.append(entry(i, T0)).get();
      }
      log.maintain(T0.plusSeconds(120), header);
      assertEquals(2, files(dir.resolve("audit/segments")).size(), "over 64 KiB: sealed, a new segment opened");
      sealedAt = log.size();
      assertEquals(300, sealedAt);
      assertEquals(300, Checkpoint.parse(log.latestCheckpoint().text()).size(), "a checkpoint at exactly the seal");

      for (int i = 300; i < 310; i++) {
        log.append(entry(i, T0.plus(Duration.ofDays(1)))).get();
      }
      log.maintain(T0.plus(Duration.ofDays(2)).plusSeconds(1), header);
      assertEquals(3, files(dir.resolve("audit/segments")).size(), "the second segment, a day old, is sealed too");

      log.maintain(T0.plus(Duration.ofDays(179)), header);
      assertEquals(List.of(), files(dir.resolve("audit/archive")), "nothing is archived within 180 days");

      segmentBytes = Files.readAllBytes(firstSegment);
      log.maintain(T0.plus(Duration.ofDays(180)).plusSeconds(121), header);
      List<Path> archived = files(dir.resolve("audit/archive"));
      assertEquals(1, archived.size(), "the first segment is archived after 180 days");
      assertEquals("entries-00000000000000000000-00000000000000000300.bundle.gz", archived.get(0).getFileName().toString());
      assertEquals(2, files(dir.resolve("audit/segments")).size(), "and only its archive replaces it");

      for (int i = 310; i < 320; i++) {
        log.append(entry(i, T0.plus(Duration.ofDays(181)))).get();
      }
      assertArrayEquals(entry(7, T0).toByteArray(), log.entry(7), "an archived entry is still read");
      assertArrayEquals(entry(305, T0.plus(Duration.ofDays(1))).toByteArray(), log.entry(305));
      assertArrayEquals(entry(315, T0.plus(Duration.ofDays(181))).toByteArray(), log.entry(315));
      log.checkpoint();
    }
    // A crash between writing the archive and removing its segment leaves both: opening finishes.
    Files.write(firstSegment, segmentBytes);

    try (AuditLog log = open(hash)) {
      assertFalse(Files.exists(firstSegment), "the archived segment is removed on opening");
      assertEquals(320, log.size(), "the log reopens across its archive and segments");
      List<byte[]> all = new ArrayList<>();
      log.read(320, all::add);
      assertEquals(320, all.size());
      for (int i : new int[] {0, 299, 300, 319}) {
        assertEquals("r-" + i, AuditEntry.parseFrom(all.get(i)).getRequestId());
        assertTrue(MerkleProofs.verifyInclusion(hash, hash.leaf(all.get(i)), i, 320, log.inclusionProof(i, 320),
            log.root(320)), "entry " + i + " is provable");
      }
    }
  }

  @Test
  void anArchiveVerifiesOnItsOwnAndATamperedOneDoesNot() throws Exception {
    for (TreeHash hash : TreeHash.values()) {
      Path archive;
      try (AuditLog log = open(hash)) {
        for (int i = 0; i < 250; i++) {
          log.append(entry(i, T0)).get();
        }
        log.seal();
        for (int i = 250; i < 500; i++) {
          log.append(entry(i, T0)).get();
        }
        log.seal();
        log.maintain(T0.plus(Duration.ofDays(200)), header.toBuilder().setTreeHash(hash.name()).build());
        List<Path> archived = files(dir.resolve("audit/archive"));
        assertEquals(2, archived.size());
        archive = archived.get(1);
      }
      byte[] bytes;
      try (InputStream in = new GZIPInputStream(Files.newInputStream(archive))) {
        bytes = in.readAllBytes();
      }
      BundleVerifier.Report r = BundleVerifier.verify(new ByteArrayInputStream(bytes), gd.trustRoots(), Instant.now());
      assertEquals(250, r.first());
      assertEquals(500, r.end());
      assertEquals(1, r.checkpoints());

      // Change one entry of the archive: the checkpoint no longer matches.
      List<ExportChunk> chunks = new ArrayList<>();
      try (InputStream in = new ByteArrayInputStream(bytes)) {
        for (ExportChunk c; (c = ExportChunk.parseDelimitedFrom(in)) != null; ) {
          chunks.add(c);
        }
      }
      ExportChunk changed = chunks.get(10).toBuilder().setRecord(chunks.get(10).getRecord().toBuilder()
          .setEntry(entry(9999, T0).toByteString())).build();
      chunks.set(10, changed);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (ExportChunk c : chunks) {
        c.writeDelimitedTo(out);
      }
      BundleVerifier.Failure f = assertThrows(BundleVerifier.Failure.class,
          () -> BundleVerifier.verify(new ByteArrayInputStream(out.toByteArray()), gd.trustRoots(), Instant.now()));
      assertTrue(f.getMessage().contains("does not match entries 250..499 and the compact range before them"),
          f.getMessage());
      deleteAll(dir.resolve("audit"));
    }
  }

  @Test
  void aMissingSegmentOrADifferentTreeHashStopsTheLogFromOpening() throws Exception {
    try (AuditLog log = open(TreeHash.SM3)) {
      for (int i = 0; i < 10; i++) {
        log.append(entry(i, T0)).get();
      }
      log.seal();
      for (int i = 10; i < 20; i++) {
        log.append(entry(i, T0)).get();
      }
      log.seal();
      log.append(entry(20, T0)).get();
      log.checkpoint();
    }
    IOException other = assertThrows(IOException.class, () -> open(TreeHash.SHA256).close());
    assertTrue(other.getMessage().contains("or the log's tree hash is not SHA256"), other.getMessage());

    Files.delete(AuditLog.segmentPath(dir.resolve("audit"), 10));
    IOException e = assertThrows(IOException.class, () -> open(TreeHash.SM3).close());
    assertTrue(e.getMessage().contains("begins at entry 20 but the files before it end at entry 9: entries 10..19 were"
        + " lost or removed"), e.getMessage());
  }

  @Test
  void aSealThinsTheCheckpointsToAboutOneWitnessedAMinute() throws Exception {
    NodeCredentials hub = NodeCredentials.load(dir.resolve("pki/nodes").resolve(NodeId.NATIONAL.fileName()));
    NoteSigner witness = Sm2NoteKeys.signer(CheckpointWitness.NAME, hub.signingKey(), hub.signingChain().get(0).getPublicKey());
    try (AuditLog log = open(TreeHash.SM3)) {
      for (int i = 0; i < 300; i++) {
        log.append(entry(i, T0)).get();
        log.witnessed(log.checkpoint().cosign(witness)); // one a second, as a gateway and its hub do
      }
      assertEquals(600, log.checkpoints().size(), "each checkpoint signed and its cosigned copy");
      log.seal();
      List<Long> sizes = log.checkpoints().stream().map(n -> Checkpoint.parse(n.text()).size()).toList();
      assertEquals(List.of(1L, 61L, 121L, 181L, 241L, 300L, 300L), sizes,
          "one witnessed in 60, and the latest signed and witnessed (at the seal)");
      log.append(entry(300, T0)).get();
    }
    try (AuditLog log = open(TreeHash.SM3)) {
      assertEquals(301, log.size());
      assertEquals(300, Checkpoint.parse(log.witnessedCheckpoint().text()).size(), "the latest witnessed is kept");
      assertTrue(log.witnessedCheckpoint().signatures().stream().anyMatch(l -> l.name().equals(CheckpointWitness.NAME)));
    }
  }

  @Test
  void retentionIsAtLeast180Days() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AuditLogSettings.defaults().withRetention(Duration.ofDays(90)));
    assertEquals("audit segments are kept at least 180 days before they are archived, not 90", e.getMessage());
    assertFalse(AuditLogSettings.defaults().withRetention(Duration.ofDays(365)).retention().isNegative());
  }

  static void deleteAll(Path d) throws IOException {
    try (Stream<Path> s = Files.walk(d)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
