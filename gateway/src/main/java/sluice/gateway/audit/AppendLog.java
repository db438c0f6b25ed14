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
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.zip.CRC32C;

/**
 * A durable, append-only file of records with group commit: one writer thread takes whatever has
 * been appended (up to {@code maxBatch} records, waiting at most {@code window} for more), writes
 * them, forces them to disk once, and only then completes each record's future with its index.
 * So the caller of {@link #append} learns that its record is durable, and concurrent callers share
 * one fsync.
 *
 * <p>Each record is {@code length (u32) | CRC-32C (u32) | bytes}. On opening, a torn tail (a
 * record cut short by a crash, or whose checksum fails as the last thing in the file) is cut off;
 * damage followed by more records is not a torn tail and the log refuses to open. After a failed
 * write the log refuses every further append rather than lose one.
 */
public final class AppendLog implements AutoCloseable {
  /** Largest record accepted. */
  public static final int MAX_RECORD = 1 << 20;

  private static final int HEADER = 8;

  private final FileChannel file;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final int maxBatch;
  private final long windowNanos;
  private final Thread writer;
  private final AtomicLong fsyncs = new AtomicLong();
  private final Consumer<byte[]> records;
  private final Offsets offsets;
  private long next;
  private long end;
  private volatile IOException failed;
  private volatile boolean closed;

  private record Pending(byte[] record, CompletableFuture<Long> done) {}

  private AppendLog(
      FileChannel file, Offsets offsets, long end, int maxBatch, long windowNanos, Consumer<byte[]> records) {
    this.file = file;
    this.offsets = offsets;
    this.next = offsets.size();
    this.end = end;
    this.records = records;
    this.maxBatch = maxBatch;
    this.windowNanos = windowNanos;
    this.writer = new Thread(this::writeLoop, "sluice-audit-writer");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /**
   * Opens (or creates) the log at {@code path}, cutting a torn tail. {@code records} hears every
   * record in index order: those the file holds, now, and then each appended one once it is on
   * disk (on the writer thread, before its appender hears).
   *
   * @throws IOException when the file is damaged other than at its tail
   */
  public static AppendLog open(Path path, int maxBatch, java.time.Duration window, Consumer<byte[]> records)
      throws IOException {
    FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      Offsets offsets = new Offsets();
      long pos = scan(ch, path, Long.MAX_VALUE, records, offsets::add)[0];
      if (pos < ch.size()) {
        ch.truncate(pos);
        ch.force(true);
      }
      ch.position(pos);
      return new AppendLog(ch, offsets, pos, maxBatch, window.toNanos(), records);
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
    long at = offsets.get(index);
    ByteBuffer header = ByteBuffer.allocate(HEADER);
    readFully(file, header, at);
    ByteBuffer body = ByteBuffer.allocate(header.flip().getInt());
    readFully(file, body, at + HEADER);
    return body.array();
  }

  /**
   * Reads records from the start up to a torn tail or {@code limit}, telling {@code positions}
   * where each starts: returns {end position, count}.
   */
  private static long[] scan(FileChannel ch, Path path, long limit, Consumer<byte[]> records, LongConsumer positions)
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
      if (length < 0 || length > MAX_RECORD) {
        if (pos + HEADER >= size) {
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
        if (pos + HEADER + length == size) {
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

  /** Appends {@code record}; the future completes with its index once it is on disk. */
  public CompletableFuture<Long> append(byte[] record) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    if (record.length > MAX_RECORD) {
      done.completeExceptionally(new IllegalArgumentException("an audit record is at most " + MAX_RECORD + " bytes"));
      return done;
    }
    IOException f = failed;
    if (f != null || closed) {
      done.completeExceptionally(f != null ? new IOException("the audit log failed earlier: " + f.getMessage(), f)
          : new IOException("the audit log is closed"));
      return done;
    }
    queue.add(new Pending(record.clone(), done));
    return done;
  }

  /** How many times the log has forced its file to disk (one per batch). */
  public long fsyncs() {
    return fsyncs.get();
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long until = System.nanoTime() + windowNanos;
        while (batch.size() < maxBatch) {
          long left = until - System.nanoTime();
          Pending more = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
          if (more == null) {
            break;
          }
          batch.add(more);
        }
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void write(List<Pending> batch) {
    if (failed != null) {
      batch.forEach(p -> p.done().completeExceptionally(failed));
      return;
    }
    try {
      int bytes = batch.stream().mapToInt(p -> HEADER + p.record().length).sum();
      ByteBuffer out = ByteBuffer.allocate(bytes);
      for (Pending p : batch) {
        out.putInt(p.record().length).putInt(crc(p.record())).put(p.record());
      }
      out.flip();
      while (out.hasRemaining()) {
        file.write(out);
      }
      file.force(false);
      fsyncs.incrementAndGet();
      for (Pending p : batch) {
        offsets.add(end);
        end += HEADER + p.record().length;
        records.accept(p.record());
      }
      for (Pending p : batch) {
        p.done().complete(next++);
      }
    } catch (IOException e) {
      failed = e;
      batch.forEach(p -> p.done().completeExceptionally(e));
    }
  }

  /** Where each record starts in the file, by index: a growable array of longs. */
  private static final class Offsets {
    private long[] at = new long[1024];
    private int size;

    synchronized void add(long position) {
      if (size == at.length) {
        at = java.util.Arrays.copyOf(at, size * 2);
      }
      at[size++] = position;
    }

    synchronized long size() {
      return size;
    }

    synchronized long get(long index) {
      if (index < 0 || index >= size) {
        throw new IllegalArgumentException("record " + index + " is not in a log of " + size);
      }
      return at[(int) index];
    }
  }

  private static int crc(byte[] bytes) {
    CRC32C c = new CRC32C();
    c.update(bytes, 0, bytes.length);
    return (int) c.getValue();
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long at) throws IOException {
    long pos = at;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of the audit log");
      }
      pos += n;
    }
  }

  /** Writes what was appended, then closes the file. */
  @Override
  public void close() throws IOException {
    closed = true;
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    file.close();
  }
}
