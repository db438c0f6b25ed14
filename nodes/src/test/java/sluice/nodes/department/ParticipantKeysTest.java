package sluice.nodes.department;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.NodeId;
import sluice.crypto.Sm2;
import sluice.crypto.agg.ShareKeyPair;
import sluice.crypto.pki.FederationPki;
import sluice.crypto.pki.NodeCredentials;
import sluice.crypto.pki.RevocationList;
import sluice.crypto.pki.Revocations;
import sluice.crypto.pki.SigningChains;
import sluice.v1.ShareKeyBody;
import sluice.v1.SignedShareKey;

/**
 * A department masks its figures only with keys it has checked: signed under an unrevoked chain
 * to the root, naming their signer and this session, its own key unchanged, as many as joined,
 * in three provinces or more.
 */
class ParticipantKeysTest {
  static final NodeId BJ = NodeId.parse("prov-11/dept-ca");
  static final NodeId SH = NodeId.parse("prov-31/dept-tax");
  static final NodeId GD = NodeId.parse("prov-44/dept-hrss");
  static final NodeId GD2 = NodeId.parse("prov-44/dept-tax");
  static final NodeId CQ = NodeId.parse("prov-50/dept-hrss");
  static final String SESSION = "agg-0123456789abcdef";
  static final Instant NOW = Instant.now();
  static final SecureRandom RANDOM = new SecureRandom();

  @TempDir static Path dir;
  static FederationPki pki;
  static final Map<NodeId, NodeCredentials> credentials = new LinkedHashMap<>();
  static final Map<NodeId, ShareKeyPair> pairs = new LinkedHashMap<>();

  @BeforeAll
  static void init() throws Exception {
    pki = FederationPki.init(dir.resolve("pki"), List.of(NodeId.NATIONAL, BJ, SH, GD, GD2, CQ), NOW, Duration.ofDays(30), RANDOM);
    for (NodeId n : List.of(BJ, SH, GD, GD2, CQ)) {
      credentials.put(n, pki.load(n));
      pairs.put(n, new ShareKeyPair(RANDOM));
    }
  }

  static SignedShareKey signed(NodeId signer, String namedNode, String session, byte[] publicKey) {
    byte[] body = ShareKeyBody.newBuilder().setSessionId(session).setNodeId(namedNode)
        .setResourceCode("3-44-002-001-000001").setPublicKey(ByteString.copyFrom(publicKey)).build().toByteArray();
    NodeCredentials c = credentials.get(signer);
    SignedShareKey.Builder k = SignedShareKey.newBuilder().setBody(ByteString.copyFrom(body))
        .setSignature(ByteString.copyFrom(Sm2.signer(c.signingKey()).sign(body)));
    SigningChains.encode(c.signingChain()).forEach(d -> k.addSignerChain(ByteString.copyFrom(d)));
    return k.build();
  }

  static SignedShareKey signed(NodeId node) {
    return signed(node, node.toString(), SESSION, pairs.get(node).publicKey());
  }

  static ParticipantKeys checker(Revocations revocations) {
    return new ParticipantKeys(BJ, List.of(pki.root()), revocations);
  }

  static String refusal(ParticipantKeys keys, List<SignedShareKey> list, int participants) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
        () -> keys.check(list, SESSION, pairs.get(BJ).publicKey(), participants, NOW));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    return e.getStatus().getDescription();
  }

  @Test
  void keysThatCheckOutAreTheOthers() {
    Map<String, byte[]> others = checker(Revocations.none())
        .check(List.of(signed(BJ), signed(SH), signed(GD)), SESSION, pairs.get(BJ).publicKey(), 3, NOW);
    assertEquals(List.of(SH.toString(), GD.toString()), others.keySet().stream().sorted().toList());
    assertArrayEquals(pairs.get(SH).publicKey(), others.get(SH.toString()));
  }

  @Test
  void aKeySignedUnderARevokedCertificateIsRefused() throws Exception {
    ParticipantKeys before = checker(Revocations.none());
    List<SignedShareKey> keys = List.of(signed(BJ), signed(SH), signed(GD));
    assertEquals(2, before.check(keys, SESSION, pairs.get(BJ).publicKey(), 3, NOW).size());
    pki.revoke(SH, NOW);
    RevocationList list = RevocationList.read(pki.revocationFile());
    String why = refusal(checker(Revocations.fixed(list)), keys, 3);
    assertTrue(why.contains("prov-31/dept-tax") && why.contains("was revoked"), why);
    assertEquals(2, checker(Revocations.fixed(list))
        .check(List.of(signed(BJ), signed(GD), signed(CQ)), SESSION, pairs.get(BJ).publicKey(), 3, NOW).size(),
        "keys under certificates not revoked still check out");
  }

  @Test
  void forgedMisnamedOrIncompleteListsAreRefused() {
    ParticipantKeys keys = checker(Revocations.none());
    SignedShareKey gd = signed(GD);
    SignedShareKey forged = gd.toBuilder().setBody(signed(GD, GD.toString(), SESSION, pairs.get(GD2).publicKey()).getBody()).build();
    forged = forged.toBuilder().setSignature(gd.getSignature()).build();
    assertTrue(refusal(keys, List.of(signed(BJ), signed(SH), forged), 3).contains("is not signed by its certificate's key"));
    assertTrue(refusal(keys, List.of(signed(BJ), signed(SH), signed(GD, GD2.toString(), SESSION, pairs.get(GD).publicKey())), 3)
        .contains("names " + GD2));
    assertTrue(refusal(keys, List.of(signed(BJ), signed(SH), signed(GD, GD.toString(), "agg-another-session-0", pairs.get(GD).publicKey())), 3)
        .contains("in session agg-another-session-0"));
    assertTrue(refusal(keys, List.of(signed(BJ, BJ.toString(), SESSION, pairs.get(SH).publicKey()), signed(SH), signed(GD)), 3)
        .contains("not the one it made"));
    assertTrue(refusal(keys, List.of(signed(SH), signed(GD), signed(GD2)), 3).contains("not among the session's participants"));
    assertTrue(refusal(keys, List.of(signed(BJ), signed(SH), signed(GD)), 4).contains("joined for 4 participants, but 3"));
    assertTrue(refusal(keys, List.of(signed(BJ), signed(SH), signed(SH)), 3).contains("appears twice"));
    List<SignedShareKey> twoProvinces = new ArrayList<>(List.of(signed(BJ), signed(GD), signed(GD2)));
    assertTrue(refusal(keys, twoProvinces, 3).contains("in 2 provinces; at least 3"));
  }
}
