package sluice.crypto.merkle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The hashes of every complete, aligned subtree of an append-only tree: level 0 holds the leaf
 * hashes, level {@code l} the hash of each run of {@code 2^l} leaves starting at a multiple of
 * {@code 2^l}. Stored in fixed-size chunks of one flat array each, so a million leaves cost
 * about twice 32 MB and no object per hash.
 *
 * <p>A tree may start from the compact range of its first {@code start} leaves: then each level
 * holds only the subtrees from that range on, and asking for one before it is an error.
 */
final class HashLevels {
  /** 4096 hashes, 128 KiB a chunk: small enough not to count as a humongous object to G1. */
  private static final int CHUNK_HASHES = 1 << 12;

  private final int hashLength;
  private final long start;
  private final List<Level> levels = new ArrayList<>();
  /** Where full chunks go, or null to keep them in memory. */
  private final Path spill;

  HashLevels(int hashLength) {
    this(hashLength, null);
  }

  /** Levels of a tree from its first leaf, spilling full chunks to files in {@code spill} (null: none). */
  HashLevels(int hashLength, Path spill) {
    this.hashLength = hashLength;
    this.start = 0;
    this.spill = spill;
  }

  /** Levels that start from {@code frontier}, the compact range of the first {@code start} leaves. */
  HashLevels(int hashLength, long start, List<byte[]> frontier) {
    this.hashLength = hashLength;
    this.start = start;
    this.spill = null;
    if (Long.bitCount(start) != frontier.size()) {
      throw new IllegalArgumentException("a compact range of " + start + " leaves has " + Long.bitCount(start)
          + " hashes, not " + frontier.size());
    }
    int next = 0;
    for (int level = 63 - Long.numberOfLeadingZeros(Math.max(start, 1)); level >= 0; level--) {
      boolean held = ((start >> level) & 1) != 0;
      long count = start >> level;
      Level l = level(level);
      l.base = count - (held ? 1 : 0);
      l.size = l.base;
      if (held) {
        l.add(frontier.get(next++));
      }
    }
  }

  /** The number of leaves the levels stand for. */
  long leaves() {
    return levels.isEmpty() ? 0 : levels.get(0).size;
  }

  /** The number of leaves before the first held one. */
  long start() {
    return start;
  }

  /** Adds a leaf hash, and the hash of every subtree it completes, combined by {@code node}. */
  void appendLeaf(byte[] leafHash, TreeHash hash) {
    byte[] h = leafHash;
    int level = 0;
    while (true) {
      Level l = level(level);
      l.add(h);
      if ((l.size & 1) != 0) {
        return;
      }
      h = hash.node(l.get(l.size - 2), h);
      level++;
    }
  }

  /** The hash of the complete subtree of {@code 2^level} leaves numbered {@code index} at that level. */
  byte[] get(int level, long index) {
    return levels.get(level).get(index);
  }

  private Level level(int level) {
    while (levels.size() <= level) {
      Level l = new Level();
      l.base = start >> levels.size();
      l.size = l.base;
      levels.add(l);
    }
    return levels.get(level);
  }

  /** Closes and deletes the spill files (nothing when the levels are in memory). */
  void close() {
    IOException failed = null;
    for (Level l : levels) {
      try {
        l.close();
      } catch (IOException e) {
        failed = e;
      }
    }
    if (failed != null) {
      throw new UncheckedIOException("cannot remove the Merkle tree's spill files in " + spill, failed);
    }
  }

  private final class Level {
    private final int number = levels.size();
    /** Full chunks, in memory when nothing is spilled; else only the last, partly filled one. */
    private final List<byte[]> chunks = new ArrayList<>();
    /** Chunks written to {@link #file}, before those in {@link #chunks}. */
    private long spilled;
    private FileChannel file;
    /** The index of the first subtree held. */
    private long base;
    /** The index after the last subtree held. */
    private long size;

    void add(byte[] h) {
      int at = (int) ((size - base) % CHUNK_HASHES);
      if (at == 0) {
        if (spill != null && !chunks.isEmpty()) {
          // The full chunk goes to the file, and its array takes the next hashes.
          byte[] full = chunks.remove(0);
          write(full);
          chunks.add(full);
        } else {
          chunks.add(new byte[CHUNK_HASHES * hashLength]);
        }
      }
      System.arraycopy(h, 0, chunks.get(chunks.size() - 1), at * hashLength, hashLength);
      size++;
    }

    byte[] get(long index) {
      if (index < base) {
        throw new IllegalArgumentException("the tree holds no hashes from before leaf " + start);
      }
      long i = index - base;
      long chunk = i / CHUNK_HASHES;
      int at = (int) (i % CHUNK_HASHES) * hashLength;
      byte[] out = new byte[hashLength];
      if (chunk < spilled) {
        read(chunk * CHUNK_HASHES * hashLength + at, out);
      } else {
        System.arraycopy(chunks.get((int) (chunk - spilled)), at, out, 0, hashLength);
      }
      return out;
    }

    private void write(byte[] chunk) {
      try {
        if (file == null) {
          Files.createDirectories(spill);
          file = FileChannel.open(spill.resolve("level-" + number), StandardOpenOption.CREATE, StandardOpenOption.READ,
              StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        }
        ByteBuffer b = ByteBuffer.wrap(chunk);
        long at = spilled * chunk.length;
        while (b.hasRemaining()) {
          at += file.write(b, at);
        }
        spilled++;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot spill the Merkle tree's level " + number + " to " + spill, e);
      }
    }

    private void read(long position, byte[] into) {
      try {
        ByteBuffer b = ByteBuffer.wrap(into);
        long at = position;
        while (b.hasRemaining()) {
          int n = file.read(b, at);
          if (n < 0) {
            throw new IOException("level " + number + " ends before byte " + at);
          }
          at += n;
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the Merkle tree's level " + number + " from " + spill, e);
      }
    }

    void close() throws IOException {
      if (file != null) {
        file.close();
        Files.deleteIfExists(spill.resolve("level-" + number));
      }
    }
  }
}
