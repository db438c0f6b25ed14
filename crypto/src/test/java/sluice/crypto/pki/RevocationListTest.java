package sluice.crypto.pki;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.NodeId;

/**
 * Revoking a node lists its certificates in its CA's signed CRL; a chain with a revoked
 * certificate is refused, others pass; lists merge across revocations; a list its CA did not sign
 * changes nothing; a watched file is read again when it changes.
 */
class RevocationListTest {
  static final NodeId HRSS = NodeId.parse("prov-44/dept-hrss");
  static final NodeId TAX = NodeId.parse("prov-44/dept-tax");
  static final NodeId BJ_CA = NodeId.parse("prov-11/dept-ca");
  static final Instant NOW = Instant.now();
  static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dir;
  FederationPki pki;

  @BeforeEach
  void init() throws Exception {
    pki = FederationPki.init(dir.resolve("pki"), List.of(NodeId.NATIONAL, NodeId.parse("prov-44"), HRSS, TAX, BJ_CA),
        NOW, Duration.ofDays(30), RANDOM);
  }

  X509Certificate[] tls(NodeId node) throws Exception {
    return pki.load(node).tlsChain().toArray(new X509Certificate[0]);
  }

  X509Certificate[] signing(NodeId node) throws Exception {
    return pki.load(node).signingChain().toArray(new X509Certificate[0]);
  }

  RevocationList published() throws Exception {
    return RevocationList.read(pki.revocationFile());
  }

  @Test
  void aRevokedNodeIsRefusedAndNoOneElse() throws Exception {
    List<X509Certificate> roots = List.of(pki.root());
    List<String> serials = pki.revoke(HRSS, NOW);
    assertEquals(2, serials.size(), "its TLS and its signing certificate");
    RevocationList list = published();
    CertificateException e = assertThrows(CertificateException.class, () -> list.check(tls(HRSS), roots));
    assertTrue(e.getMessage().contains("prov-44/dept-hrss") && e.getMessage().contains("was revoked"), e.getMessage());
    assertThrows(CertificateException.class, () -> list.check(signing(HRSS), roots));
    assertDoesNotThrow(() -> list.check(tls(TAX), roots));
    assertDoesNotThrow(() -> list.check(tls(BJ_CA), roots));
    assertDoesNotThrow(() -> list.check(tls(NodeId.NATIONAL), roots));

    pki.revoke(TAX, NOW.plusSeconds(5));
    RevocationList both = published();
    assertEquals(1, both.crls().size(), "one list per CA, its entries merged");
    assertEquals(4, both.crls().get(0).getRevokedCertificates().size());
    assertThrows(CertificateException.class, () -> both.check(tls(HRSS), roots));
    assertThrows(CertificateException.class, () -> both.check(tls(TAX), roots));
    assertDoesNotThrow(() -> both.check(tls(BJ_CA), roots));

    pki.revoke(BJ_CA, NOW.plusSeconds(9));
    RevocationList three = published();
    assertEquals(2, three.crls().size(), "Beijing's CA signs its own list");
    assertThrows(CertificateException.class, () -> three.check(tls(BJ_CA), roots));
    assertThrows(CertificateException.class, () -> three.check(tls(HRSS), roots));

    pki.revoke(NodeId.NATIONAL, NOW.plusSeconds(12));
    RevocationList root = published();
    assertThrows(CertificateException.class, () -> root.check(tls(NodeId.NATIONAL), roots),
        "the root's list, checked with the trust root's key");
  }

  @Test
  void aListItsCaDidNotSignRevokesNothing() throws Exception {
    // Another federation's prov-44 CA bears the same name; its list names our node's serials.
    FederationPki other = FederationPki.init(dir.resolve("other"), List.of(HRSS), NOW, Duration.ofDays(30), RANDOM);
    CertificateAuthority impostor = other.authorityFor(HRSS);
    java.util.Map<java.math.BigInteger, Instant> serials = new java.util.HashMap<>();
    for (X509Certificate c : tls(HRSS)) {
      serials.put(c.getSerialNumber(), NOW);
    }
    RevocationList forged = RevocationList.of(List.of(
        impostor.revocationList(serials, java.math.BigInteger.ONE, NOW, NOW.plusSeconds(60))));
    assertEquals(impostor.certificate().getSubjectX500Principal(), pki.authorityFor(HRSS).certificate().getSubjectX500Principal());
    assertDoesNotThrow(() -> forged.check(tls(HRSS), List.of(pki.root())));
  }

  @Test
  void aWatchedFileIsReadAgainWhenItChanges() throws Exception {
    WatchedRevocations watched = new WatchedRevocations(pki.revocationFile(), Duration.ZERO);
    assertSame(RevocationList.empty(), watched.current(), "no file, nothing revoked");
    pki.revoke(HRSS, NOW);
    RevocationList first = watched.current();
    assertThrows(CertificateException.class, () -> first.check(tls(HRSS), List.of(pki.root())));
    assertSame(first, watched.current(), "unchanged file, same list");
    Files.writeString(pki.revocationFile(), "-----BEGIN X509 CRL-----\nnot base64\n-----END X509 CRL-----\n");
    assertSame(first, watched.current(), "a broken file leaves the last good list in force");
    Files.delete(pki.revocationFile());
    assertSame(RevocationList.empty(), watched.current());
  }
}
