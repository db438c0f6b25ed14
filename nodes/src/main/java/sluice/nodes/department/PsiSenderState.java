package sluice.nodes.department;

import java.util.BitSet;
import java.util.List;
import sluice.crypto.NodeId;
import sluice.crypto.psi.PsiGroup;
import sluice.crypto.psi.PsiKey;
import sluice.crypto.psi.PsiSuite;
import sluice.v1.PsiMode;

/**
 * What a sender keeps of one PSI session across connections, so that a dropped session resumes
 * without starting over: its key, its shuffled keys, its own masked elements and the receiver's
 * tags as far as they were computed. Guarded by the session that holds it (one at a time).
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
  final byte[] ownMasked;
  final BitSet ownDone = new BitSet();
  final byte[] tags;
  final BitSet tagged = new BitSet();
  /** When it was last used (System.nanoTime()), for expiry. */
  long touched = System.nanoTime();

  PsiSenderState(String id, NodeId consumer, String resourceCode, PsiSuite suite, PsiMode mode, long receiverSetSize,
      PsiKey key, List<String> own) {
    this.id = id;
    this.consumer = consumer;
    this.resourceCode = resourceCode;
    this.suite = suite;
    this.mode = mode;
    this.receiverSetSize = receiverSetSize;
    this.key = key;
    this.own = own;
    this.ownMasked = new byte[Math.multiplyExact(own.size(), suite.group().pointLength())];
    this.tags = new byte[Math.toIntExact(receiverSetSize * PsiGroup.TAG_LENGTH)];
  }

  /** Whether a resuming start is about this session. */
  boolean matches(NodeId consumer, String resourceCode, PsiSuite suite, PsiMode mode, long receiverSetSize) {
    return this.consumer.equals(consumer) && this.resourceCode.equals(resourceCode) && this.suite == suite
        && this.mode == mode && this.receiverSetSize == receiverSetSize;
  }
}
