package sluice.gateway.psi;

import sluice.crypto.psi.PsiGroup;
import sluice.crypto.psi.PsiSuite;
import sluice.v1.IntersectAccepted;
import sluice.v1.IntersectResult;
import sluice.v1.IntersectStart;
import sluice.v1.MaskedElements;
import sluice.v1.PsiMode;
import sluice.v1.PsiSession;
import sluice.v1.Tags;

/**
 * The shape of one Intersect session, checked message by message by every node it passes: only
 * whole encoded elements and tags go by, in the declared numbers, in protocol order. A node that
 * checks this knows that nothing but masked values of fixed length left the sender, and no more
 * of them than the protocol needs. Not thread-safe: one direction's messages arrive in order, and
 * callers serialize the two directions.
 */
public final class PsiSessionRules {
  /** The most elements either set may hold. */
  public static final long MAX_SET_SIZE = 50_000_000;
  /** The most masked elements or tags one message carries. */
  public static final int MAX_PER_MESSAGE = 4096;

  private final PsiSuite suite;
  private final PsiMode mode;
  private final String receiverResource;
  private final long receiverSetSize;
  private final int pointLength;
  private final String resumes;
  private final long tagsHeld;
  private final long senderHeld;
  private long senderSetSize = -1;
  private long toSender;
  private long fromSender;
  private long tags;
  private long resultSize = -1;
  /** Where a resumed session's counts started: the facts give what passed in this session. */
  private long toSenderStart;
  private long fromSenderStart;

  private PsiSessionRules(IntersectStart start, PsiSuite suite) {
    this.suite = suite;
    this.mode = start.getMode();
    this.receiverResource = start.getReceiverResourceCode();
    this.receiverSetSize = start.getReceiverSetSize();
    this.pointLength = suite.group().pointLength();
    this.resumes = start.getResumeSessionId();
    this.tagsHeld = start.getResumeTagsHeld();
    this.senderHeld = start.getResumeSenderElementsHeld();
    this.tags = tagsHeld;
  }

  /**
   * The rules of a session that starts with {@code start}.
   *
   * @throws IllegalArgumentException saying what in the start is wrong
   */
  public static PsiSessionRules of(IntersectStart start) {
    PsiSuite suite;
    if (start.getSuite().isEmpty()) {
      throw new IllegalArgumentException("start.suite is empty: name a PSI suite (SM2_SM3_SSWU, SM2_SM3_TAI, P256_SHA256_SSWU or X25519_SHA256)");
    }
    try {
      suite = PsiSuite.named(start.getSuite());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("start.suite: " + e.getMessage());
    }
    if (start.getMode() != PsiMode.INTERSECTION && start.getMode() != PsiMode.CARDINALITY) {
      throw new IllegalArgumentException("start.mode must be INTERSECTION or CARDINALITY");
    }
    if (start.getReceiverResourceCode().isBlank()) {
      throw new IllegalArgumentException(
          "start.receiver_resource_code is empty: name the resource of yours the set is drawn from");
    }
    if (start.getReceiverSetSize() < 1 || start.getReceiverSetSize() > MAX_SET_SIZE) {
      throw new IllegalArgumentException("start.receiver_set_size must be 1 to " + MAX_SET_SIZE + ", not "
          + start.getReceiverSetSize());
    }
    if (start.getResumeSessionId().length() > 64) {
      throw new IllegalArgumentException("start.resume_session_id is longer than 64 characters");
    }
    if (start.getResumeSessionId().isEmpty() && (start.getResumeTagsHeld() != 0 || start.getResumeSenderElementsHeld() != 0)) {
      throw new IllegalArgumentException("start.resume_tags_held and resume_sender_elements_held are for resuming a session");
    }
    if (start.getResumeTagsHeld() > start.getReceiverSetSize()) {
      throw new IllegalArgumentException("start.resume_tags_held is more than the receiver's elements");
    }
    if (start.getMode() == PsiMode.CARDINALITY && start.getResumeTagsHeld() != 0) {
      throw new IllegalArgumentException("a CARDINALITY session's tags come all at the end: resume with resume_tags_held 0");
    }
    return new PsiSessionRules(start, suite);
  }

  /** The session this one resumes, or empty. */
  public String resumes() {
    return resumes;
  }

  /** How many of the receiver's elements this session can still reveal something about (the quota charge). */
  public long elementsStillOpen() {
    return receiverSetSize - tagsHeld;
  }

  public PsiSuite suite() {
    return suite;
  }

  public PsiMode mode() {
    return mode;
  }

  public long receiverSetSize() {
    return receiverSetSize;
  }

  /** The sender's set size, or -1 before it accepted. */
  public long senderSetSize() {
    return senderSetSize;
  }

  /** Masked elements the receiver sends; they must come in order. Returns how many there were. */
  public long toSender(MaskedElements m) {
    if (resultSize >= 0) {
      throw new IllegalArgumentException("elements after the result");
    }
    long count = count(m.getPoints().size(), pointLength, "receiver's elements");
    if (m.getFirst() != toSender) {
      throw new IllegalArgumentException("receiver's elements must come in order: expected first = " + toSender
          + ", got " + m.getFirst());
    }
    if (toSender + count > receiverSetSize) {
      throw new IllegalArgumentException("the receiver sent more than the " + receiverSetSize + " elements it declared");
    }
    toSender += count;
    return count;
  }

  /** The result the receiver reports, once it sent every element and received everything. */
  public void result(IntersectResult r) {
    if (resultSize >= 0) {
      throw new IllegalArgumentException("a second result");
    }
    if (toSender != receiverSetSize || senderSetSize < 0 || fromSender != senderSetSize || tags != receiverSetSize) {
      throw new IllegalArgumentException("the result came before the session's elements and tags were all exchanged");
    }
    if (r.getResultSize() > Math.min(receiverSetSize, senderSetSize)) {
      throw new IllegalArgumentException("a result of " + r.getResultSize() + " is larger than either set");
    }
    resultSize = r.getResultSize();
  }

  public void accepted(IntersectAccepted a) {
    if (senderSetSize >= 0) {
      throw new IllegalArgumentException("the sender accepted twice");
    }
    if (a.getSenderSetSize() > MAX_SET_SIZE) {
      throw new IllegalArgumentException("the sender declared " + a.getSenderSetSize() + " elements, more than " + MAX_SET_SIZE);
    }
    if (a.getTagLength() != PsiGroup.TAG_LENGTH) {
      throw new IllegalArgumentException("the sender's tags are " + a.getTagLength() + " bytes, not " + PsiGroup.TAG_LENGTH);
    }
    if (a.getSenderElementsFrom() != senderHeld || a.getSenderElementsFrom() > a.getSenderSetSize()) {
      throw new IllegalArgumentException("the sender continues its elements from " + a.getSenderElementsFrom()
          + ", not from " + senderHeld);
    }
    if (a.getReceiverElementsFrom() < tagsHeld || a.getReceiverElementsFrom() > receiverSetSize
        || resumes.isEmpty() && a.getReceiverElementsFrom() != 0) {
      throw new IllegalArgumentException("the sender asks for the receiver's elements from " + a.getReceiverElementsFrom());
    }
    senderSetSize = a.getSenderSetSize();
    fromSender = a.getSenderElementsFrom();
    toSender = a.getReceiverElementsFrom();
    fromSenderStart = fromSender;
    toSenderStart = toSender;
  }

  public void fromSender(MaskedElements m) {
    requireAccepted();
    long count = count(m.getPoints().size(), pointLength, "sender's elements");
    if (m.getFirst() != fromSender) {
      throw new IllegalArgumentException("sender's elements must come in order: expected first = " + fromSender);
    }
    if (fromSender + count > senderSetSize) {
      throw new IllegalArgumentException("the sender sent more than the " + senderSetSize + " elements it declared");
    }
    fromSender += count;
  }

  /** Tags from the sender: never more than the receiver's elements it has received. */
  public void tags(Tags t) {
    requireAccepted();
    long count = count(t.getTags().size(), PsiGroup.TAG_LENGTH, "tags");
    if (t.getFirst() + count > toSender) {
      throw new IllegalArgumentException("tags for elements " + t.getFirst() + ".." + (t.getFirst() + count - 1)
          + ", but only " + toSender + " went to the sender");
    }
    if (tags + count > receiverSetSize) {
      throw new IllegalArgumentException("more tags than the receiver's " + receiverSetSize + " elements");
    }
    tags += count;
  }

  /** Whether the receiver has sent all its elements. */
  public boolean receiverElementsDone() {
    return toSender == receiverSetSize;
  }

  /** Whether the sender has sent a tag for each of the receiver's elements. */
  public boolean tagsDone() {
    return tags == receiverSetSize;
  }

  /** Whether everything was exchanged and the result reported. */
  public boolean complete() {
    return resultSize >= 0;
  }

  private void requireAccepted() {
    if (senderSetSize < 0) {
      throw new IllegalArgumentException("the sender sent elements before accepting");
    }
  }

  private static long count(int bytes, int each, String what) {
    if (bytes == 0 || bytes % each != 0) {
      throw new IllegalArgumentException(what + ": " + bytes + " bytes is not a whole number of " + each + "-byte values");
    }
    int count = bytes / each;
    if (count > MAX_PER_MESSAGE) {
      throw new IllegalArgumentException(what + ": " + count + " in one message, more than " + MAX_PER_MESSAGE);
    }
    return count;
  }

  /** The session's public facts for the audit log. */
  public PsiSession facts() {
    return PsiSession.newBuilder()
        .setSuite(suite.id())
        .setMode(mode.name())
        .setReceiverResourceCode(receiverResource)
        .setReceiverSetSize(receiverSetSize)
        .setSenderSetSize(Math.max(0, senderSetSize))
        .setElementsToSender(toSender - toSenderStart)
        .setElementsFromSender(fromSender - fromSenderStart)
        .setTagsFromSender(tags - tagsHeld)
        .setResultSize(Math.max(0, resultSize))
        .setResultReported(resultSize >= 0)
        .setResumes(resumes)
        .build();
  }
}
