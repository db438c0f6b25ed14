package sluice.gateway.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.stream.Stream;
import sluice.crypto.merkle.Checkpoint;
import sluice.crypto.merkle.MerkleTree;
import sluice.crypto.merkle.TreeHash;
import sluice.crypto.note.NoteSigner;
import sluice.crypto.note.SignedNote;
import sluice.v1.AuditEntry;
import sluice.v1.ExportHeader;

/**
 * A gateway's tamper-evident audit log: entries appended durably with group commit
 * ({@link AppendLog}), a Merkle tree over them (RFC 9162), and signed checkpoints of that tree
 * (c2sp.org/tlog-checkpoint) kept in a second durable file with the hub's cosignatures as they
 * come back.
 *
 * <pre>
 * dir/segments/entries-&lt;first&gt;.log          entries first.. : the last is open, the rest sealed
 * dir/archive/entries-&lt;first&gt;-&lt;end&gt;.bundle.gz  sealed segments past their retention
 * dir/checkpoints.log                         one record per signed checkpoint note, oldest first
 * </pre>
 *
 * <p>Each record of a segment is a serialized AuditEntry (the leaf data). The open segment is
 * sealed once it is a day old or large ({@link AuditLogSettings}), with a checkpoint signed at
 * exactly its end; a sealed segment is archived, compressed with that checkpoint and the compact
 * range before it, once it has been kept its retention (at least 180 days). Nothing is deleted
 * except a segment whose archive is on disk.
 *
 * <p>On opening, the tree is rebuilt from the archives and segments and checked against the
 * latest checkpoint: a log holding fewer entries than its checkpoint covers, missing entries
 * between its files, or whose entries no longer produce the checkpoint's root, does not open.
 * Thread-safe.
 */
public final class AuditLog implements AutoCloseable {
  public static final String SEGMENTS = "segments";
  public static final String ARCHIVE = "archive";
  public static final String CHECKPOINTS = "checkpoints.log";
  /** Of the witnessed checkpoints older than the open segment, one in this many is kept. */
  static final int KEEP_WITNESSED_EVERY = 60;
  /**
   * Where the Merkle tree's hashes spill to (a cache: rebuilt from the entries at every opening),
   * so that a gateway's memory does not grow with its log.
   */
  static final String TREE = "tree";
  /** Held (locked) while the log is open. */
  static final String LOCK = "lock";

  /** Where a log kept its entries before it had segments; moved into the first segment on opening. */
  static final String SINGLE_FILE = "entries.log";

  /** Hears each entry once durable (and, at opening, each entry already in the log), in index order. */
  public interface Listener {
    void entry(long index, byte[] entry);
  }

  private final Path dir;
  private final String origin;
  private final AuditLogSettings settings;
  private final MerkleTree tree;
  private final List<NoteSigner> signers;
  private AppendLog<Void> checkpoints;
  private final Listener listener;
  private final String witnessName;
  /** Held to append; held exclusively to swap the open segment. */
  private final ReadWriteLock segmentLock = new ReentrantReadWriteLock();
  private final TreeMap<Long, Path> archives;
  private final TreeMap<Long, SealedSegment> sealed;
  private AppendLog<byte[]> active;
  private long activeFirst;
  private Instant activeSince;
  private SignedNote latest;
  private SignedNote witnessed;
  private volatile java.util.function.LongConsumer appendTimes;
  private java.nio.channels.FileLock lock;

  private AuditLog(
      Path dir, String origin, AuditLogSettings settings, MerkleTree tree, List<NoteSigner> signers,
      AppendLog<Void> checkpoints, Listener listener, String witnessName, TreeMap<Long, Path> archives,
      TreeMap<Long, SealedSegment> sealed) {
    this.witnessName = witnessName;
    this.dir = dir;
    this.origin = origin;
    this.settings = settings;
    this.tree = tree;
    this.signers = List.copyOf(signers);
    this.checkpoints = checkpoints;
    this.listener = listener;
    this.archives = archives;
    this.sealed = sealed;
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
      Path dir, String origin, List<NoteSigner> signers, String witness, AuditLogSettings settings, Listener listener)
      throws IOException {
    if (signers.isEmpty()) {
      throw new IllegalArgumentException("an audit log needs a checkpoint signing key");
    }
    Path segments = dir.resolve(SEGMENTS);
    Files.createDirectories(segments);
    java.nio.channels.FileLock lock = lock(dir);
    AuditLog log;
    List<SignedNote> notes = new ArrayList<>();
    try {
      if (Files.exists(dir.resolve(SINGLE_FILE)) && list(segments, AuditLog::segmentFirst).isEmpty()) {
        Files.move(dir.resolve(SINGLE_FILE), segmentPath(dir, 0));
      }
      AppendLog<Void> checkpoints =
          AppendLog.open(dir.resolve(CHECKPOINTS), 64, Duration.ZERO,
              b -> notes.add(SignedNote.parse(new String(b, StandardCharsets.UTF_8))));
      log = new AuditLog(dir, origin, settings, MerkleTree.spilling(settings.hash(), dir.resolve(TREE)), signers,
          checkpoints, listener, witness, new TreeMap<>(), new TreeMap<>());
      log.lock = lock;
    } catch (IOException | RuntimeException e) {
      lock.channel().close();
      throw e;
    }
    try {
      log.load();
      for (SignedNote n : notes) {
        if (log.latest == null || sizeOf(n) >= sizeOf(log.latest)) {
          log.latest = n;
        }
        if (n.signatures().stream().anyMatch(l -> l.name().equals(witness))) {
          log.witnessed = n;
        }
      }
      if (log.latest != null) {
        Checkpoint c = Checkpoint.parse(log.latest.text());
        if (!c.origin().equals(origin)) {
          throw new IOException(dir + ": the checkpoints are for log " + c.origin() + ", not " + origin);
        }
        if (c.size() > log.tree.size()) {
          throw new IOException(dir + ": the log holds " + log.tree.size() + " entries but its checkpoint covers "
              + c.size() + ": entries were lost or removed");
        }
        if (!TreeHash.same(log.tree.root(c.size()), c.root())) {
          throw new IOException(dir + ": the first " + c.size() + " entries no longer produce the root of their"
              + " checkpoint: entries were altered (or the log's tree hash is not " + settings.hash() + ")");
        }
      }
    } catch (IOException | RuntimeException e) {
      log.close();
      throw e;
    }
    return log;
  }

  /**
   * Takes the folder's lock, so that no second process (nor a second log in this one) opens the
   * same log: two writers would interleave entries, and each would rebuild the tree's spill files
   * under the other.
   *
   * @throws IOException naming the folder when the log is open elsewhere
   */
  private static java.nio.channels.FileLock lock(Path dir) throws IOException {
    java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve(LOCK),
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE);
    java.nio.channels.FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      lock = null;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      ch.close();
      throw new IOException(dir + ": this audit log is open in another process (or already in this one); a log"
          + " has one writer");
    }
    return lock;
  }

  /** Rebuilds the tree from the archives, the sealed segments and the open one, in that order. */
  private void load() throws IOException {
    Consumer<byte[]> replay = this::replay;
    for (Map.Entry<Long, Path> a : list(dir.resolve(ARCHIVE), SegmentArchive::firstOf).entrySet()) {
      requireNext(a.getKey(), a.getValue());
      SegmentArchive.read(a.getValue(), a.getKey(), Long.MAX_VALUE, replay);
      archives.put(a.getKey(), a.getValue());
    }
    TreeMap<Long, Path> files = list(dir.resolve(SEGMENTS), AuditLog::segmentFirst);
    Long last = files.isEmpty() ? null : files.lastKey();
    for (Map.Entry<Long, Path> s : files.entrySet()) {
      if (archives.containsKey(s.getKey()) && !s.getKey().equals(last)) {
        // Archived whole before a crash stopped its removal: finish the job.
        Files.delete(s.getValue());
        continue;
      }
      requireNext(s.getKey(), s.getValue());
      if (!s.getKey().equals(last)) {
        sealed.put(s.getKey(), SealedSegment.open(s.getValue(), s.getKey(), replay));
      }
    }
    activeFirst = tree.size();
    active = openSegment(activeFirst);
  }

  private void replay(byte[] entry) {
    listener.entry(tree.append(entry), entry);
  }

  private AppendLog<byte[]> openSegment(long first) throws IOException {
    TreeHash hash = settings.hash();
    return AppendLog.open(segmentPath(dir, first), first, settings.maxBatch(), settings.window(), true, hash::leaf,
        (entry, leafHash) -> {
          long index;
          synchronized (tree) {
            index = tree.appendLeafHash(leafHash);
          }
          listener.entry(index, entry);
        });
  }

  private void requireNext(long first, Path file) throws IOException {
    long have = tree.size();
    if (first > have) {
      throw new IOException(file + " begins at entry " + first + " but the files before it end at entry " + (have - 1)
          + ": entries " + have + ".." + (first - 1) + " were lost or removed");
    }
    if (first < have) {
      throw new IOException(file + " begins at entry " + first + " but the files before it already hold entries up to "
          + (have - 1));
    }
  }

  /** The files in {@code dir} whose names give a first index, by that index. */
  private static TreeMap<Long, Path> list(Path dir, java.util.function.ToLongFunction<Path> firstOf) throws IOException {
    TreeMap<Long, Path> out = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        long first = firstOf.applyAsLong(p);
        if (first >= 0) {
          out.put(first, p);
        }
      }
    }
    return out;
  }

  static Path segmentPath(Path dir, long first) {
    return dir.resolve(SEGMENTS).resolve(String.format("entries-%020d.log", first));
  }

  private static long segmentFirst(Path file) {
    String n = file.getFileName().toString();
    return n.matches("entries-\\d{20}\\.log") ? Long.parseLong(n.substring(8, 28)) : -1;
  }

  public String origin() {
    return origin;
  }

  public TreeHash hash() {
    return settings.hash();
  }

  /** Appends {@code entry}; the future completes with its index once it is on disk. */
  public CompletableFuture<Long> append(AuditEntry entry) {
    byte[] bytes = entry.toByteArray();
    CompletableFuture<Long> durable;
    long start = System.nanoTime();
    segmentLock.readLock().lock();
    try {
      durable = active.append(bytes);
    } finally {
      segmentLock.readLock().unlock();
    }
    java.util.function.LongConsumer timing = appendTimes;
    if (timing != null) {
      durable.whenComplete((i, e) -> timing.accept(System.nanoTime() - start));
    }
    return durable;
  }

  /** Tells {@code nanos} how long each later append took to become durable (metrics). */
  public void observeAppends(java.util.function.LongConsumer nanos) {
    this.appendTimes = nanos;
  }

  /** Entries appended and waiting to be written (and made durable). */
  public long backlog() {
    segmentLock.readLock().lock();
    try {
      return active.backlog();
    } finally {
      segmentLock.readLock().unlock();
    }
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
    synchronized (tree) {
      size = tree.size();
    }
    if (size == 0 || (latest != null && sizeOf(latest) >= size)) {
      return latest;
    }
    return sign(size);
  }

  private SignedNote sign(long size) throws IOException {
    SignedNote note = SignedNote.sign(new Checkpoint(origin, size, root(size)).text(), signers);
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

  /**
   * Seals the open segment when it is due ({@link AuditLogSettings#segmentBytes()},
   * {@link AuditLogSettings#segmentAge()}) and archives each sealed segment whose last entry is
   * older than the retention. Run it now and then (the gateway does, with its checkpoints).
   *
   * @param header what an archive's bundle header says of this log (origin, keys)
   */
  public synchronized void maintain(Instant now, ExportHeader header) throws IOException {
    if (sealDue(now)) {
      seal();
    }
    while (true) {
      SealedSegment oldest;
      synchronized (sealed) {
        oldest = sealed.isEmpty() ? null : sealed.firstEntry().getValue();
      }
      if (oldest == null || oldest.lastEntryTime().plus(settings.retention()).isAfter(now)) {
        return;
      }
      archive(oldest, header);
    }
  }

  private boolean sealDue(Instant now) throws IOException {
    AppendLog<byte[]> open = active;
    if (open.end() == activeFirst || open.failed()) {
      return false;
    }
    if (open.bytes() >= settings.segmentBytes()) {
      return true;
    }
    if (activeSince == null) {
      activeSince = SealedSegment.timeOf(open.record(activeFirst));
    }
    return !now.isBefore(activeSince.plus(settings.segmentAge()));
  }

  /**
   * Seals the open segment now (when it holds any entry): appends wait while what was appended is
   * written, a checkpoint is signed at exactly the segment's end, and a new segment opens.
   */
  public synchronized void seal() throws IOException {
    segmentLock.writeLock().lock();
    try {
      AppendLog<byte[]> open = active;
      if (open.failed()) {
        return;
      }
      open.close(); // writes what was appended before the lock was taken
      long end = open.end();
      if (end == activeFirst) {
        active = openSegment(activeFirst);
        return;
      }
      SealedSegment segment = SealedSegment.closed(segmentPath(dir, activeFirst), activeFirst, end, open.offsets());
      synchronized (sealed) {
        sealed.put(activeFirst, segment);
      }
      if (latest == null || sizeOf(latest) != end) {
        sign(end);
      }
      active = openSegment(end);
      activeFirst = end;
      activeSince = null;
      thinCheckpoints();
    } finally {
      segmentLock.writeLock().unlock();
    }
  }

  /**
   * Thins the checkpoints kept, at a seal: a gateway signs one a second and keeps the hub's
   * cosigned copy too, so a day adds some 170,000 notes. Kept are the latest, the latest witnessed,
   * each one at a segment's end, and one in {@link #KEEP_WITNESSED_EVERY} of the witnessed ones
   * (about one a minute); the file is rewritten beside and renamed over the old one.
   */
  private void thinCheckpoints() throws IOException {
    List<SignedNote> all = checkpoints();
    java.util.Set<Long> ends = new java.util.HashSet<>(); // where one segment ends, the next begins
    synchronized (sealed) {
      ends.addAll(sealed.keySet());
      ends.addAll(archives.keySet());
    }
    ends.add(activeFirst);
    List<SignedNote> kept = new ArrayList<>();
    int witnessedSeen = 0;
    for (SignedNote n : all) {
      boolean cosigned = n.signatures().stream().anyMatch(l -> l.name().equals(witnessName));
      boolean keep = n.format().equals(latest == null ? null : latest.format())
          || n.format().equals(witnessed == null ? null : witnessed.format())
          || ends.contains(sizeOf(n))
          || cosigned && witnessedSeen % KEEP_WITNESSED_EVERY == 0;
      if (cosigned) {
        witnessedSeen++;
      }
      if (keep) {
        kept.add(n);
      }
    }
    if (kept.size() == all.size()) {
      return;
    }
    Path file = dir.resolve(CHECKPOINTS);
    Path tmp = dir.resolve(CHECKPOINTS + ".tmp");
    Files.deleteIfExists(tmp);
    try (AppendLog<Void> fresh = AppendLog.open(tmp, 1024, Duration.ZERO, b -> {})) {
      CompletableFuture<Long> last = null;
      for (SignedNote n : kept) {
        last = fresh.append(n.format().getBytes(StandardCharsets.UTF_8));
      }
      last.join();
    }
    checkpoints.close();
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    SegmentArchive.forceDirectory(dir);
    checkpoints = AppendLog.open(file, 64, Duration.ZERO, b -> {});
  }

  private void archive(SealedSegment segment, ExportHeader header) throws IOException {
    SignedNote at = null;
    for (SignedNote n : checkpoints()) {
      if (sizeOf(n) == segment.end() && (at == null || n.signatures().size() > at.signatures().size())) {
        at = n;
      }
    }
    if (at == null) {
      at = sign(segment.end());
    }
    List<byte[]> frontier;
    synchronized (tree) {
      frontier = tree.frontier(segment.first());
    }
    Path archived = SegmentArchive.write(dir.resolve(ARCHIVE), header.toBuilder().setOrigin(origin).build(),
        segment, frontier, at);
    synchronized (sealed) {
      sealed.remove(segment.first());
      archives.put(segment.first(), archived);
    }
    Files.delete(segment.path());
    SegmentArchive.forceDirectory(dir.resolve(SEGMENTS));
  }

  /** The durable entry numbered {@code index} (its leaf data), wherever it is kept. */
  public byte[] entry(long index) throws IOException {
    segmentLock.readLock().lock();
    try {
      if (index >= activeFirst) {
        return active.record(index);
      }
    } finally {
      segmentLock.readLock().unlock();
    }
    Map.Entry<Long, SealedSegment> s;
    Map.Entry<Long, Path> a;
    synchronized (sealed) {
      s = sealed.floorEntry(index);
      a = archives.floorEntry(index);
    }
    if (s != null && s.getValue().holds(index)) {
      return s.getValue().record(index);
    }
    if (a == null || index < 0) {
      throw new IllegalArgumentException("entry " + index + " is not in the log");
    }
    byte[][] found = {null};
    long[] at = {a.getKey()};
    SegmentArchive.read(a.getValue(), a.getKey(), index - a.getKey() + 1, e -> {
      if (at[0]++ == index) {
        found[0] = e;
      }
    });
    return found[0];
  }

  /** Reads the first {@code count} entries, in order, from the archives and segments. */
  public void read(long count, Consumer<byte[]> each) throws IOException {
    List<Path> archived;
    List<SealedSegment> segments;
    Path open;
    synchronized (sealed) {
      archived = new ArrayList<>(archives.values());
      segments = new ArrayList<>(sealed.values());
    }
    segmentLock.readLock().lock();
    try {
      open = segmentPath(dir, activeFirst);
    } finally {
      segmentLock.readLock().unlock();
    }
    long[] left = {count};
    Consumer<byte[]> counted = e -> {
      if (left[0] > 0) {
        left[0]--;
        each.accept(e);
      }
    };
    long next = 0;
    for (Path p : archived) {
      if (left[0] == 0) {
        return;
      }
      next = SegmentArchive.read(p, next, left[0], counted);
    }
    for (SealedSegment s : segments) {
      if (left[0] == 0) {
        return;
      }
      s.read(left[0], counted);
    }
    if (left[0] > 0) {
      AppendLog.read(open, left[0], counted);
    }
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

  /** How long the open segment's fsyncs took since the last call, in microseconds. */
  public org.HdrHistogram.Histogram fsyncMicros() {
    return active.fsyncMicros();
  }

  /** How many times the open segment was forced to disk. */
  public long fsyncs() {
    return active.fsyncs();
  }

  @Override
  public void close() throws IOException {
    try {
      if (active != null) {
        active.close();
      }
    } finally {
      try {
        checkpoints.close();
      } finally {
        try {
          synchronized (tree) {
            tree.close();
          }
        } finally {
          if (lock != null) {
            lock.channel().close();
          }
        }
      }
    }
  }
}
