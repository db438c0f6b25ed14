package sluice.crypto.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tree extending the compact range of a whole tree's first leaves (any size up to 130, both
 * hashes) has the whole tree's heads at every later size, makes the same inclusion and
 * consistency proofs from there on, and refuses what would need the leaves it lacks.
 */
class ExtendingTreeTest {
  static byte[] leaf(int i) {
    return new byte[] {(byte) i, (byte) (i >> 8), 7};
  }

  @Test
  void aTreeExtendingAFrontierMatchesTheWholeTree() {
    for (TreeHash hash : TreeHash.values()) {
      MerkleTree whole = new MerkleTree(hash);
      for (int i = 0; i < 130; i++) {
        whole.append(leaf(i));
      }
      for (long from = 0; from <= 130; from++) {
        List<byte[]> frontier = whole.frontier(from);
        assertEquals(Long.bitCount(from), frontier.size());
        MerkleTree part = MerkleTree.extending(hash, from, frontier);
        assertEquals(from, part.size());
        assertArrayEquals(whole.root(from), part.root(from), hash + " head at " + from);
        for (long to = from + 1; to <= 130; to++) {
          part.appendLeafHash(hash.leaf(leaf((int) to - 1)));
          assertArrayEquals(whole.root(to), part.root(to), hash + " from " + from + " to " + to);
        }
        for (long to = Math.max(from, 1); to <= 130; to += 17) {
          for (long m = from; m < to; m += 5) {
            assertEquals(whole.inclusionProof(m, to).size(), part.inclusionProof(m, to).size());
            assertTrue(MerkleProofs.verifyInclusion(hash, hash.leaf(leaf((int) m)), m, to, part.inclusionProof(m, to),
                whole.root(to)), hash + " leaf " + m + " of " + to + " from " + from);
          }
          if (from > 0) {
            assertTrue(MerkleProofs.verifyConsistency(hash, from, to, part.consistencyProof(from, to), whole.root(from),
                whole.root(to)));
          }
        }
        List<byte[]> again = part.frontier(130);
        for (int k = 0; k < again.size(); k++) {
          assertArrayEquals(whole.frontier(130).get(k), again.get(k));
        }
      }
    }
  }

  @Test
  void whatNeedsTheMissingLeavesIsRefused() {
    MerkleTree whole = new MerkleTree(TreeHash.SM3);
    for (int i = 0; i < 20; i++) {
      whole.append(leaf(i));
    }
    MerkleTree part = MerkleTree.extending(TreeHash.SM3, 13, whole.frontier(13));
    part.append(leaf(13));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> part.root(12));
    assertEquals("the tree holds leaves from 13 on: a head at size 12 needs those before", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> part.inclusionProof(3, 14));
    assertThrows(IllegalArgumentException.class, () -> part.consistencyProof(5, 14));
    IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
        () -> MerkleTree.extending(TreeHash.SM3, 5, List.of(new byte[32])));
    assertEquals("a compact range of 5 leaves has 2 hashes, not 1", shape.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MerkleTree.extending(TreeHash.SM3, 1, List.of(new byte[31])));
  }
}
