package sluice.gateway.receipt;

import sluice.crypto.Sm3;
import sluice.v1.BatchHeader;
import sluice.v1.BatchItem;
import sluice.v1.FieldValue;
import sluice.v1.QueryRequest;
import sluice.v1.VerifyRequest;

/**
 * The digest a receipt binds its answer to: SM3 over the serialized {@link VerifyRequest}.
 * Gateways forward requests unchanged, so the consumer computes the same digest over what it
 * sent. A batch item is digested as the VerifyRequest its header and item form together.
 */
public final class RequestDigest {
  private RequestDigest() {}

  public static byte[] of(VerifyRequest request) {
    return Sm3.digest(request.toByteArray());
  }

  /** SM3 over the serialized Query request, as forwarded unchanged. */
  public static byte[] of(QueryRequest request) {
    return Sm3.digest(request.toByteArray());
  }

  /** SM3 over one returned field as serialized; a Query receipt lists these. */
  public static byte[] of(FieldValue field) {
    return Sm3.digest(field.toByteArray());
  }

  public static byte[] of(BatchHeader header, BatchItem item) {
    return of(asRequest(header, item));
  }

  /** The single request a batch item stands for. */
  public static VerifyRequest asRequest(BatchHeader header, BatchItem item) {
    VerifyRequest.Builder b =
        VerifyRequest.newBuilder()
            .setContext(header.getContext())
            .setResourceCode(header.getResourceCode())
            .setSubjectKey(item.getSubjectKey());
    if (item.hasPredicate()) {
      b.setPredicate(item.getPredicate());
    }
    return b.build();
  }
}
