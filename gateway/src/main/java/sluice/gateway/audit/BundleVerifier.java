package sluice.gateway.audit;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import sluice.crypto.NodeId;
import sluice.crypto.merkle.Checkpoint;
import sluice.crypto.merkle.MerkleTree;
import sluice.crypto.merkle.TreeHash;
import sluice.crypto.note.NoteVerifier;
import sluice.crypto.note.SignedNote;
import sluice.crypto.note.Sm2NoteKeys;
import sluice.crypto.note.VerifierKeys;
import sluice.crypto.pki.SigningChains;
import sluice.v1.AuditEntry;
import sluice.v1.ExportChunk;
import sluice.v1.ExportHeader;

/**
 * Checks an exported audit bundle offline, with nothing but the federation's root certificate:
 * the gateway's signing chain, every entry in order, and every checkpoint's signatures (SM2, and
 * Ed25519 when the bundle names that key; the hub's cosignature when it carries the hub's chain)
 * and root over the entries before it. It says exactly which entry or checkpoint fails. A bundle
 * of one archived segment starts later in the log, from the compact range of the entries before
 * it, and is checked the same way.
 */
public final class BundleVerifier {
  private BundleVerifier() {}

  /** What a bundle proved: entries {@code first} up to (not including) {@code end} of the log. */
  public record Report(String origin, long first, long end, int checkpoints, int witnessed) {
    public long entries() {
      return end - first;
    }
  }

  /** Why a bundle does not verify. */
  public static final class Failure extends Exception {
    public Failure(String message) {
      super(message);
    }
  }

  /**
   * Reads a bundle (length-delimited {@link ExportChunk}s) from {@code in}.
   *
   * @throws Failure naming the first entry or checkpoint that fails
   */
  public static Report verify(InputStream in, Collection<X509Certificate> roots, Instant at) throws Failure, IOException {
    ExportChunk opening = read(in);
    if (opening == null || !opening.hasHeader()) {
      throw new Failure("the bundle does not start with its header");
    }
    ExportHeader h = opening.getHeader();
    TreeHash hash;
    try {
      hash = TreeHash.valueOf(h.getTreeHash());
    } catch (IllegalArgumentException e) {
      throw new Failure("the bundle's tree hash \"" + h.getTreeHash() + "\" is neither SM3 nor SHA256");
    }
    NoteVerifier sm2;
    try {
      List<X509Certificate> chain = SigningChains.parse(h.getSignerChainList().stream().map(b -> b.toByteArray()).toList());
      NodeId node = SigningChains.validate(chain, roots, at);
      String expected;
      try {
        expected = new LogName(node, h.getLogInstance()).origin();
      } catch (IllegalArgumentException e) {
        throw new Failure("the bundle's log_instance: " + e.getMessage());
      }
      if (!expected.equals(h.getOrigin())) {
        throw new Failure("the signing certificate is " + node + "'s, but the log is " + h.getOrigin());
      }
      sm2 = Sm2NoteKeys.verifier(h.getOrigin(), chain.get(0).getPublicKey());
    } catch (CertificateException e) {
      throw new Failure("the gateway's signing certificate: " + e.getMessage());
    }
    NoteVerifier ed25519 = null;
    if (!h.getEd25519VerifierKey().isEmpty()) {
      try {
        ed25519 = VerifierKeys.parse(h.getEd25519VerifierKey());
      } catch (IllegalArgumentException e) {
        throw new Failure("the bundle's Ed25519 key: " + e.getMessage());
      }
      if (!ed25519.key().name().equals(h.getOrigin())) {
        throw new Failure("the bundle's Ed25519 key is named " + ed25519.key().name() + ", not " + h.getOrigin());
      }
    }
    NoteVerifier witness = null;
    if (h.getWitnessChainCount() > 0) {
      try {
        List<X509Certificate> chain = SigningChains.parse(h.getWitnessChainList().stream().map(b -> b.toByteArray()).toList());
        if (!SigningChains.validate(chain, roots, at).isHub()) {
          throw new Failure("the witness certificate is not the national hub's");
        }
        witness = Sm2NoteKeys.verifier(CheckpointWitness.NAME, chain.get(0).getPublicKey());
      } catch (CertificateException e) {
        throw new Failure("the witness's signing certificate: " + e.getMessage());
      }
    }

    long first = h.getFirstIndex();
    MerkleTree tree;
    try {
      tree = MerkleTree.extending(hash, first, h.getFrontierList().stream().map(b -> b.toByteArray()).toList());
    } catch (IllegalArgumentException e) {
      throw new Failure("the bundle's compact range before entry " + first + ": " + e.getMessage());
    }
    long lastGood = first;
    int checkpoints = 0;
    int witnessed = 0;
    ExportChunk c;
    while ((c = read(in)) != null) {
      if (c.hasRecord()) {
        if (checkpoints > 0) {
          throw new Failure("entry " + c.getRecord().getIndex() + " comes after the checkpoints; the bundle is out of order");
        }
        long expected = tree.size();
        long index = c.getRecord().getIndex();
        if (index != expected) {
          throw new Failure(index > expected
              ? "entry " + expected + " is missing: " + (expected == first ? "the bundle starts at entry " + index
                  : "after entry " + (expected - 1) + " comes entry " + index)
              : "entry " + index + " appears again (or out of order) after entry " + (expected - 1));
        }
        byte[] entry = c.getRecord().getEntry().toByteArray();
        try {
          AuditEntry.parseFrom(entry);
        } catch (InvalidProtocolBufferException e) {
          throw new Failure("entry " + index + " is not an audit entry: " + e.getMessage());
        }
        tree.append(entry);
      } else if (c.hasCheckpoint()) {
        checkpoints++;
        SignedNote note;
        Checkpoint cp;
        try {
          note = SignedNote.parse(c.getCheckpoint().getNote());
          cp = Checkpoint.parse(note.text());
        } catch (IllegalArgumentException e) {
          throw new Failure("checkpoint " + checkpoints + " is malformed: " + e.getMessage());
        }
        String which = "the checkpoint at size " + cp.size();
        if (!cp.origin().equals(h.getOrigin())) {
          throw new Failure(which + " is for log " + cp.origin() + ", not " + h.getOrigin());
        }
        try {
          // The SM2 signature must verify; so must the Ed25519 one when the bundle names that key.
          if (note.verify(ed25519 == null ? List.of(sm2) : List.of(sm2, ed25519)).size() < (ed25519 == null ? 1 : 2)) {
            throw new Failure(which + " lacks a signature of " + h.getOrigin() + " (SM2 and Ed25519)");
          }
        } catch (IllegalArgumentException e) {
          throw new Failure(which + " is not signed by " + h.getLogNodeId() + ": " + e.getMessage());
        }
        if (witness != null && note.signatures().stream().anyMatch(l -> l.name().equals(CheckpointWitness.NAME))) {
          try {
            note.verify(List.of(witness));
            witnessed++;
          } catch (IllegalArgumentException e) {
            throw new Failure(which + ": the hub's cosignature does not verify");
          }
        }
        if (cp.size() <= first) {
          throw new Failure(which + " ends before the bundle's first entry " + first + "; it cannot be checked here");
        }
        if (cp.size() > tree.size()) {
          throw new Failure(which + " covers entries the bundle does not hold: it holds " + tree.size()
              + " (entries " + tree.size() + ".." + (cp.size() - 1) + " were removed)");
        }
        if (!TreeHash.same(tree.root(cp.size()), cp.root())) {
          throw new Failure(which + " does not match entries " + first + ".." + (cp.size() - 1)
              + (first > 0 ? " and the compact range before them" : "") + "; the checkpoint before it (size "
              + lastGood + ") does, so an entry between " + lastGood + " and " + (cp.size() - 1)
              + " was altered, removed or reordered");
        }
        lastGood = Math.max(lastGood, cp.size());
      } else {
        throw new Failure("the bundle holds a second header");
      }
    }
    if (checkpoints == 0 && tree.size() > first) {
      throw new Failure("the bundle holds " + (tree.size() - first) + " entries but no checkpoint vouches for them");
    }
    if (lastGood != tree.size()) {
      throw new Failure("entries " + lastGood + ".." + (tree.size() - 1) + " are covered by no checkpoint");
    }
    if (h.getTreeSize() != tree.size()) {
      throw new Failure("the header says " + h.getTreeSize() + " entries; the bundle holds " + tree.size());
    }
    return new Report(h.getOrigin(), first, tree.size(), checkpoints, witnessed);
  }

  private static ExportChunk read(InputStream in) throws IOException, Failure {
    try {
      return ExportChunk.parseDelimitedFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw new Failure("the bundle is damaged: " + e.getMessage());
    }
  }
}
