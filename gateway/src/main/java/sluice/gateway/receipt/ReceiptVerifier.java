package sluice.gateway.receipt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import sluice.crypto.NodeId;
import sluice.crypto.Sm2;
import sluice.crypto.pki.SigningChains;
import sluice.v1.Answer;
import sluice.v1.Receipt;
import sluice.v1.ReceiptBody;
import sluice.v1.FieldValue;
import sluice.v1.QueryRequest;
import sluice.v1.VerifyRequest;

/**
 * Checks a verification receipt offline, with nothing but the federation root certificates:
 * the signer's chain leads to a root and names a department node, the SM2 signature covers the
 * body, and the body binds the answer to the exact request that was sent. Thread-safe.
 *
 * <p>A chain that validated once is remembered (by its exact bytes) with the window in which all
 * its certificates are valid, so a stream of receipts from one department costs one path
 * validation, not one per receipt. A signer whose certificate the federation revoked is refused
 * (the chain is checked again whenever the revocation list changes).
 */
public final class ReceiptVerifier {
  private final List<X509Certificate> roots;
  private final Cache<List<ByteString>, TrustedSigner> signers =
      Caffeine.newBuilder().maximumSize(4_096).build();

  private final sluice.crypto.pki.Revocations revocations;

  /** A verifier that does not check revocation. */
  public ReceiptVerifier(List<X509Certificate> roots) {
    this(roots, sluice.crypto.pki.Revocations.none());
  }

  /** A verifier refusing receipts signed under a certificate {@code revocations} lists. */
  public ReceiptVerifier(List<X509Certificate> roots, sluice.crypto.pki.Revocations revocations) {
    this.roots = List.copyOf(roots);
    this.revocations = revocations;
  }

  /**
   * Verifies that {@code receipt} proves {@code answer} to {@code request}.
   *
   * @return the verified receipt body
   * @throws InvalidReceiptException naming the failed check
   */
  public ReceiptBody verify(Receipt receipt, VerifyRequest request, Answer answer)
      throws InvalidReceiptException {
    return verify(receipt, RequestDigest.of(request), request.getResourceCode(), answer);
  }

  /**
   * Checks a Query receipt: signature, request digest, answer, resource, and that every field
   * received is one the department signed (a gateway may have withheld some, never added or
   * changed one).
   *
   * @return the verified receipt body
   * @throws InvalidReceiptException naming the failed check
   */
  public ReceiptBody verify(Receipt receipt, QueryRequest request, Answer answer, List<FieldValue> fields)
      throws InvalidReceiptException {
    ReceiptBody body = verify(receipt, RequestDigest.of(request), request.getResourceCode(), answer);
    java.util.Set<ByteString> signed = new java.util.HashSet<>(body.getFieldDigestsList());
    for (FieldValue f : fields) {
      if (!signed.contains(ByteString.copyFrom(RequestDigest.of(f)))) {
        throw new InvalidReceiptException("field " + f.getName() + " is not as the department signed it");
      }
    }
    return body;
  }

  /** Signature, then that the receipt is for this request digest, resource and answer. */
  private ReceiptBody verify(Receipt receipt, byte[] requestDigest, String resourceCode, Answer answer)
      throws InvalidReceiptException {
    ReceiptBody body = verifySignature(receipt);
    if (!MessageDigest.isEqual(body.getRequestDigest().toByteArray(), requestDigest)) {
      throw new InvalidReceiptException("receipt is for a different request (digest mismatch)");
    }
    if (body.getAnswer() != answer) {
      throw new InvalidReceiptException("receipt says " + body.getAnswer() + " but the answer given was " + answer);
    }
    if (!body.getResourceCode().equals(resourceCode)) {
      throw new InvalidReceiptException("receipt is for resource " + body.getResourceCode() + ", not " + resourceCode);
    }
    return body;
  }

  private TrustedSigner signer(List<ByteString> chainDer, Instant at)
      throws InvalidReceiptException {
    sluice.crypto.pki.RevocationList revoked = revocations.current();
    TrustedSigner known = signers.getIfPresent(chainDer);
    if (known != null && known.validAt(at) && known.checkedAgainst() == revoked) {
      return known;
    }
    try {
      List<X509Certificate> chain =
          SigningChains.parse(chainDer.stream().map(ByteString::toByteArray).toList());
      NodeId node = SigningChains.validate(chain, roots, at);
      revoked.check(chain.toArray(new X509Certificate[0]), roots);
      Instant from = Instant.MIN;
      Instant to = Instant.MAX;
      for (X509Certificate c : chain) {
        from = max(from, c.getNotBefore().toInstant());
        to = min(to, c.getNotAfter().toInstant());
      }
      TrustedSigner signer = new TrustedSigner(node, chain.get(0).getPublicKey(), from, to, revoked);
      signers.put(List.copyOf(chainDer), signer);
      return signer;
    } catch (CertificateException e) {
      throw new InvalidReceiptException("receipt signer: " + e.getMessage(), e);
    }
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /**
   * Checks the chain and signature only.
   *
   * @return the signed body
   */
  public ReceiptBody verifySignature(Receipt receipt) throws InvalidReceiptException {
    if (!Sm2.ALGORITHM.equals(receipt.getAlgorithm())) {
      throw new InvalidReceiptException(
          "unsupported receipt algorithm \"" + receipt.getAlgorithm() + "\"");
    }
    ReceiptBody body;
    try {
      body = ReceiptBody.parseFrom(receipt.getBody());
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidReceiptException("receipt body is not a ReceiptBody", e);
    }
    Instant at;
    try {
      at = Instant.ofEpochSecond(body.getAnsweredAt().getSeconds(), body.getAnsweredAt().getNanos());
    } catch (java.time.DateTimeException e) {
      throw new InvalidReceiptException("receipt time is out of range", e);
    }
    TrustedSigner signer = signer(receipt.getSignerChainList(), at);
    if (!signer.node().isDepartment() || !signer.node().toString().equals(body.getNodeId())) {
      throw new InvalidReceiptException(
          "receipt names node " + body.getNodeId() + " but was signed by " + signer.node());
    }
    if (!Sm2.verifier(signer.key())
        .verify(receipt.getBody().toByteArray(), receipt.getSignature().toByteArray())) {
      throw new InvalidReceiptException("receipt signature does not verify");
    }
    return body;
  }
}
