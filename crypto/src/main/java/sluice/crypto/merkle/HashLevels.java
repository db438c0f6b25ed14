package sluice.crypto.merkle;

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

  HashLevels(int hashLength) {
    this.hashLength = hashLength;
    this.start = 0;
  }

  /** Levels that start from {@code frontier}, the compact range of the first {@code start} leaves. */
  HashLevels(int hashLength, long start, List<byte[]> frontier) {
    this.hashLength = hashLength;
    this.start = start;
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

  private final class Level {
    private final List<byte[]> chunks = new ArrayList<>();
    /** The index of the first subtree held. */
    private long base;
    /** The index after the last subtree held. */
    private long size;

    void add(byte[] h) {
      int at = (int) ((size - base) % CHUNK_HASHES);
      if (at == 0) {
        chunks.add(new byte[CHUNK_HASHES * hashLength]);
      }
      System.arraycopy(h, 0, chunks.get(chunks.size() - 1), at * hashLength, hashLength);
      size++;
    }

    byte[] get(long index) {
      if (index < base) {
        throw new IllegalArgumentException("the tree holds no hashes from before leaf " + start);
      }
      long i = index - base;
      byte[] chunk = chunks.get((int) (i / CHUNK_HASHES));
      int at = (int) (i % CHUNK_HASHES) * hashLength;
      byte[] out = new byte[hashLength];
      System.arraycopy(chunk, at, out, 0, hashLength);
      return out;
    }
  }
}
