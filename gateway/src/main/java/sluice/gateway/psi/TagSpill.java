package sluice.gateway.psi;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import sluice.crypto.psi.PsiGroup;

/**
 * Tags, each with an int, spilled to disk in partitions by the tag's first four bytes, so that a
 * party of a PSI session joins or shuffles millions of them one partition at a time in bounded
 * memory. Records are 16 bytes (the 12-byte tag, then the int, big-endian) in files only this
 * process's user can read, in a directory of their own that {@link #close} deletes. Tags are
 * pseudorandom, so partitions are even, and the files reveal nothing of any element. Not
 * thread-safe.
 */
public final class TagSpill implements AutoCloseable {
  /** Tags a partition holds at most on average by default: one partition's join table is then about 12 MB. */
  public static final int PARTITION_TAGS = 1 << 18;
  /** Bytes of one record. */
  public static final int RECORD = PsiGroup.TAG_LENGTH + 4;
  private static final int BUFFER = 16 * 1024;

  private final Path dir;
  private final Path[] files;
  private final OutputStream[] out;
  private final long[] counts;
  private final byte[] record = new byte[RECORD];

  private TagSpill(Path dir, int partitions) throws IOException {
    this.dir = dir;
    this.files = new Path[partitions];
    this.out = new OutputStream[partitions];
    this.counts = new long[partitions];
    for (int p = 0; p < partitions; p++) {
      files[p] = dir.resolve("part-" + p);
      out[p] = new BufferedOutputStream(Files.newOutputStream(files[p]), BUFFER);
    }
  }

  /**
   * A spill in a new private directory under {@code parent} for about {@code expected} tags, in
   * enough partitions that each holds about {@code partitionTags} or fewer.
   */
  public static TagSpill create(Path parent, long expected, int partitionTags) {
    if (partitionTags < 1) {
      throw new IllegalArgumentException("a partition holds at least one tag, not " + partitionTags);
    }
    int partitions = (int) Math.max(1, Math.min(4096, (expected + partitionTags - 1) / partitionTags));
    Path dir = null;
    try {
      dir = PrivateFiles.directory(parent, "sluice-psi-");
      return new TagSpill(dir, partitions);
    } catch (IOException e) {
      if (dir != null) {
        PrivateFiles.deleteTree(dir);
      }
      throw new UncheckedIOException("cannot spill PSI tags under " + parent + ": " + e.getMessage(), e);
    }
  }

  public int partitions() {
    return files.length;
  }

  /** Tags in partition {@code p}. */
  public long size(int p) {
    return counts[p];
  }

  /** Adds the tag at {@code tags[off .. off+12)} with {@code value} to the partition its first bytes name. */
  public void add(byte[] tags, int off, int value) {
    long lead = ((tags[off] & 0xffL) << 24) | ((tags[off + 1] & 0xff) << 16) | ((tags[off + 2] & 0xff) << 8)
        | (tags[off + 3] & 0xff);
    int p = (int) (lead % files.length);
    System.arraycopy(tags, off, record, 0, PsiGroup.TAG_LENGTH);
    record[12] = (byte) (value >>> 24);
    record[13] = (byte) (value >>> 16);
    record[14] = (byte) (value >>> 8);
    record[15] = (byte) value;
    try {
      out[p].write(record);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot spill PSI tags to " + files[p] + ": " + e.getMessage(), e);
    }
    counts[p]++;
  }

  /** The records of partition {@code p}, 16 bytes each, in the order added. */
  public byte[] load(int p) {
    if (counts[p] * RECORD > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("partition " + p + " holds " + counts[p] + " tags, too many to load");
    }
    try {
      out[p].flush();
      byte[] records = Files.readAllBytes(files[p]);
      if (records.length != counts[p] * RECORD) {
        throw new IOException(files[p] + " holds " + records.length + " bytes, not " + counts[p] * RECORD);
      }
      return records;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read spilled PSI tags: " + e.getMessage(), e);
    }
  }

  /** The value of the record at {@code off} of what {@link #load} returned. */
  public static int value(byte[] records, int off) {
    return ((records[off + 12] & 0xff) << 24) | ((records[off + 13] & 0xff) << 16) | ((records[off + 14] & 0xff) << 8)
        | (records[off + 15] & 0xff);
  }

  /** Forgets every tag. */
  public void clear() {
    try {
      for (int p = 0; p < files.length; p++) {
        out[p].close();
        out[p] = new BufferedOutputStream(Files.newOutputStream(files[p]), BUFFER);
        counts[p] = 0;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear spilled PSI tags in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Closes and deletes the files. */
  @Override
  public void close() {
    for (OutputStream o : out) {
      try {
        o.close();
      } catch (IOException e) {
        // deleted below all the same
      }
    }
    PrivateFiles.deleteTree(dir);
  }
}
