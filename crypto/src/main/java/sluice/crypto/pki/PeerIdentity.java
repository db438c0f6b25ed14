package sluice.crypto.pki;

import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;
import sluice.crypto.NodeId;
import sluice.crypto.Province;

/**
 * Identifies the federation node behind a certificate chain that has <b>already</b> been
 * validated (PKIX) to a trusted federation root, and enforces the issuer rule that PKIX alone
 * does not: a provincial or department node must be certified by the intermediate of its own
 * province, the national node directly by the root.
 *
 * <p>Stateless and thread-safe.
 */
public final class PeerIdentity {

  private static final int SAN_URI = 6;
  private static final int SAN_DNS = 2;

  private PeerIdentity() {}

  /**
   * The node identified by {@code presentedChain} (leaf first, as presented in TLS or attached
   * to a signature).
   *
   * <p>Checks: the leaf has exactly one URI subjectAltName, a well-formed {@code sluice://} node
   * URI, and no other but, for the hub and provincial gateways, their node id as a DNS name; for {@code prov-CC} and {@code prov-CC/dept-*}, the leaf's issuer DN is {@code
   * CN=Sluice CA prov-CC,O=Sluice Federation}, {@code presentedChain[1]} is the certificate with
   * that subject and its key verifies the leaf's signature; for {@code national}, the leaf was
   * not issued by a provincial intermediate and, if a second certificate is presented, that
   * certificate is a self-signed root whose key verifies the leaf. Validity dates and trust are
   * NOT checked here: that is the caller's PKIX validation.
   *
   * @throws CertificateException naming the node (when known) and the problem
   */
  public static NodeId verify(X509Certificate[] presentedChain) throws CertificateException {
    if (presentedChain == null || presentedChain.length == 0 || presentedChain[0] == null) {
      throw new CertificateException("no peer certificate presented");
    }
    X509Certificate leaf = presentedChain[0];
    NodeId node = nodeIdOf(leaf);
    X500Principal issuer = leaf.getIssuerX500Principal();
    if (node.isHub()) {
      verifyNational(node, leaf, issuer, presentedChain);
    } else {
      verifyProvincial(node, leaf, issuer, presentedChain);
    }
    return node;
  }

  /**
   * {@link #verify(X509Certificate[])} over the peer certificates of an established TLS session.
   *
   * @throws CertificateException if the peer presented no (X.509) certificate or the chain fails
   *     the checks of {@link #verify(X509Certificate[])}
   */
  public static NodeId verify(SSLSession session) throws CertificateException {
    Certificate[] certs;
    try {
      certs = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      throw new CertificateException("TLS peer is not authenticated: " + e.getMessage(), e);
    }
    X509Certificate[] chain = new X509Certificate[certs.length];
    for (int i = 0; i < certs.length; i++) {
      if (!(certs[i] instanceof X509Certificate)) {
        throw new CertificateException(
            "TLS peer presented a non-X.509 certificate (" + certs[i].getType() + ")");
      }
      chain[i] = (X509Certificate) certs[i];
    }
    return verify(chain);
  }

  /**
   * The node named by a certificate's subjectAltName, without any issuer check.
   *
   * @throws CertificateException unless the certificate carries exactly one subjectAltName and it
   *     is a well-formed {@code sluice://} node URI
   */
  public static NodeId nodeIdOf(X509Certificate cert) throws CertificateException {
    String subject = cert.getSubjectX500Principal().getName();
    // Read the extension's encoded bytes rather than getSubjectAlternativeNames(): the JDK's
    // name-constraint check adds a DNS name made from the CN to its in-memory copy of the
    // extension (and certificates are cached by encoding), so that view can differ from what
    // the CA signed.
    List<List<?>> sans = new ArrayList<>();
    byte[] der = cert.getExtensionValue(Extension.subjectAlternativeName.getId());
    if (der != null) {
      try {
        GeneralNames names =
            GeneralNames.getInstance(ASN1OctetString.getInstance(der).getOctets());
        for (GeneralName name : names.getNames()) {
          Object value =
              name.getTagNo() == SAN_URI
                  ? ASN1IA5String.getInstance(name.getName()).getString()
                  : name.getName().toString();
          sans.add(List.of(name.getTagNo(), value));
        }
      } catch (RuntimeException e) {
        throw new CertificateException(
            "certificate " + subject + " has a malformed subjectAltName extension: "
                + e.getMessage(), e);
      }
    }
    if (sans.isEmpty()) {
      throw new CertificateException(
          "certificate " + subject + " has no subjectAltName; a Sluice node certificate carries"
              + " exactly one URI " + NodeId.URI_SCHEME + "://<node id>");
    }
    // Besides its URI, a gateway's certificate may carry its node id as a DNS name (for TLS
    // clients that check DNS names); nothing else.
    List<List<?>> dns = sans.stream().filter(n -> Integer.valueOf(SAN_DNS).equals(n.get(0))).toList();
    if (sans.size() - dns.size() != 1 || dns.size() > 1) {
      throw new CertificateException(
          "certificate " + subject + " has " + sans.size() + " subjectAltNames " + sans
              + "; a Sluice node certificate carries exactly one URI " + NodeId.URI_SCHEME
              + "://<node id> (and a gateway's, its node id as a DNS name)");
    }
    List<?> san = sans.stream().filter(n -> !Integer.valueOf(SAN_DNS).equals(n.get(0))).findFirst().orElseThrow();
    Object type = san.get(0);
    Object value = san.get(1);
    if (!(type instanceof Integer) || (Integer) type != SAN_URI || !(value instanceof String)) {
      throw new CertificateException(
          "certificate " + subject + " has subjectAltName " + san + " (type " + type
              + "), expected a URI " + NodeId.URI_SCHEME + "://<node id>");
    }
    NodeId node = NodeId.fromUri((String) value)
        .orElseThrow(
            () ->
                new CertificateException(
                    "certificate " + subject + " has subjectAltName URI \"" + value
                        + "\", which is not a Sluice node URI (" + NodeId.URI_SCHEME
                        + "://national, prov-CC or prov-CC/dept-NAME)"));
    if (!dns.isEmpty() && (node.isDepartment() || !node.toString().equals(dns.get(0).get(1)))) {
      throw new CertificateException(
          "certificate " + subject + " of " + node + " has the DNS name \"" + dns.get(0).get(1) + "\"; only a gateway's"
              + " certificate carries one, and it is the gateway's node id");
    }
    return node;
  }

  private static void verifyProvincial(
      NodeId node, X509Certificate leaf, X500Principal issuer, X509Certificate[] chain)
      throws CertificateException {
    Province province = node.provinceOf().orElseThrow();
    X500Principal expected = FederationNames.intermediate(province);
    if (!issuer.equals(expected)) {
      throw new CertificateException(
          node + ": certificate must be issued by " + expected.getName() + " but was issued by "
              + issuer.getName());
    }
    if (chain.length < 2 || chain[1] == null) {
      throw new CertificateException(
          node + ": the intermediate certificate " + expected.getName()
              + " must be presented after the leaf");
    }
    X509Certificate intermediate = chain[1];
    if (!intermediate.getSubjectX500Principal().equals(expected)) {
      throw new CertificateException(
          node + ": second certificate presented is " + intermediate.getSubjectX500Principal()
              .getName() + ", expected " + expected.getName());
    }
    if (!CertificateAuthority.signedBy(leaf, intermediate.getPublicKey())) {
      throw new CertificateException(
          node + ": certificate was not signed by the presented " + expected.getName());
    }
  }

  private static void verifyNational(
      NodeId node, X509Certificate leaf, X500Principal issuer, X509Certificate[] chain)
      throws CertificateException {
    Optional<Province> province = FederationNames.provinceOfIntermediate(issuer);
    if (province.isPresent()) {
      throw new CertificateException(
          node + ": certificate must be issued by the federation root but was issued by "
              + issuer.getName());
    }
    if (chain.length >= 2 && chain[1] != null) {
      X509Certificate root = chain[1];
      boolean selfSigned =
          root.getSubjectX500Principal().equals(root.getIssuerX500Principal())
              && CertificateAuthority.signedBy(root, root.getPublicKey());
      if (!selfSigned
          || !root.getSubjectX500Principal().equals(issuer)
          || !CertificateAuthority.signedBy(leaf, root.getPublicKey())) {
        throw new CertificateException(
            node + ": certificate must be issued directly by the federation root, but the"
                + " certificate presented after it is " + root.getSubjectX500Principal().getName()
                + " (not a self-signed root that signed it)");
      }
    }
  }
}
