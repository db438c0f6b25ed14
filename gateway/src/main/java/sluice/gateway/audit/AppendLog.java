package sluice.gateway.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * A durable, append-only file of records with group commit: one writer thread takes whatever has
 * been appended (up to {@code maxBatch} records, waiting at most {@code window} for more when
 * records are arriving together, not when each comes alone), writes
 * them, forces them to disk once, and hands the batch on; a second thread then tells the listener
 * and completes each record's future with its index. So the caller of {@link #append} learns that
 * its record is durable, concurrent callers share one fsync, and the next batch is written while
 * the last is being published.
 *
 * <p>A log may keep space allocated ahead of its end (zeros, written and forced by a third thread
 * a little at a time), so that forcing a batch to disk writes only its data and not the file's new
 * size: on this machine that halves the fsync and cuts its 99th percentile fourfold. A clean close
 * cuts the file back to its records; after a crash, the zeros after the last record are cut on
 * opening.
 *
 * <p>Records are numbered from the {@code first} index the log was opened with (a log may be one
 * segment of a longer one). A record may carry a value prepared from it on its appender's thread
 * (the audit log's leaf hash), so work that needs no order is spread over the callers and the
 * writer does only what must be serial.
 *
 * <p>Each record is {@code length (u32) | CRC-32C (u32) | bytes}, never empty. On opening, a torn
 * tail (a record cut short by a crash, or whose checksum fails, followed by nothing but zeros) is
 * cut off; damage followed by more records is not a torn tail and the log refuses to open. After a failed
 * write the log refuses every further append rather than lose one.
 */
public final class AppendLog<T> implements AutoCloseable {
  /** Largest record accepted. */
  public static final int MAX_RECORD = 1 << 20;

  static final int HEADER = 8;
  /** Allocated space is topped up to this much ahead of the end, in pieces of {@link #PIECE}, ... */
  private static final long AHEAD = 8L << 20;
  /** ...once less than this is left. */
  private static final long LOW = 4L << 20;
  private static final int PIECE = 256 << 10;

  private final FileChannel file;
  private final BlockingQueue<Pending<T>> queue = new LinkedBlockingQueue<>();
  private final int maxBatch;
  private final long windowNanos;
  private final org.HdrHistogram.Recorder fsyncTimes = new org.HdrHistogram.Recorder(3);
  private final Thread writer;
  private final Thread publisher;
  private final Thread allocator;
  private final BlockingQueue<Written<T>> written = new LinkedBlockingQueue<>();
  private volatile boolean writerDone;
  /** Guards {@link #allocated}: the writer claims the bytes it writes, the allocator zeros only past them. */
  private final Object allocation = new Object();
  private long allocated;
  private final AtomicLong fsyncs = new AtomicLong();
  private final Function<byte[], T> prepare;
  private final BiConsumer<byte[], T> records;
  private final long first;
  private final RecordOffsets offsets;
  private long next;
  private long end;
  private volatile IOException failed;
  private volatile boolean closed;

  private record Pending<T>(byte[] record, T prepared, CompletableFuture<Long> done) {}

  /** A batch on disk, its first record numbered {@code first}. */
  private record Written<T>(List<Pending<T>> batch, long first) {}

  private AppendLog(
      FileChannel file, long first, RecordOffsets offsets, long end, int maxBatch, long windowNanos,
      boolean preallocate, Function<byte[], T> prepare, BiConsumer<byte[], T> records) {
    this.file = file;
    this.first = first;
    this.offsets = offsets;
    this.next = first + offsets.size();
    this.end = end;
    this.prepare = prepare;
    this.records = records;
    this.maxBatch = maxBatch;
    this.windowNanos = windowNanos;
    this.allocated = end;
    this.writer = new Thread(this::writeLoop, "sluice-audit-writer");
    this.writer.setDaemon(true);
    this.publisher = new Thread(this::publishLoop, "sluice-audit-publisher");
    this.publisher.setDaemon(true);
    this.allocator = preallocate ? new Thread(this::allocateLoop, "sluice-audit-allocator") : null;
    this.writer.start();
    this.publisher.start();
    if (allocator != null) {
      allocator.setDaemon(true);
      allocator.start();
    }
  }

  /**
   * Opens (or creates) a log of plain records numbered from 0, with no space allocated ahead; see
   * {@link #open(Path, long, int, java.time.Duration, boolean, Function, BiConsumer)}.
   */
  public static AppendLog<Void> open(Path path, int maxBatch, java.time.Duration window, Consumer<byte[]> records)
      throws IOException {
    return open(path, 0, maxBatch, window, false, r -> null, (r, none) -> records.accept(r));
  }

  /**
   * Opens (or creates) the log at {@code path}, cutting a torn tail, its records numbered from
   * {@code first}. {@code records} hears every record in index order with the value
   * {@code prepare} makes of it: those the file holds, now, and then each appended one once it is
   * on disk (on the publishing thread, before its appender hears).
   *
   * @param preallocate whether to keep space allocated ahead of the end (for a busy log)
   * @throws IOException when the file is damaged other than at its tail
   */
  public static <T> AppendLog<T> open(
      Path path, long first, int maxBatch, java.time.Duration window, boolean preallocate,
      Function<byte[], T> prepare, BiConsumer<byte[], T> records) throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      RecordOffsets offsets = new RecordOffsets();
      long pos = scan(ch, path, Long.MAX_VALUE, r -> records.accept(r, prepare.apply(r)), offsets::add)[0];
      if (pos < ch.size()) {
        ch.truncate(pos);
        ch.force(true);
      }
      ch.position(pos);
      return new AppendLog<>(ch, first, offsets, pos, maxBatch, window.toNanos(), preallocate, prepare, records);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * Reads the first {@code limit} records of the log at {@code path} without changing it (a
   * writer may be appending meanwhile).
   *
   * @return how many records were read
   * @throws IOException when the file is damaged other than at its tail
   */
  public static long read(Path path, long limit, Consumer<byte[]> records) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      return scan(ch, path, limit, records, at -> {})[1];
    }
  }

  /**
   * The durable record numbered {@code index}, read from where it lies in the file.
   *
   * @throws IllegalArgumentException when no such record is durable
   */
  public byte[] record(long index) throws IOException {
    return readRecord(file, offsets.position(index - first, file));
  }

  /** The record that starts at byte {@code at} of {@code ch}. */
  static byte[] readRecord(FileChannel ch, long at) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    readFully(ch, header, at);
    ByteBuffer body = ByteBuffer.allocate(header.flip().getInt());
    readFully(ch, body, at + HEADER);
    return body.array();
  }

  /**
   * Reads records from the start up to a torn tail or {@code limit}, telling {@code positions}
   * where each starts: returns {end position, count}.
   */
  static long[] scan(FileChannel ch, Path path, long limit, Consumer<byte[]> records, LongConsumer positions)
      throws IOException {
    long size = ch.size();
    long pos = 0;
    long count = 0;
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    while (pos < size && count < limit) {
      header.clear();
      if (size - pos < HEADER) {
        break; // torn header
      }
      readFully(ch, header, pos);
      header.flip();
      int length = header.getInt();
      int crc = header.getInt();
      if (length == 0 && crc == 0 && zerosFrom(ch, pos, size)) {
        break; // space allocated ahead, never written
      }
      if (length <= 0 || length > MAX_RECORD) {
        if (pos + HEADER >= size || zerosFrom(ch, pos + HEADER, size)) {
          break;
        }
        throw new IOException(path + ": damaged record header at byte " + pos + " (length " + length + ")");
      }
      if (pos + HEADER + length > size) {
        break; // torn body
      }
      ByteBuffer body = ByteBuffer.allocate(length);
      readFully(ch, body, pos + HEADER);
      byte[] bytes = body.array();
      if (crc(bytes) != crc) {
        if (zerosFrom(ch, pos + HEADER + length, size)) {
          break; // the last record was not completely written
        }
        throw new IOException(path + ": record " + count + " at byte " + pos + " fails its checksum and more follow;"
            + " the log was altered or the disk damaged");
      }
      records.accept(bytes);
      positions.accept(pos);
      pos += HEADER + length;
      count++;
    }
    return new long[] {pos, count};
  }

  /** Whether the file holds nothing but zeros from {@code from} to {@code size}. */
  private static boolean zerosFrom(FileChannel ch, long from, long size) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    for (long pos = from; pos < size; ) {
      buf.clear().limit((int) Math.min(buf.capacity(), size - pos));
      readFully(ch, buf, pos);
      for (int i = 0; i < buf.limit(); i++) {
        if (buf.get(i) != 0) {
          return false;
        }
      }
      pos += buf.limit();
    }
    return true;
  }

  /** Records appended and waiting to be written (and made durable). */
  public long backlog() {
    return queue.size();
  }

  /** Appends {@code record}; the future completes with its index once it is on disk. */
  public CompletableFuture<Long> append(byte[] record) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    if (record.length > MAX_RECORD || record.length == 0) {
      done.completeExceptionally(new IllegalArgumentException(
          "an audit record holds 1 to " + MAX_RECORD + " bytes, not " + record.length));
      return done;
    }
    IOException f = failed;
    if (f != null || closed) {
      done.completeExceptionally(f != null ? new IOException("the audit log failed earlier: " + f.getMessage(), f)
          : new IOException("the audit log is closed"));
      return done;
    }
    byte[] copy = record.clone();
    queue.add(new Pending<>(copy, prepare.apply(copy), done));
    return done;
  }

  /** Where each record starts in the file (for a sealed segment once this log is closed). */
  RecordOffsets offsets() {
    return offsets;
  }

  /** The index the next record appended will take. */
  public synchronized long end() {
    return next;
  }

  /** The bytes the file holds. */
  public synchronized long bytes() {
    return end;
  }

  /** Whether a write failed, so the log refuses every append. */
  public boolean failed() {
    return failed != null;
  }

  /**
   * How long each fsync took, in microseconds, since the last call (each call starts a new
   * interval): the disk's share of the latency that durable gating adds.
   */
  public org.HdrHistogram.Histogram fsyncMicros() {
    return fsyncTimes.getIntervalHistogram();
  }

  /** How many times the log has forced its file to disk (one per batch). */
  public long fsyncs() {
    return fsyncs.get();
  }

  private void writeLoop() {
    List<Pending<T>> batch = new ArrayList<>();
    int last = 0;
    while (!closed || !queue.isEmpty()) {
      try {
        Pending<T> head = queue.poll(100, TimeUnit.MILLISECONDS);
        if (head == null) {
          continue;
        }
        batch.add(head);
        queue.drainTo(batch, maxBatch - 1);
        // Wait for company only when there is some: a record that arrives alone after a batch
        // that was alone is written at once, so light load pays the fsync and not the window.
        long until = System.nanoTime() + windowNanos;
        while (batch.size() < maxBatch && windowNanos > 0 && (batch.size() > 1 || last > 1)) {
          long left = until - System.nanoTime();
          Pending<T> more = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
          if (more == null) {
            break;
          }
          batch.add(more);
          queue.drainTo(batch, maxBatch - batch.size());
        }
        last = batch.size();
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        batch = new ArrayList<>();
      }
    }
    for (Pending<T> late; (late = queue.poll()) != null; ) {
      late.done().completeExceptionally(new IOException("the audit log is closed"));
    }
    writerDone = true;
  }

  private void write(List<Pending<T>> batch) {
    if (failed != null) {
      batch.forEach(p -> p.done().completeExceptionally(failed));
      return;
    }
    try {
      int bytes = batch.stream().mapToInt(p -> HEADER + p.record().length).sum();
      ByteBuffer out = ByteBuffer.allocate(bytes);
      for (Pending<T> p : batch) {
        out.putInt(p.record().length).putInt(crc(p.record())).put(p.record());
      }
      out.flip();
      long at = end;
      boolean low;
      synchronized (allocation) {
        allocated = Math.max(allocated, at + bytes);
        low = allocated - (at + bytes) < LOW;
      }
      while (out.hasRemaining()) {
        at += file.write(out, at);
      }
      long forcing = System.nanoTime();
      file.force(false);
      fsyncTimes.recordValue(Math.max(1, (System.nanoTime() - forcing) / 1000));
      fsyncs.incrementAndGet();
      long index;
      synchronized (this) {
        for (Pending<T> p : batch) {
          offsets.add(end);
          end += HEADER + p.record().length;
        }
        index = next;
        next += batch.size();
      }
      written.add(new Written<>(batch, index));
      if (allocator != null && low) {
        java.util.concurrent.locks.LockSupport.unpark(allocator);
      }
    } catch (IOException e) {
      failed = e;
      batch.forEach(p -> p.done().completeExceptionally(e));
    }
  }

  /** Tells the listener of each batch on disk, in order, then its appenders. */
  private void publishLoop() {
    while (true) {
      Written<T> w;
      try {
        w = written.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (w == null) {
        if (writerDone && written.isEmpty()) {
          return;
        }
        continue;
      }
      for (Pending<T> p : w.batch()) {
        records.accept(p.record(), p.prepared());
      }
      long index = w.first();
      for (Pending<T> p : w.batch()) {
        p.done().complete(index++);
      }
    }
  }

  /** Keeps {@link #AHEAD} bytes of zeros allocated and on disk past the end. */
  private void allocateLoop() {
    ByteBuffer zeros = ByteBuffer.allocateDirect(PIECE);
    while (!closed) {
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
      try {
        while (!closed && failed == null) {
          synchronized (allocation) {
            if (allocated - bytes() >= AHEAD) {
              break;
            }
            zeros.clear();
            long at = allocated;
            while (zeros.hasRemaining()) {
              at += file.write(zeros, at);
            }
            allocated = at;
          }
          file.force(false);
        }
      } catch (IOException e) {
        return; // appends go on without space ahead; the writer meets any real trouble itself
      }
    }
  }

  private static int crc(byte[] bytes) {
    CRC32C c = new CRC32C();
    c.update(bytes, 0, bytes.length);
    return (int) c.getValue();
  }

  static void readFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
    long pos = at;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of the audit log");
      }
      pos += n;
    }
  }

  /** Writes and publishes what was appended, cuts the space allocated ahead, then closes the file. */
  @Override
  public void close() throws IOException {
    closed = true;
    try {
      writer.join(10_000);
      publisher.join(10_000);
      if (allocator != null) {
        java.util.concurrent.locks.LockSupport.unpark(allocator);
        allocator.join(10_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (file.size() > bytes()) {
        file.truncate(bytes());
        file.force(true);
      }
    } finally {
      file.close();
    }
  }
}
