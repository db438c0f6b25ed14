package sluice.gateway.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import sluice.crypto.NodeId;
import sluice.crypto.merkle.Checkpoint;
import sluice.crypto.merkle.MerkleProofs;
import sluice.crypto.merkle.TreeHash;
import sluice.crypto.note.NoteSigner;
import sluice.crypto.note.SignedNote;
import sluice.crypto.note.Sm2NoteKeys;
import sluice.crypto.pki.SigningChains;

/**
 * The national hub as witness of the provincial gateways' audit logs: it accepts a gateway's
 * checkpoint only when the gateway signed it, and it extends the last checkpoint the hub
 * witnessed for that log (a consistency proof from there); then it cosigns it and remembers it.
 * A checkpoint that does not extend the last one is a fork: refused, and kept as evidence.
 *
 * <pre>
 * dir/&lt;log&gt;.checkpoint   the last checkpoint witnessed for each log, cosigned (&lt;log&gt; is the
 *                         node's file name, with @instance for one instance's log)
 * dir/&lt;log&gt;.forks        every conflicting checkpoint offered, as received
 * dir/&lt;log&gt;.treehash     the tree hash the log uses (it may not change)
 * </pre>
 *
 * The first checkpoint of a log the hub has never seen is accepted on its signature alone.
 */
public final class CheckpointWitness {
  /** The witness's key name in cosignatures. */
  public static final String NAME = "sluice.witness/national";

  private final Path dir;
  private final NoteSigner signer;
  private final List<X509Certificate> roots;
  private final Clock clock;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  /** Why a checkpoint was not witnessed. */
  public static final class Refusal extends Exception {
    /** The size the hub witnessed last, when the proof started elsewhere; else -1. */
    public final long witnessedSize;
    public final boolean fork;

    Refusal(String message, long witnessedSize, boolean fork) {
      super(message);
      this.witnessedSize = witnessedSize;
      this.fork = fork;
    }
  }

  public CheckpointWitness(Path dir, NoteSigner signer, List<X509Certificate> roots, Clock clock) throws IOException {
    this.dir = Files.createDirectories(dir);
    this.signer = signer;
    this.roots = List.copyOf(roots);
    this.clock = clock;
  }

  /** The origin of the audit log of {@code node} run as one instance. */
  public static String origin(NodeId node) {
    return LogName.of(node).origin();
  }

  /**
   * Witnesses {@code note}, a checkpoint of {@code peer}'s log, or of the log of one of its
   * instances (a tree of {@code hash}), signed by
   * the key {@code chain} certifies, extending the last witnessed size by {@code proof} (from
   * {@code proofFrom}).
   *
   * @return the note with the hub's cosignature
   * @throws Refusal saying why not
   */
  public SignedNote witness(NodeId peer, TreeHash hash, String note, List<X509Certificate> chain, long proofFrom, List<byte[]> proof)
      throws Refusal, IOException {
    SignedNote signed;
    Checkpoint c;
    try {
      signed = SignedNote.parse(note);
      c = Checkpoint.parse(signed.text());
    } catch (IllegalArgumentException e) {
      throw new Refusal("not a checkpoint note: " + e.getMessage(), -1, false);
    }
    String origin = c.origin();
    LogName log;
    try {
      log = LogName.fromOrigin(origin);
    } catch (IllegalArgumentException e) {
      log = null;
    }
    if (log == null || !log.node().equals(peer)) {
      throw new Refusal(peer + " may have only its own logs witnessed (" + origin(peer) + ", or " + origin(peer)
          + "@INSTANCE for one of its instances), not " + origin, -1, false);
    }
    try {
      NodeId signerNode = SigningChains.validate(chain, roots, clock.instant());
      if (!signerNode.equals(peer)) {
        throw new Refusal("the signing certificate is " + signerNode + "'s, not " + peer + "'s", -1, false);
      }
      signed.verify(List.of(Sm2NoteKeys.verifier(origin, chain.get(0).getPublicKey())));
    } catch (CertificateException | IllegalArgumentException e) {
      throw new Refusal("the checkpoint of " + origin + " is not signed by " + peer + ": " + e.getMessage(), -1, false);
    }
    synchronized (locks.computeIfAbsent(origin, k -> new Object())) {
      Path last = dir.resolve(log.fileName() + ".checkpoint");
      Path hashFile = dir.resolve(log.fileName() + ".treehash");
      if (Files.exists(hashFile)) {
        String was = Files.readString(hashFile).strip();
        if (!was.equals(hash.name())) {
          throw new Refusal(origin + " is a tree of " + was + "; a checkpoint of it cannot be checked as " + hash.name(),
              -1, false);
        }
      } else {
        Files.writeString(hashFile, hash.name() + "\n");
      }
      if (Files.exists(last)) {
        Checkpoint before = Checkpoint.parse(SignedNote.parse(Files.readString(last)).text());
        if (c.size() < before.size()) {
          fork(log, note);
          throw new Refusal("fork: " + origin + " offers size " + c.size() + " after the hub witnessed size "
              + before.size() + "; a log never shrinks", before.size(), true);
        }
        if (proofFrom != before.size()) {
          throw new Refusal("the consistency proof starts at size " + proofFrom + "; the hub last witnessed "
              + before.size(), before.size(), false);
        }
        if (!MerkleProofs.verifyConsistency(hash, before.size(), c.size(), proof, before.root(), c.root())) {
          fork(log, note);
          throw new Refusal("fork: the checkpoint of " + origin + " at size " + c.size()
              + " does not extend the one the hub witnessed at size " + before.size()
              + ": its history was rewritten", before.size(), true);
        }
      }
      SignedNote cosigned = signed.cosign(signer);
      Path tmp = dir.resolve(log.fileName() + ".checkpoint.tmp");
      Files.writeString(tmp, cosigned.format());
      Files.move(tmp, last, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return cosigned;
    }
  }

  /** The last checkpoint witnessed for {@code log}, if any. */
  public java.util.Optional<SignedNote> last(LogName log) throws IOException {
    Path last = dir.resolve(log.fileName() + ".checkpoint");
    return Files.exists(last) ? java.util.Optional.of(SignedNote.parse(Files.readString(last))) : java.util.Optional.empty();
  }

  private void fork(LogName log, String note) throws IOException {
    Files.writeString(dir.resolve(log.fileName() + ".forks"), note + "\n",
        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
