package sluice.gateway.audit;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.function.Consumer;
import sluice.v1.AuditEntry;

/**
 * A sealed segment of an audit log's entries: an {@link AppendLog} file no longer appended to,
 * holding entries {@code first} up to (not including) {@code end}. Unlike the open segment it may
 * not end in a torn record: it was forced to disk whole before it was sealed, so anything short or
 * damaged in it means it was altered.
 */
record SealedSegment(Path path, long first, long end, RecordOffsets offsets, Instant lastEntryTime) {
  /**
   * Reads the segment at {@code path}, telling {@code each} every entry in order.
   *
   * @throws IOException when the file is damaged or cut short
   */
  static SealedSegment open(Path path, long first, Consumer<byte[]> each) throws IOException {
    RecordOffsets offsets = new RecordOffsets();
    byte[][] last = {null};
    long[] read;
    long size;
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      size = ch.size();
      read = AppendLog.scan(ch, path, Long.MAX_VALUE, b -> {
        last[0] = b;
        each.accept(b);
      }, offsets::add);
    }
    if (read[0] != size) {
      throw new IOException(path + ": the sealed segment ends in a damaged or partial record at byte " + read[0]
          + " (after entry " + (first + read[1] - 1) + "); it was altered or the disk damaged");
    }
    return new SealedSegment(path, first, first + read[1], offsets, timeOf(last[0]));
  }

  /**
   * The segment a closed {@link AppendLog} leaves at {@code path}, from the offsets it kept (so
   * sealing reads only the last entry, not the whole file).
   */
  static SealedSegment closed(Path path, long first, long end, RecordOffsets offsets) throws IOException {
    byte[] last;
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      last = AppendLog.readRecord(ch, offsets.position(end - 1 - first, ch));
    }
    return new SealedSegment(path, first, end, offsets, timeOf(last));
  }

  /** The time of an entry, or the epoch when there is none. */
  static Instant timeOf(byte[] entry) {
    if (entry == null) {
      return Instant.EPOCH;
    }
    try {
      AuditEntry e = AuditEntry.parseFrom(entry);
      return Instant.ofEpochSecond(e.getTime().getSeconds(), e.getTime().getNanos());
    } catch (InvalidProtocolBufferException e) {
      return Instant.EPOCH;
    }
  }

  boolean holds(long index) {
    return index >= first && index < end;
  }

  byte[] record(long index) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      return AppendLog.readRecord(ch, offsets.position(index - first, ch));
    }
  }

  /** Reads the first {@code count} entries of the segment. */
  void read(long count, Consumer<byte[]> each) throws IOException {
    AppendLog.read(path, count, each);
  }
}
