package sluice.gateway.receipt;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.util.List;
import sluice.crypto.Hex;
import sluice.crypto.NodeId;
import sluice.crypto.Signer;
import sluice.crypto.pki.NodeCredentials;
import sluice.crypto.pki.SigningChains;
import sluice.v1.Answer;
import sluice.v1.Receipt;
import sluice.v1.ReceiptBody;

/**
 * Signs verification receipts for one department node with its SM2 signing key. Thread-safe.
 */
public final class ReceiptSigner {
  private final NodeId node;
  private final Signer signer;
  private final String fingerprint;
  private final List<ByteString> chain;

  public ReceiptSigner(NodeCredentials credentials, Signer signer) {
    this.node = credentials.id();
    this.signer = signer;
    try {
      this.fingerprint =
          Hex.encode(
              MessageDigest.getInstance("SHA-256")
                  .digest(credentials.signingCertificate().getEncoded()));
    } catch (CertificateEncodingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot encode the signing certificate of " + node, e);
    }
    this.chain = SigningChains.encode(credentials.signingChain()).stream().map(ByteString::copyFrom).toList();
  }

  public NodeId node() {
    return node;
  }

  /** A receipt for {@code answer} to the request with digest {@code requestDigest}. */
  public Receipt sign(
      byte[] requestDigest,
      Answer answer,
      Instant answeredAt,
      String resourceCode,
      NodeId consumer,
      String requestId) {
    return sign(requestDigest, answer, answeredAt, resourceCode, consumer, requestId, List.of());
  }

  /** A Query receipt: as a Verify receipt, and the digest of each field returned. */
  public Receipt sign(
      byte[] requestDigest,
      Answer answer,
      Instant answeredAt,
      String resourceCode,
      NodeId consumer,
      String requestId,
      List<byte[]> fieldDigests) {
    ReceiptBody body =
        ReceiptBody.newBuilder()
            .addAllFieldDigests(fieldDigests.stream().map(ByteString::copyFrom).toList())
            .setRequestDigest(ByteString.copyFrom(requestDigest))
            .setAnswer(answer)
            .setAnsweredAt(
                Timestamp.newBuilder()
                    .setSeconds(answeredAt.getEpochSecond())
                    .setNanos(answeredAt.getNano()))
            .setNodeId(node.toString())
            .setResourceCode(resourceCode)
            .setConsumerNodeId(consumer.toString())
            .setRequestId(requestId)
            .build();
    byte[] bytes = body.toByteArray();
    return Receipt.newBuilder()
        .setBody(ByteString.copyFrom(bytes))
        .setAlgorithm(signer.algorithm())
        .setSignature(ByteString.copyFrom(signer.sign(bytes)))
        .setSignerCertificateSha256(fingerprint)
        .addAllSignerChain(chain)
        .build();
  }
}
