package sluice.crypto.psi;

/**
 * The tags of one party's doubly masked elements, each with an int (the element's position), in
 * an open-addressing table of primitive arrays: 24 bytes a slot at half load, so ten million tags
 * take about 480 MB rather than the gigabytes of boxed keys. Tags are pseudorandom, so their own
 * bits place them. Not thread-safe.
 */
public final class TagTable {
  private final long[] high;
  private final int[] low;
  /** Value + 1; 0 marks an empty slot. */
  private final int[] values;
  private final int mask;
  private int size;

  /** A table for up to {@code capacity} tags. */
  public TagTable(int capacity) {
    if (capacity < 0 || capacity > (1 << 29)) {
      throw new IllegalArgumentException("a tag table holds 0 to 2^29 tags, not " + capacity);
    }
    int slots = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1;
    high = new long[slots];
    low = new int[slots];
    values = new int[slots];
    mask = slots - 1;
  }

  public int size() {
    return size;
  }

  /**
   * Adds the tag at {@code tags[off .. off+12)} with {@code value} (>= 0).
   *
   * @return false, changing nothing, when the tag is already present
   */
  public boolean put(byte[] tags, int off, int value) {
    if (value < 0 || value == Integer.MAX_VALUE) {
      throw new IllegalArgumentException("value out of range: " + value);
    }
    long h = high(tags, off);
    int l = low(tags, off);
    int i = (int) h & mask;
    while (values[i] != 0) {
      if (high[i] == h && low[i] == l) {
        return false;
      }
      i = (i + 1) & mask;
    }
    if (size >= values.length / 2) {
      throw new IllegalStateException("tag table is full (" + size + " tags)");
    }
    high[i] = h;
    low[i] = l;
    values[i] = value + 1;
    size++;
    return true;
  }

  /** The value of the tag at {@code tags[off .. off+12)}, or -1 when absent. */
  public int get(byte[] tags, int off) {
    long h = high(tags, off);
    int l = low(tags, off);
    int i = (int) h & mask;
    while (values[i] != 0) {
      if (high[i] == h && low[i] == l) {
        return values[i] - 1;
      }
      i = (i + 1) & mask;
    }
    return -1;
  }

  private static long high(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  private static int low(byte[] b, int off) {
    return ((b[off + 8] & 0xff) << 24) | ((b[off + 9] & 0xff) << 16) | ((b[off + 10] & 0xff) << 8) | (b[off + 11] & 0xff);
  }
}
