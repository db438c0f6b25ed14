package sluice.crypto.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only Merkle tree, in memory: the tree head at any size it has had, and inclusion and
 * consistency proofs between sizes (RFC 9162 sections 2.1.1, 2.1.3.1 and 2.1.4.1). It keeps the
 * hash of every complete subtree, so a tree head or proof costs O(log² n) hashes, not O(n).
 * Not thread-safe; the audit log guards it. Close a tree made with {@link #spilling} after use.
 */
public final class MerkleTree implements AutoCloseable {
  private final TreeHash hash;
  private final HashLevels levels;

  public MerkleTree(TreeHash hash) {
    this.hash = hash;
    this.levels = new HashLevels(hash.length());
  }

  /**
   * A tree whose hashes, beyond a chunk of each level, live in files in {@code dir} (created if
   * missing; files there from an earlier tree are overwritten) rather than in memory: for trees
   * that grow as long as a process runs. The files are removed by {@link #close}.
   */
  public static MerkleTree spilling(TreeHash hash, java.nio.file.Path dir) {
    return new MerkleTree(hash, new HashLevels(hash.length(), dir));
  }

  private MerkleTree(TreeHash hash, HashLevels levels) {
    this.hash = hash;
    this.levels = levels;
  }

  /**
   * A tree of {@code size} leaves known only by their compact range ({@link #frontier}), to be
   * extended: its heads at {@code size} and after, and the proofs of leaves from {@code size} on,
   * are those of the whole tree; nothing before {@code size} can be asked of it. So a segment of
   * a log can be checked against a checkpoint without the entries before it.
   *
   * @throws IllegalArgumentException when the frontier does not hold one hash per one-bit of size
   */
  public static MerkleTree extending(TreeHash hash, long size, List<byte[]> frontier) {
    if (size < 0) {
      throw new IllegalArgumentException("a tree has no negative size");
    }
    for (byte[] h : frontier) {
      if (h.length != hash.length()) {
        throw new IllegalArgumentException("a compact range hash is " + hash.length() + " bytes, not " + h.length);
      }
    }
    return new MerkleTree(hash, new HashLevels(hash.length(), size, frontier));
  }

  public TreeHash hash() {
    return hash;
  }

  /** Appends the entry {@code data} and returns its index. */
  public long append(byte[] data) {
    return appendLeafHash(hash.leaf(data));
  }

  /**
   * Appends an entry by its leaf hash, {@code hash().leaf(data)}, computed elsewhere (a caller's
   * thread, say), and returns its index.
   */
  public long appendLeafHash(byte[] leafHash) {
    if (leafHash.length != hash.length()) {
      throw new IllegalArgumentException("a leaf hash of " + hash + " is " + hash.length() + " bytes, not " + leafHash.length);
    }
    levels.appendLeaf(leafHash, hash);
    return levels.leaves() - 1;
  }

  /**
   * The compact range of the first {@code size} leaves: the hash of each complete subtree in the
   * binary decomposition of {@code size}, largest (leftmost) first. With it, the tree can be
   * extended and its heads computed without the leaves before {@code size} ({@link CompactRange}).
   */
  public List<byte[]> frontier(long size) {
    requireSize(size);
    List<byte[]> out = new ArrayList<>();
    long from = 0;
    for (int level = 63; level >= 0; level--) {
      long block = 1L << level;
      if ((size & block) != 0) {
        out.add(levels.get(level, from >> level));
        from += block;
      }
    }
    return out;
  }

  public long size() {
    return levels.leaves();
  }

  /** The tree head of the first {@code size} leaves. */
  public byte[] root(long size) {
    requireSize(size);
    requireHeld(size, "a head at size");
    return size == 0 ? hash.empty() : mth(0, size);
  }

  /** The audit path of leaf {@code index} in the tree of the first {@code size} leaves. */
  public List<byte[]> inclusionProof(long index, long size) {
    requireSize(size);
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("leaf " + index + " is not in a tree of " + size);
    }
    requireHeld(index, "a proof of leaf");
    List<byte[]> path = new ArrayList<>();
    path(index, 0, size, path);
    return path;
  }

  /** The proof that the tree of {@code oldSize} leaves is a prefix of the tree of {@code newSize}. */
  public List<byte[]> consistencyProof(long oldSize, long newSize) {
    requireSize(newSize);
    if (oldSize < 0 || oldSize > newSize) {
      throw new IllegalArgumentException("size " + oldSize + " is not between 0 and " + newSize);
    }
    if (oldSize > 0) {
      requireHeld(oldSize, "a proof from size");
    }
    List<byte[]> proof = new ArrayList<>();
    if (oldSize > 0 && oldSize < newSize) {
      subproof(oldSize, 0, newSize, true, proof);
    }
    return proof;
  }

  /** MTH(D[from:to]); a complete aligned subtree is read from its level. */
  private byte[] mth(long from, long to) {
    long n = to - from;
    if (Long.bitCount(n) == 1 && from % n == 0) {
      return levels.get(Long.numberOfTrailingZeros(n), from / n);
    }
    long k = split(n);
    return hash.node(mth(from, from + k), mth(from + k, to));
  }

  private void path(long m, long from, long to, List<byte[]> out) {
    long n = to - from;
    if (n == 1) {
      return;
    }
    long k = split(n);
    if (m < k) {
      path(m, from, from + k, out);
      out.add(mth(from + k, to));
    } else {
      path(m - k, from + k, to, out);
      out.add(mth(from, from + k));
    }
  }

  private void subproof(long m, long from, long to, boolean whole, List<byte[]> out) {
    long n = to - from;
    if (m == n) {
      if (!whole) {
        out.add(mth(from, to));
      }
      return;
    }
    long k = split(n);
    if (m <= k) {
      subproof(m, from, from + k, whole, out);
      out.add(mth(from + k, to));
    } else {
      subproof(m - k, from + k, to, false, out);
      out.add(mth(from, from + k));
    }
  }

  /** The largest power of two smaller than {@code n} (n > 1). */
  static long split(long n) {
    return Long.highestOneBit(n - 1);
  }

  /** Refuses what would need the leaves before those a tree {@link #extending extends} from. */
  private void requireHeld(long at, String what) {
    if (at < levels.start()) {
      throw new IllegalArgumentException("the tree holds leaves from " + levels.start() + " on: " + what + " " + at
          + " needs those before");
    }
  }

  private void requireSize(long size) {
    if (size < 0 || size > size()) {
      throw new IllegalArgumentException("the tree has " + size() + " leaves, not " + size);
    }
  }

  /** Removes the files of a {@link #spilling} tree; nothing for one in memory. */
  @Override
  public void close() {
    levels.close();
  }
}
