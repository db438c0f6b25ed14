package sluice.crypto.pki;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import sluice.crypto.BouncyCastle;
import sluice.crypto.NodeId;

/**
 * Validates the certificate chain of an application signature (receipts, checkpoints): the chain
 * leads to a federation root, every certificate was valid at the time of signing, the leaf may
 * sign, and the leaf names exactly one node issued under its own province. Usable offline.
 */
public final class SigningChains {
  private static final int DIGITAL_SIGNATURE = 0;

  private SigningChains() {}

  /**
   * The DER encoding of each certificate of {@code chain}, in order: what {@link #parse} reads.
   *
   * @throws IllegalArgumentException when a certificate cannot be encoded
   */
  public static List<byte[]> encode(List<X509Certificate> chain) {
    List<byte[]> out = new ArrayList<>(chain.size());
    for (X509Certificate c : chain) {
      try {
        out.add(c.getEncoded());
      } catch (java.security.cert.CertificateEncodingException e) {
        throw new IllegalArgumentException("cannot encode certificate " + c.getSubjectX500Principal(), e);
      }
    }
    return out;
  }

  /** Parses DER certificates (SM2 or EC keys), leaf first. */
  public static List<X509Certificate> parse(List<byte[]> der) throws CertificateException {
    CertificateFactory factory = CertificateFactory.getInstance("X.509", BouncyCastle.provider());
    List<X509Certificate> out = new ArrayList<>(der.size());
    for (byte[] d : der) {
      out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(d)));
    }
    return out;
  }

  /**
   * @param chain leaf first, without the root
   * @param roots trusted federation roots
   * @param at the time the signature claims to have been made
   * @return the node the leaf certifies
   * @throws CertificateException naming what is wrong
   */
  public static NodeId validate(
      List<X509Certificate> chain, Collection<X509Certificate> roots, Instant at)
      throws CertificateException {
    if (chain.isEmpty()) {
      throw new CertificateException("signer certificate chain is empty");
    }
    X509Certificate leaf = chain.get(0);
    boolean[] usage = leaf.getKeyUsage();
    if (usage == null || usage.length <= DIGITAL_SIGNATURE || !usage[DIGITAL_SIGNATURE]) {
      throw new CertificateException(
          "certificate " + leaf.getSubjectX500Principal() + " is not for digital signatures");
    }
    try {
      CertificateFactory factory =
          CertificateFactory.getInstance("X.509", BouncyCastle.provider());
      CertPath path = factory.generateCertPath(chain);
      Set<TrustAnchor> anchors = new HashSet<>();
      for (X509Certificate root : roots) {
        anchors.add(new TrustAnchor(root, null));
      }
      PKIXParameters params = new PKIXParameters(anchors);
      params.setRevocationEnabled(false);
      params.setDate(Date.from(at));
      CertPathValidator.getInstance("PKIX", BouncyCastle.provider()).validate(path, params);
    } catch (GeneralSecurityException e) {
      throw new CertificateException(
          "signer certificate chain does not validate to a federation root at " + at + ": "
              + e.getMessage(),
          e);
    }
    return PeerIdentity.verify(chain.toArray(new X509Certificate[0]));
  }
}
