package sluice.gateway.audit;

import com.google.protobuf.MessageLite;
import sluice.crypto.Sm3;
import sluice.v1.BatchVerifyResponse;
import sluice.v1.QueryResponse;
import sluice.v1.VerifyResponse;

/**
 * What an audit entry's {@code answer_digest} is: SM3 over the answer as released, serialized,
 * with every receipt's {@code signer_chain} left out. The chain is the department's certificates,
 * the same on every answer it signs and named in the receipt itself by
 * {@code signer_certificate_sha256}, which the digest covers; leaving it out keeps about 1.3 KB
 * of hashing off every call at every gateway the answer passes.
 *
 * <p>To check an answer against an entry: clear the receipt's {@code signer_chain}, serialize,
 * SM3.
 */
public final class AnswerDigest {
  private AnswerDigest() {}

  /** The digest of {@code answer} as the audit log records it. */
  public static byte[] of(MessageLite answer) {
    return Sm3.digest(withoutChain(answer).toByteArray());
  }

  /** {@code answer} with its receipt's certificate chain left out (unchanged when it has none). */
  static MessageLite withoutChain(MessageLite answer) {
    if (answer instanceof VerifyResponse v && v.getReceipt().getSignerChainCount() > 0) {
      return v.toBuilder().setReceipt(v.getReceipt().toBuilder().clearSignerChain()).build();
    }
    if (answer instanceof QueryResponse q && q.getReceipt().getSignerChainCount() > 0) {
      return q.toBuilder().setReceipt(q.getReceipt().toBuilder().clearSignerChain()).build();
    }
    if (answer instanceof BatchVerifyResponse b && b.getReceipt().getSignerChainCount() > 0) {
      return b.toBuilder().setReceipt(b.getReceipt().toBuilder().clearSignerChain()).build();
    }
    return answer;
  }
}
