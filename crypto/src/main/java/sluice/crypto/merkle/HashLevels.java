package sluice.crypto.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * The hashes of every complete, aligned subtree of an append-only tree: level 0 holds the leaf
 * hashes, level {@code l} the hash of each run of {@code 2^l} leaves starting at a multiple of
 * {@code 2^l}. Stored in fixed-size chunks of one flat array each, so a million leaves cost
 * about twice 32 MB and no object per hash.
 */
final class HashLevels {
  private static final int CHUNK_HASHES = 1 << 14;

  private final int hashLength;
  private final List<Level> levels = new ArrayList<>();

  HashLevels(int hashLength) {
    this.hashLength = hashLength;
  }

  /** The number of hashes at level 0. */
  long leaves() {
    return levels.isEmpty() ? 0 : levels.get(0).size;
  }

  /** Adds a leaf hash, and the hash of every subtree it completes, combined by {@code node}. */
  void appendLeaf(byte[] leafHash, TreeHash hash) {
    byte[] h = leafHash;
    int level = 0;
    while (true) {
      if (levels.size() == level) {
        levels.add(new Level());
      }
      Level l = levels.get(level);
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

  private final class Level {
    private final List<byte[]> chunks = new ArrayList<>();
    private long size;

    void add(byte[] h) {
      int at = (int) (size % CHUNK_HASHES);
      if (at == 0) {
        chunks.add(new byte[CHUNK_HASHES * hashLength]);
      }
      System.arraycopy(h, 0, chunks.get(chunks.size() - 1), at * hashLength, hashLength);
      size++;
    }

    byte[] get(long index) {
      byte[] chunk = chunks.get((int) (index / CHUNK_HASHES));
      int at = (int) (index % CHUNK_HASHES) * hashLength;
      byte[] out = new byte[hashLength];
      System.arraycopy(chunk, at, out, 0, hashLength);
      return out;
    }
  }
}
