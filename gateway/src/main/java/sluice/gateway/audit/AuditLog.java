package sluice.gateway.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import sluice.crypto.merkle.Checkpoint;
import sluice.crypto.merkle.MerkleTree;
import sluice.crypto.merkle.TreeHash;
import sluice.crypto.note.NoteSigner;
import sluice.crypto.note.SignedNote;
import sluice.v1.AuditEntry;

/**
 * A gateway's tamper-evident audit log: entries appended durably with group commit
 * ({@link AppendLog}), a Merkle tree over them (RFC 9162), and signed checkpoints of that tree
 * (c2sp.org/tlog-checkpoint) kept in a second durable file with the hub's cosignatures as they
 * come back.
 *
 * <pre>
 * dir/entries.log       one record per entry: a serialized AuditEntry (the leaf data)
 * dir/checkpoints.log   one record per signed checkpoint note, oldest first
 * </pre>
 *
 * <p>On opening, the tree is rebuilt from the entries and checked against the latest checkpoint:
 * a log holding fewer entries than its checkpoint covers, or whose entries no longer produce the
 * checkpoint's root, does not open. Thread-safe.
 */
public final class AuditLog implements AutoCloseable {
  public static final String ENTRIES = "entries.log";
  public static final String CHECKPOINTS = "checkpoints.log";

  /** Hears each entry once durable (and, at opening, each entry already in the log), in index order. */
  public interface Listener {
    void entry(long index, byte[] entry);
  }

  private final String origin;
  private final MerkleTree tree;
  private final List<NoteSigner> signers;
  private final AppendLog entries;
  private final AppendLog checkpoints;
  private final Path dir;
  private SignedNote latest;
  private SignedNote witnessed;

  private AuditLog(
      Path dir, String origin, MerkleTree tree, List<NoteSigner> signers, AppendLog entries, AppendLog checkpoints,
      SignedNote latest, SignedNote witnessed) {
    this.dir = dir;
    this.origin = origin;
    this.tree = tree;
    this.signers = List.copyOf(signers);
    this.entries = entries;
    this.checkpoints = checkpoints;
    this.latest = latest;
    this.witnessed = witnessed;
  }

  /**
   * Opens (or creates) the log in {@code dir}.
   *
   * @param origin the checkpoint origin, e.g. {@code sluice.audit/prov-44}
   * @param signers the keys that sign this log's checkpoints (at least one)
   * @param witness the key name of the witness whose cosignature marks a checkpoint witnessed
   * @throws IOException when the files cannot be read, or the log is damaged or altered
   */
  public static AuditLog open(
      Path dir, String origin, TreeHash hash, List<NoteSigner> signers, String witness, int maxBatch,
      Duration window, Listener listener) throws IOException {
    if (signers.isEmpty()) {
      throw new IllegalArgumentException("an audit log needs a checkpoint signing key");
    }
    Files.createDirectories(dir);
    List<SignedNote> notes = new ArrayList<>();
    AppendLog checkpoints =
        AppendLog.open(dir.resolve(CHECKPOINTS), 64, Duration.ZERO,
            b -> notes.add(SignedNote.parse(new String(b, StandardCharsets.UTF_8))));
    MerkleTree tree = new MerkleTree(hash);
    AppendLog entries;
    try {
      entries =
          AppendLog.open(dir.resolve(ENTRIES), maxBatch, window, b -> {
            long index;
            synchronized (tree) {
              index = tree.append(b);
            }
            listener.entry(index, b);
          });
    } catch (IOException | RuntimeException e) {
      checkpoints.close();
      throw e;
    }
    SignedNote latest = null;
    SignedNote witnessed = null;
    for (SignedNote n : notes) {
      if (latest == null || sizeOf(n) >= sizeOf(latest)) {
        latest = n;
      }
      if (n.signatures().stream().anyMatch(l -> l.name().equals(witness))) {
        witnessed = n;
      }
    }
    try {
      if (latest != null) {
        Checkpoint c = Checkpoint.parse(latest.text());
        if (!c.origin().equals(origin)) {
          throw new IOException(dir + ": the checkpoints are for log " + c.origin() + ", not " + origin);
        }
        if (c.size() > tree.size()) {
          throw new IOException(dir + ": the log holds " + tree.size() + " entries but its checkpoint covers "
              + c.size() + ": entries were lost or removed");
        }
        if (!TreeHash.same(tree.root(c.size()), c.root())) {
          throw new IOException(dir + ": the first " + c.size() + " entries no longer produce the root of their"
              + " checkpoint: entries were altered");
        }
      }
    } catch (IOException | RuntimeException e) {
      entries.close();
      checkpoints.close();
      throw e;
    }
    return new AuditLog(dir, origin, tree, signers, entries, checkpoints, latest, witnessed);
  }

  public String origin() {
    return origin;
  }

  public TreeHash hash() {
    return tree.hash();
  }

  /** Appends {@code entry}; the future completes with its index once it is on disk. */
  public CompletableFuture<Long> append(AuditEntry entry) {
    return entries.append(entry.toByteArray());
  }

  /** Entries durable so far. */
  public long size() {
    synchronized (tree) {
      return tree.size();
    }
  }

  public byte[] root(long size) {
    synchronized (tree) {
      return tree.root(size);
    }
  }

  public List<byte[]> inclusionProof(long index, long size) {
    synchronized (tree) {
      return tree.inclusionProof(index, size);
    }
  }

  public List<byte[]> consistencyProof(long oldSize, long newSize) {
    synchronized (tree) {
      return tree.consistencyProof(oldSize, newSize);
    }
  }

  /**
   * Signs a checkpoint of the tree as it is now, unless the latest already covers it, and keeps
   * it durably. Returns the latest checkpoint (null while the log is empty).
   */
  public synchronized SignedNote checkpoint() throws IOException {
    long size;
    byte[] root;
    synchronized (tree) {
      size = tree.size();
      root = tree.root(size);
    }
    if (size == 0 || (latest != null && sizeOf(latest) >= size)) {
      return latest;
    }
    SignedNote note = SignedNote.sign(new Checkpoint(origin, size, root).text(), signers);
    keep(note);
    return note;
  }

  /** The latest checkpoint signed, or null. */
  public synchronized SignedNote latestCheckpoint() {
    return latest;
  }

  /** The latest checkpoint the witness cosigned, or null. */
  public synchronized SignedNote witnessedCheckpoint() {
    return witnessed;
  }

  /** Keeps the witness's cosigned copy of one of this log's checkpoints. */
  public synchronized void witnessed(SignedNote cosigned) throws IOException {
    Checkpoint c = Checkpoint.parse(cosigned.text());
    if (!c.origin().equals(origin)) {
      throw new IllegalArgumentException("a checkpoint of " + c.origin() + " is not one of " + origin);
    }
    keep(cosigned);
    witnessed = cosigned;
  }

  /** Every checkpoint note kept, oldest first (for export). */
  public List<SignedNote> checkpoints() throws IOException {
    List<SignedNote> out = new ArrayList<>();
    AppendLog.read(dir.resolve(CHECKPOINTS), Long.MAX_VALUE,
        b -> out.add(SignedNote.parse(new String(b, StandardCharsets.UTF_8))));
    return out;
  }

  /** The durable entry numbered {@code index} (its leaf data). */
  public byte[] entry(long index) throws IOException {
    return entries.record(index);
  }

  /** Reads the first {@code count} entries, in order. */
  public void read(long count, Consumer<byte[]> each) throws IOException {
    AppendLog.read(dir.resolve(ENTRIES), count, each);
  }

  private void keep(SignedNote note) throws IOException {
    try {
      checkpoints.append(note.format().getBytes(StandardCharsets.UTF_8)).join();
    } catch (java.util.concurrent.CompletionException e) {
      throw new IOException("cannot keep the checkpoint: " + e.getCause().getMessage(), e.getCause());
    }
    if (latest == null || sizeOf(note) >= sizeOf(latest)) {
      latest = note;
    }
  }

  private static long sizeOf(SignedNote note) {
    return Checkpoint.parse(note.text()).size();
  }

  /** How many times the entries were forced to disk. */
  public long fsyncs() {
    return entries.fsyncs();
  }

  @Override
  public void close() throws IOException {
    try {
      entries.close();
    } finally {
      checkpoints.close();
    }
  }
}
