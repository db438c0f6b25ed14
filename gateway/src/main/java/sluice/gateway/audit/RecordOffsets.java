package sluice.gateway.audit;

import java.util.Arrays;

/** Where each record of an {@link AppendLog} file starts, by its number in the file: a growable array of longs. */
final class RecordOffsets {
  private long[] at = new long[1024];
  private int size;

  synchronized void add(long position) {
    if (size == at.length) {
      at = Arrays.copyOf(at, size * 2);
    }
    at[size++] = position;
  }

  synchronized long size() {
    return size;
  }

  synchronized long get(long index) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("record " + index + " is not in a file of " + size);
    }
    return at[(int) index];
  }
}
