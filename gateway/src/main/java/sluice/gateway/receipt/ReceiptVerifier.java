package sluice.gateway.receipt;

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
import sluice.v1.VerifyRequest;

/**
 * Checks a verification receipt offline, with nothing but the federation root certificates:
 * the signer's chain leads to a root and names a department node, the SM2 signature covers the
 * body, and the body binds the answer to the exact request that was sent. Thread-safe.
 */
public final class ReceiptVerifier {
  private final List<X509Certificate> roots;

  public ReceiptVerifier(List<X509Certificate> roots) {
    this.roots = List.copyOf(roots);
  }

  /**
   * Verifies that {@code receipt} proves {@code answer} to {@code request}.
   *
   * @return the verified receipt body
   * @throws InvalidReceiptException naming the failed check
   */
  public ReceiptBody verify(Receipt receipt, VerifyRequest request, Answer answer)
      throws InvalidReceiptException {
    ReceiptBody body = verifySignature(receipt);
    if (!MessageDigest.isEqual(
        body.getRequestDigest().toByteArray(), RequestDigest.of(request))) {
      throw new InvalidReceiptException("receipt is for a different request (digest mismatch)");
    }
    if (body.getAnswer() != answer) {
      throw new InvalidReceiptException(
          "receipt says " + body.getAnswer() + " but the answer given was " + answer);
    }
    if (!body.getResourceCode().equals(request.getResourceCode())) {
      throw new InvalidReceiptException(
          "receipt is for resource " + body.getResourceCode() + ", not "
              + request.getResourceCode());
    }
    return body;
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
    Instant at =
        Instant.ofEpochSecond(body.getAnsweredAt().getSeconds(), body.getAnsweredAt().getNanos());
    List<X509Certificate> chain;
    NodeId signer;
    try {
      chain =
          SigningChains.parse(
              receipt.getSignerChainList().stream().map(b -> b.toByteArray()).toList());
      signer = SigningChains.validate(chain, roots, at);
    } catch (CertificateException e) {
      throw new InvalidReceiptException("receipt signer: " + e.getMessage(), e);
    }
    if (!signer.isDepartment() || !signer.toString().equals(body.getNodeId())) {
      throw new InvalidReceiptException(
          "receipt names node " + body.getNodeId() + " but was signed by " + signer);
    }
    if (!Sm2.verifier(chain.get(0).getPublicKey())
        .verify(receipt.getBody().toByteArray(), receipt.getSignature().toByteArray())) {
      throw new InvalidReceiptException("receipt signature does not verify");
    }
    return body;
  }
}
