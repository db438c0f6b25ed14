package sluice.nodes.department;

import java.util.BitSet;
import java.util.List;
import sluice.crypto.NodeId;
import sluice.crypto.psi.PsiKey;
import sluice.crypto.psi.PsiSuite;
import sluice.gateway.psi.TagSpill;
import sluice.v1.PsiMode;

/**
 * What a sender keeps of one PSI session across connections, so that a dropped session resumes
 * without starting over: its key and its shuffled keys (own elements are masked again from where
 * the receiver's copy ends, and INTERSECTION tags from the receiver's first missing one); for
 * CARDINALITY also the receiver's tags as far as they were computed, spilled to disk until all
 * are in and shuffled. Guarded by the session that holds it (one at a time) and by itself.
 */
final class PsiSenderState {
  final String id;
  final NodeId consumer;
  final String resourceCode;
  final PsiSuite suite;
  final PsiMode mode;
  final long receiverSetSize;
  final PsiKey key;
  final List<String> own;
  /** CARDINALITY: the receiver's tags, which positions they are of, and how many. */
  final TagSpill tags;
  final BitSet tagged = new BitSet();
  long taggedCount;
  /** When it was last used (System.nanoTime()), for expiry. */
  long touched = System.nanoTime();

  PsiSenderState(String id, NodeId consumer, String resourceCode, PsiSuite suite, PsiMode mode, long receiverSetSize,
      PsiKey key, List<String> own, TagSpill tags) {
    this.id = id;
    this.consumer = consumer;
    this.resourceCode = resourceCode;
    this.suite = suite;
    this.mode = mode;
    this.receiverSetSize = receiverSetSize;
    this.key = key;
    this.own = own;
    this.tags = tags;
  }

  /** Whether a resuming start is about this session. */
  boolean matches(NodeId consumer, String resourceCode, PsiSuite suite, PsiMode mode, long receiverSetSize) {
    return this.consumer.equals(consumer) && this.resourceCode.equals(resourceCode) && this.suite == suite
        && this.mode == mode && this.receiverSetSize == receiverSetSize;
  }

  /** The session is over: its key is destroyed and its spill deleted. */
  synchronized void close() {
    key.destroy();
    if (tags != null) {
      tags.close();
    }
  }
}
