package sluice.nodes.department;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import sluice.crypto.NodeId;
import sluice.crypto.Sm2;
import sluice.crypto.pki.Revocations;
import sluice.crypto.pki.SigningChains;
import sluice.v1.ShareKeyBody;
import sluice.v1.SignedShareKey;

/**
 * What a department checks of the participants' keys the hub hands it for a secure aggregation,
 * before it masks anything with them: each key signed under a certificate chain to the
 * federation root that its CA has not revoked (so neither the hub nor the holder of a revoked,
 * perhaps stolen, signing key can slip in a key whose private half it knows), naming its signer
 * and this session; this node's own key among them unchanged; as many as joined, in at least
 * {@link DepartmentAggregateService#MIN_PARTICIPANTS} provinces.
 */
final class ParticipantKeys {

  private final NodeId self;
  private final List<X509Certificate> roots;
  private final Revocations revocations;

  ParticipantKeys(NodeId self, List<X509Certificate> roots, Revocations revocations) {
    this.self = self;
    this.roots = List.copyOf(roots);
    this.revocations = revocations;
  }

  /**
   * Every other participant's public key by node id.
   *
   * @throws StatusRuntimeException INVALID_ARGUMENT saying which check failed
   */
  Map<String, byte[]> check(List<SignedShareKey> keys, String sessionId, byte[] ownKey, int participants, Instant now) {
    Map<String, byte[]> others = new HashMap<>();
    Set<Integer> provinces = new HashSet<>();
    boolean mine = false;
    for (SignedShareKey k : keys) {
      ShareKeyBody body;
      NodeId signerNode;
      try {
        body = ShareKeyBody.parseFrom(k.getBody());
        List<X509Certificate> certs = SigningChains.parse(k.getSignerChainList().stream().map(ByteString::toByteArray).toList());
        signerNode = SigningChains.validate(certs, roots, now);
        revocations.current().check(certs.toArray(new X509Certificate[0]), roots);
        if (!Sm2.verifier(certs.get(0).getPublicKey()).verify(k.getBody().toByteArray(), k.getSignature().toByteArray())) {
          throw invalid("the key of " + body.getNodeId() + " is not signed by its certificate's key");
        }
      } catch (InvalidProtocolBufferException | CertificateException e) {
        throw invalid("a participant's key does not check out: " + e.getMessage());
      }
      if (!signerNode.toString().equals(body.getNodeId()) || !body.getSessionId().equals(sessionId)) {
        throw invalid("a key signed by " + signerNode + " names " + body.getNodeId() + " in session " + body.getSessionId());
      }
      provinces.add(signerNode.provinceOf().map(p -> p.code()).orElse(-1));
      if (signerNode.equals(self)) {
        if (!java.util.Arrays.equals(body.getPublicKey().toByteArray(), ownKey)) {
          throw invalid("this node's key in the list is not the one it made for the session");
        }
        mine = true;
      } else if (others.put(body.getNodeId(), body.getPublicKey().toByteArray()) != null) {
        throw invalid(body.getNodeId() + " appears twice among the participants");
      }
    }
    if (!mine) {
      throw invalid("this node is not among the session's participants");
    }
    if (others.size() + 1 != participants) {
      throw invalid("the session was joined for " + participants + " participants, but " + (others.size() + 1) + " keys came");
    }
    if (provinces.size() < DepartmentAggregateService.MIN_PARTICIPANTS) {
      throw invalid("the participants are in " + provinces.size() + " provinces; at least "
          + DepartmentAggregateService.MIN_PARTICIPANTS);
    }
    return others;
  }

  private static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }
}
