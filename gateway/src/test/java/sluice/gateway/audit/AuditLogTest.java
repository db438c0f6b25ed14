package sluice.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32C;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.merkle.Checkpoint;
import sluice.crypto.merkle.MerkleProofs;
import sluice.crypto.merkle.TreeHash;
import sluice.crypto.note.Ed25519NoteKeys;
import sluice.crypto.note.SignedNote;
import sluice.v1.AuditEntry;
import sluice.v1.Decision;

class AuditLogTest {
  static final String ORIGIN = "sluice.audit/prov-44";
  final Ed25519PrivateKeyParameters key = Ed25519NoteKeys.generate(new SecureRandom());
  @TempDir Path dir;

  AuditLog open(List<Long> heard) throws IOException {
    return AuditLog.open(dir, ORIGIN, List.of(Ed25519NoteKeys.signer(ORIGIN, key)), CheckpointWitness.NAME,
        AuditLogSettings.defaults().withBatches(256, Duration.ZERO), (i, e) -> heard.add(i));
  }

  static AuditEntry entry(int i) {
    return AuditEntry.newBuilder().setGatewayNodeId("prov-44").setRequestId("r-" + i).setDecision(Decision.PERMIT)
        .setResourceCode("3-44-002-001-000001").build();
  }

  @Test
  void entriesSurviveReopeningAndTheirCheckpointsAndProofsVerify() throws Exception {
    List<Long> heard = new ArrayList<>();
    SignedNote note;
    byte[] root;
    try (AuditLog log = open(heard)) {
      List<CompletableFuture<Long>> acks = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        acks.add(log.append(entry(i)));
      }
      for (int i = 0; i < 300; i++) {
        assertEquals(i, acks.get(i).get(), "indexes follow append order");
      }
      assertEquals(300, log.size());
      note = log.checkpoint();
      root = log.root(300);
      assertTrue(log.fsyncs() < 300, "appends share fsyncs: " + log.fsyncs());
    }
    assertEquals(300, heard.size(), "the index hears every durable entry");
    note.verify(List.of(Ed25519NoteKeys.verifier(ORIGIN, key.generatePublicKey())));
    Checkpoint c = Checkpoint.parse(note.text());
    assertEquals(300, c.size());
    assertArrayEquals(root, c.root());

    List<Long> replayed = new ArrayList<>();
    try (AuditLog log = open(replayed)) {
      assertEquals(300, log.size());
      assertEquals(300, replayed.size(), "reopening hands every entry to the index");
      assertEquals(note.format(), log.latestCheckpoint().format());
      assertTrue(MerkleProofs.verifyInclusion(TreeHash.SM3, TreeHash.SM3.leaf(entry(123).toByteArray()), 123, 300,
          log.inclusionProof(123, 300), c.root()));
      log.append(entry(300)).get();
      SignedNote next = log.checkpoint();
      Checkpoint c2 = Checkpoint.parse(next.text());
      assertTrue(MerkleProofs.verifyConsistency(TreeHash.SM3, 300, 301, log.consistencyProof(300, 301), c.root(), c2.root()));
      List<byte[]> read = new ArrayList<>();
      log.read(301, read::add);
      assertArrayEquals(entry(42).toByteArray(), read.get(42));
      assertArrayEquals(entry(42).toByteArray(), log.entry(42), "an entry from before reopening, read where it lies");
      assertArrayEquals(entry(300).toByteArray(), log.entry(300), "and one appended since");
      assertThrows(IllegalArgumentException.class, () -> log.entry(301));
      assertEquals(2, log.checkpoints().size());
    }
  }

  /** Rewrites record {@code n} of a segment file with {@code replacement}, fixing its length and checksum. */
  static void rewrite(Path file, int n, byte[] replacement) throws IOException {
    List<byte[]> records = new ArrayList<>();
    AppendLog.read(file, Long.MAX_VALUE, records::add);
    records.set(n, replacement);
    writeRecords(file, records);
  }

  static void writeRecords(Path file, List<byte[]> records) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
      for (byte[] r : records) {
        CRC32C crc = new CRC32C();
        crc.update(r);
        ch.write(ByteBuffer.allocate(8 + r.length).putInt(r.length).putInt((int) crc.getValue()).put(r).flip());
      }
    }
  }

  void fill(int n) throws Exception {
    try (AuditLog log = open(new ArrayList<>())) {
      for (int i = 0; i < n; i++) {
        log.append(entry(i)).get();
      }
      log.checkpoint();
    }
  }

  @Test
  void anEditedEntryStopsTheLogFromOpening() throws Exception {
    fill(20);
    rewrite(AuditLog.segmentPath(dir, 0), 7, entry(7).toBuilder().setDecision(Decision.DENY).build().toByteArray());
    IOException e = assertThrows(IOException.class, () -> open(new ArrayList<>()));
    assertTrue(e.getMessage().contains("entries were altered"), e.getMessage());
  }

  @Test
  void removedOrReorderedEntriesStopTheLogFromOpening() throws Exception {
    fill(20);
    Path file = AuditLog.segmentPath(dir, 0);
    List<byte[]> records = new ArrayList<>();
    AppendLog.read(file, Long.MAX_VALUE, records::add);
    List<byte[]> reordered = new ArrayList<>(records);
    reordered.set(3, records.get(4));
    reordered.set(4, records.get(3));
    writeRecords(file, reordered);
    assertTrue(assertThrows(IOException.class, () -> open(new ArrayList<>())).getMessage().contains("altered"));

    List<byte[]> shorter = new ArrayList<>(records);
    shorter.remove(19);
    writeRecords(file, shorter);
    IOException e = assertThrows(IOException.class, () -> open(new ArrayList<>()));
    assertTrue(e.getMessage().contains("holds 19 entries but its checkpoint covers 20"), e.getMessage());
  }

  @Test
  void aTornTailAfterTheLastCheckpointIsCut() throws Exception {
    fill(10);
    Files.write(AuditLog.segmentPath(dir, 0), new byte[] {0, 0, 0, 50, 1, 2}, StandardOpenOption.APPEND);
    try (AuditLog log = open(new ArrayList<>())) {
      assertEquals(10, log.size());
      assertEquals(10, log.append(entry(10)).get());
    }
  }

  @Test
  void aClosedLogRefusesAppends() throws Exception {
    AuditLog log = open(new ArrayList<>());
    log.close();
    assertTrue(assertThrows(Exception.class, () -> log.append(entry(0)).get()).getMessage().contains("closed"));
  }

  /** A log has one writer: a second opening of the same folder is refused until the first closes. */
  @Test
  void aLogOpenOnceCannotBeOpenedAgainUntilClosed() throws Exception {
    try (AuditLog first = open(new ArrayList<>())) {
      first.append(entry(0)).get();
      IOException e = assertThrows(IOException.class, () -> open(new ArrayList<>()));
      assertTrue(e.getMessage().contains("this audit log is open in another process"), e.getMessage());
    }
    try (AuditLog again = open(new ArrayList<>())) {
      assertTrue(again.size() >= 1, "reopened after the first closed");
    }
  }
}
