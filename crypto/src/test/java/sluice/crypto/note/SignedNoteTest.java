package sluice.crypto.note;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.junit.jupiter.api.Test;
import sluice.crypto.Sm2;
import sluice.crypto.merkle.Checkpoint;
import sluice.crypto.merkle.MerkleProofs;
import sluice.crypto.merkle.MerkleTree;
import sluice.crypto.merkle.TreeHash;

/**
 * Signed notes against the Go reference implementation's published example (golang.org/x/mod/
 * sumdb/note: the PeterNeumann key and note), and checkpoints signed with SM2 and Ed25519.
 */
class SignedNoteTest {
  static final String TEXT = "If you think cryptography is the answer to your problem,\n"
      + "then you don't know what your problem is.\n";
  static final String NOTE = TEXT + "\n\u2014 PeterNeumann "
      + "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
  /** The verifier key PeterNeumann+c74f20a3+ARpc..., type byte 0x01 then the public key. */
  static final byte[] PUBLIC = Arrays.copyOfRange(
      Base64.getDecoder().decode("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"), 1, 33);
  /** The signer key PRIVATE+KEY+PeterNeumann+c74f20a3+AYEK..., type byte 0x01 then the seed. */
  static final byte[] SEED = Arrays.copyOfRange(
      Base64.getDecoder().decode("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"), 1, 33);

  @Test
  void theGoReferenceNoteIsReproducedAndVerified() {
    NoteSigner signer = Ed25519NoteKeys.signer("PeterNeumann", new Ed25519PrivateKeyParameters(SEED, 0));
    assertEquals(0xc74f20a3, signer.key().keyId(), "the key ID as the reference computes it");
    assertEquals(NOTE, SignedNote.sign(TEXT, List.of(signer)).format(), "byte for byte");
    NoteVerifier verifier = Ed25519NoteKeys.verifier("PeterNeumann", new Ed25519PublicKeyParameters(PUBLIC, 0));
    SignedNote parsed = SignedNote.parse(NOTE);
    assertEquals(TEXT, parsed.text());
    assertEquals(List.of(verifier.key()), parsed.verify(List.of(verifier)));

    SignedNote altered = SignedNote.parse(NOTE.replace("your problem is", "your problem was"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> altered.verify(List.of(verifier))).getMessage()
        .contains("does not verify"));
    NoteVerifier stranger = Ed25519NoteKeys.verifier("someone.example/else",
        Ed25519NoteKeys.generate(new SecureRandom()).generatePublicKey());
    assertEquals("no signature from a trusted key",
        assertThrows(IllegalArgumentException.class, () -> parsed.verify(List.of(stranger))).getMessage());
    assertThrows(IllegalArgumentException.class, () -> SignedNote.parse(TEXT));
    assertThrows(IllegalArgumentException.class, () -> SignedNote.parse(TEXT + "\n- PeterNeumann AAAA\n"));
  }

  @Test
  void aCheckpointSignedWithSm2AndEd25519VerifiesAndAWitnessSeesConsistency() {
    SecureRandom random = new SecureRandom();
    KeyPair sm2 = Sm2.generateKeyPair(random);
    Ed25519PrivateKeyParameters ed = Ed25519NoteKeys.generate(random);
    String origin = "sluice.example/prov-44/audit";
    NoteSigner log = Sm2NoteKeys.signer(origin, sm2.getPrivate(), sm2.getPublic());
    NoteSigner logEd = Ed25519NoteKeys.signer(origin, ed);

    MerkleTree tree = new MerkleTree(TreeHash.SM3);
    for (int i = 0; i < 5; i++) {
      tree.append(("entry " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    Checkpoint first = new Checkpoint(origin, tree.size(), tree.root(tree.size()));
    SignedNote note = SignedNote.sign(first.text(), List.of(log, logEd));
    String wire = note.format();

    List<NoteVerifier> national = List.of(Sm2NoteKeys.verifier(origin, sm2.getPublic()));
    SignedNote received = SignedNote.parse(wire);
    assertEquals(1, received.verify(national).size(), "the Ed25519 line is ignored by a verifier that does not know it");
    assertEquals(2, received.verify(List.of(national.get(0), Ed25519NoteKeys.verifier(origin, ed.generatePublicKey())))
        .size());
    Checkpoint read = Checkpoint.parse(received.text());
    assertEquals(5, read.size());
    assertTrue(Arrays.equals(tree.root(5), read.root()));

    // The witness (the national hub) cosigns a newer checkpoint only if it extends the old one.
    for (int i = 5; i < 9; i++) {
      tree.append(("entry " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    Checkpoint next = new Checkpoint(origin, tree.size(), tree.root(tree.size()));
    assertTrue(MerkleProofs.verifyConsistency(TreeHash.SM3, read.size(), next.size(),
        tree.consistencyProof(read.size(), next.size()), read.root(), next.root()));
    KeyPair hub = Sm2.generateKeyPair(random);
    SignedNote cosigned = SignedNote.sign(next.text(), List.of(log))
        .cosign(Sm2NoteKeys.signer("sluice.example/national", hub.getPrivate(), hub.getPublic()));
    assertEquals(2, SignedNote.parse(cosigned.format()).verify(List.of(national.get(0),
        Sm2NoteKeys.verifier("sluice.example/national", hub.getPublic()))).size());

    String tampered = wire.replace("\n5\n", "\n6\n");
    assertThrows(IllegalArgumentException.class, () -> SignedNote.parse(tampered).verify(national));
    assertThrows(IllegalArgumentException.class, () -> Checkpoint.parse("origin\n05\nAAAA\n"), "non-canonical size");
  }
}
