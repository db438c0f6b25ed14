package sluice.gateway.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Where the records of an {@link AppendLog} file start, by their number in the file. Every
 * {@value #STRIDE}th position is kept (a quarter of a byte a record, where keeping every one cost
 * 8 bytes a record for as long as the segment is kept: gigabytes of heap over a gateway's
 * retention); the others are found by reading the record headers from the nearest kept one.
 */
final class RecordOffsets {
  static final int STRIDE = 32;

  private long[] kept = new long[64];
  private long size;

  synchronized void add(long position) {
    if (size % STRIDE == 0) {
      int slot = (int) (size / STRIDE);
      if (slot == kept.length) {
        kept = Arrays.copyOf(kept, slot * 2);
      }
      kept[slot] = position;
    }
    size++;
  }

  synchronized long size() {
    return size;
  }

  /**
   * Where record {@code index} starts in {@code file}: the kept position before it, then over
   * the records between.
   */
  long position(long index, FileChannel file) throws IOException {
    long at;
    synchronized (this) {
      if (index < 0 || index >= size) {
        throw new IllegalArgumentException("record " + index + " is not in a file of " + size);
      }
      at = kept[(int) (index / STRIDE)];
    }
    ByteBuffer header = ByteBuffer.allocate(AppendLog.HEADER);
    for (long skip = index % STRIDE; skip > 0; skip--) {
      header.clear();
      AppendLog.readFully(file, header, at);
      at += AppendLog.HEADER + header.flip().getInt();
    }
    return at;
  }
}
