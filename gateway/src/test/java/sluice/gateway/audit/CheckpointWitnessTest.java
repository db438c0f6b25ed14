package sluice.gateway.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.NodeId;
import sluice.crypto.merkle.Checkpoint;
import sluice.crypto.merkle.MerkleTree;
import sluice.crypto.merkle.TreeHash;
import sluice.crypto.note.NoteSigner;
import sluice.crypto.note.SignedNote;
import sluice.crypto.note.Sm2NoteKeys;
import sluice.crypto.pki.FederationPki;
import sluice.crypto.pki.NodeCredentials;

class CheckpointWitnessTest {
  static final NodeId GD = NodeId.parse("prov-44");
  static final NodeId BJ = NodeId.parse("prov-11");
  @TempDir Path dir;
  NodeCredentials national;
  NodeCredentials gd;
  NodeCredentials bj;
  CheckpointWitness witness;

  @BeforeEach
  void setUp() throws Exception {
    FederationPki.init(dir.resolve("pki"), List.of(NodeId.NATIONAL, GD, BJ), Instant.now().minus(Duration.ofDays(1)),
        Duration.ofDays(30), new SecureRandom());
    national = NodeCredentials.load(dir.resolve("pki/nodes").resolve(NodeId.NATIONAL.fileName()));
    gd = NodeCredentials.load(dir.resolve("pki/nodes").resolve(GD.fileName()));
    bj = NodeCredentials.load(dir.resolve("pki/nodes").resolve(BJ.fileName()));
    witness = new CheckpointWitness(dir.resolve("witnessed"), signer(national, CheckpointWitness.NAME),
        national.trustRoots(), Clock.systemUTC());
  }

  static NoteSigner signer(NodeCredentials c, String name) {
    return Sm2NoteKeys.signer(name, c.signingKey(), c.signingChain().get(0).getPublicKey());
  }

  static MerkleTree tree(String prefix, int n) {
    return tree(TreeHash.SM3, prefix, n);
  }

  static MerkleTree tree(TreeHash hash, String prefix, int n) {
    MerkleTree t = new MerkleTree(hash);
    for (int i = 0; i < n; i++) {
      t.append((prefix + i).getBytes());
    }
    return t;
  }

  String checkpoint(NodeCredentials by, NodeId log, MerkleTree t, long size) {
    String origin = CheckpointWitness.origin(log);
    return SignedNote.sign(new Checkpoint(origin, size, t.root(size)).text(), List.of(signer(by, origin))).format();
  }

  String checkpoint(NodeCredentials by, LogName log, MerkleTree t, long size) {
    String origin = log.origin();
    return SignedNote.sign(new Checkpoint(origin, size, t.root(size)).text(), List.of(signer(by, origin))).format();
  }

  /**
   * The instances of a gateway run as several keep logs of their own: each is witnessed on its
   * own (one instance's history is no fork of another's), and only the gateway's own certificate
   * has its instances' logs witnessed.
   */
  @Test
  void eachInstanceLogIsWitnessedOnItsOwn() throws Exception {
    LogName a = new LogName(GD, "a");
    LogName b = new LogName(GD, "b");
    MerkleTree ta = tree("a", 30);
    MerkleTree tb = tree("b", 20);
    witness.witness(GD, TreeHash.SM3, checkpoint(gd, a, ta, 30), gd.signingChain(), 0, List.of());
    SignedNote cb = witness.witness(GD, TreeHash.SM3, checkpoint(gd, b, tb, 20), gd.signingChain(), 0, List.of());
    cb.verify(List.of(Sm2NoteKeys.verifier(CheckpointWitness.NAME, national.signingChain().get(0).getPublicKey())));
    assertEquals(30, Checkpoint.parse(witness.last(a).orElseThrow().text()).size());
    assertEquals(20, Checkpoint.parse(witness.last(b).orElseThrow().text()).size());
    assertTrue(witness.last(LogName.of(GD)).isEmpty(), "the node's own unnamed log is another log");
    // b's tree offered as a's is a fork of a.
    MerkleTree tb40 = tree("b", 40);
    CheckpointWitness.Refusal fork = assertThrows(CheckpointWitness.Refusal.class, () ->
        witness.witness(GD, TreeHash.SM3, checkpoint(gd, a, tb40, 40), gd.signingChain(), 30, tb40.consistencyProof(30, 40)));
    assertTrue(fork.fork, fork.getMessage());
    assertTrue(Files.exists(dir.resolve("witnessed").resolve("prov-44@a.forks")));
    // Beijing may not have Guangdong's instances witnessed.
    CheckpointWitness.Refusal foreign = assertThrows(CheckpointWitness.Refusal.class, () ->
        witness.witness(BJ, TreeHash.SM3, checkpoint(bj, new LogName(GD, "c"), tb, 20), bj.signingChain(), 0, List.of()));
    assertTrue(foreign.getMessage().contains("only its own logs"), foreign.getMessage());
  }

  @Test
  void extendingCheckpointsAreCosignedAndAForkIsRefusedAndKept() throws Exception {
    MerkleTree t = tree("e", 50);
    SignedNote first = witness.witness(GD, TreeHash.SM3, checkpoint(gd, GD, t, 10), gd.signingChain(), 0, List.of());
    first.verify(List.of(Sm2NoteKeys.verifier(CheckpointWitness.NAME, national.signingChain().get(0).getPublicKey())));
    first.verify(List.of(Sm2NoteKeys.verifier(CheckpointWitness.origin(GD), gd.signingChain().get(0).getPublicKey())));
    SignedNote second = witness.witness(GD, TreeHash.SM3, checkpoint(gd, GD, t, 50), gd.signingChain(), 10, t.consistencyProof(10, 50));
    assertEquals(50, Checkpoint.parse(second.text()).size());

    // The proof starts where the hub did not witness: it says where to start.
    MerkleTree longer = tree("e", 60);
    CheckpointWitness.Refusal start = assertThrows(CheckpointWitness.Refusal.class, () ->
        witness.witness(GD, TreeHash.SM3, checkpoint(gd, GD, longer, 60), gd.signingChain(), 10, longer.consistencyProof(10, 60)));
    assertEquals(50, start.witnessedSize);

    // A rewritten history: entries 0..49 changed, then grown to 60.
    MerkleTree forged = tree("x", 60);
    CheckpointWitness.Refusal fork = assertThrows(CheckpointWitness.Refusal.class, () ->
        witness.witness(GD, TreeHash.SM3, checkpoint(gd, GD, forged, 60), gd.signingChain(), 50, forged.consistencyProof(50, 60)));
    assertTrue(fork.fork && fork.getMessage().contains("fork"), fork.getMessage());
    assertTrue(Files.readString(dir.resolve("witnessed").resolve(GD.fileName() + ".forks")).contains("sluice.audit/prov-44\n60\n"),
        "the conflicting checkpoint is kept as evidence");
    // A log that shrinks is a fork too.
    assertTrue(assertThrows(CheckpointWitness.Refusal.class, () ->
        witness.witness(GD, TreeHash.SM3, checkpoint(gd, GD, t, 40), gd.signingChain(), 50, List.of())).fork);
    assertEquals(50, Checkpoint.parse(witness.last(LogName.of(GD)).orElseThrow().text()).size(), "the witness keeps the last good one");
  }

  @Test
  void onlyTheLogsOwnGatewayGetsItsCheckpointWitnessed() {
    MerkleTree t = tree("e", 5);
    // prov-11 signs a checkpoint claiming to be prov-44's log.
    assertThrows(CheckpointWitness.Refusal.class, () ->
        witness.witness(BJ, TreeHash.SM3, checkpoint(bj, GD, t, 5), bj.signingChain(), 0, List.of()));
    // prov-44's checkpoint presented by prov-11's connection.
    assertThrows(CheckpointWitness.Refusal.class, () ->
        witness.witness(BJ, TreeHash.SM3, checkpoint(gd, GD, t, 5), gd.signingChain(), 0, List.of()));
    // Signed with prov-11's key but presented with prov-44's chain.
    CheckpointWitness.Refusal forged = assertThrows(CheckpointWitness.Refusal.class, () ->
        witness.witness(GD, TreeHash.SM3, checkpoint(bj, GD, t, 5), gd.signingChain(), 0, List.of()));
    assertTrue(forged.getMessage().contains("not signed by prov-44"), forged.getMessage());
  }

  @Test
  void aSha256LogIsWitnessedInItsOwnHashAndMayNotSwitch() throws Exception {
    MerkleTree t = tree(TreeHash.SHA256, "e", 30);
    witness.witness(GD, TreeHash.SHA256, checkpoint(gd, GD, t, 10), gd.signingChain(), 0, List.of());
    SignedNote next = witness.witness(GD, TreeHash.SHA256, checkpoint(gd, GD, t, 30), gd.signingChain(), 10,
        t.consistencyProof(10, 30));
    assertEquals(30, Checkpoint.parse(next.text()).size(), "the consistency proof is checked in SHA-256");
    MerkleTree sm3 = tree(TreeHash.SM3, "e", 40);
    CheckpointWitness.Refusal switched = assertThrows(CheckpointWitness.Refusal.class, () ->
        witness.witness(GD, TreeHash.SM3, checkpoint(gd, GD, sm3, 40), gd.signingChain(), 30, sm3.consistencyProof(30, 40)));
    assertEquals("sluice.audit/prov-44 is a tree of SHA256; a checkpoint of it cannot be checked as SM3",
        switched.getMessage());
  }
}
