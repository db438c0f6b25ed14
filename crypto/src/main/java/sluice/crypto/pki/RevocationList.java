package sluice.crypto.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;

/**
 * The federation's certificate revocation lists (X.509 CRLs, one per certificate authority: the
 * root's for provincial CAs and the national node, each province's for its nodes), as published in
 * one PEM file. A certificate is revoked when the CRL of its issuer lists its serial number and
 * that CRL's signature verifies with the issuer's key (taken from the presented, already
 * validated, chain or the trust roots): a CRL no issuer signed is ignored, so a forged file cannot
 * revoke anyone, nor can it un-revoke anyone the real CRL lists. Immutable and thread-safe.
 */
public final class RevocationList {
  private static final RevocationList EMPTY = new RevocationList(Map.of());

  private final Map<X500Principal, List<X509CRL>> byIssuer;
  /** CRLs whose signature was checked against a key, by CRL and key, so a handshake verifies each once. */
  private final Set<String> verified = ConcurrentHashMap.newKeySet();

  private RevocationList(Map<X500Principal, List<X509CRL>> byIssuer) {
    this.byIssuer = byIssuer;
  }

  /** No certificate revoked. */
  public static RevocationList empty() {
    return EMPTY;
  }

  /** The lists in {@code crls}. */
  public static RevocationList of(Collection<X509CRL> crls) {
    Map<X500Principal, List<X509CRL>> by = new HashMap<>();
    for (X509CRL crl : crls) {
      by.computeIfAbsent(crl.getIssuerX500Principal(), k -> new ArrayList<>()).add(crl);
    }
    by.replaceAll((k, v) -> List.copyOf(v));
    return new RevocationList(Map.copyOf(by));
  }

  /**
   * Reads the PEM CRLs in {@code file}.
   *
   * @throws IOException naming the file when it cannot be read or holds something else
   */
  public static RevocationList read(Path file) throws IOException {
    return of(parse(Files.readAllBytes(file), file.toString()));
  }

  /** The CRLs in PEM text {@code pem}; {@code where} names it in errors. */
  static List<X509CRL> parse(byte[] pem, String where) throws IOException {
    String text = new String(pem, StandardCharsets.US_ASCII);
    if (text.isBlank()) {
      return List.of();
    }
    if (!text.contains("-----BEGIN X509 CRL-----")) {
      throw new IOException(where + ": not a PEM file of X.509 CRLs (no BEGIN X509 CRL)");
    }
    try {
      List<X509CRL> out = new ArrayList<>();
      for (java.security.cert.CRL c : CertificateFactory.getInstance("X.509").generateCRLs(new ByteArrayInputStream(pem))) {
        out.add((X509CRL) c);
      }
      return out;
    } catch (CertificateException | CRLException e) {
      throw new IOException(where + ": a CRL cannot be read: " + e.getMessage(), e);
    }
  }

  /** Every CRL, for writing out again. */
  public List<X509CRL> crls() {
    List<X509CRL> all = new ArrayList<>();
    byIssuer.values().forEach(all::addAll);
    return all;
  }

  /**
   * Refuses a chain (leaf first, PKIX-validated to one of {@code trustRoots}) any certificate of
   * which its issuer revoked.
   *
   * @throws CertificateException naming the node, serial and date of the revocation
   */
  public void check(X509Certificate[] chain, List<X509Certificate> trustRoots) throws CertificateException {
    if (byIssuer.isEmpty()) {
      return;
    }
    for (X509Certificate cert : chain) {
      List<X509CRL> crls = byIssuer.get(cert.getIssuerX500Principal());
      if (crls == null) {
        continue;
      }
      for (X509CRL crl : crls) {
        X509CRLEntry entry = crl.getRevokedCertificate(cert.getSerialNumber());
        if (entry != null && signedByIssuer(crl, chain, trustRoots)) {
          throw new CertificateException(cert.getSubjectX500Principal().getName() + " (serial "
              + cert.getSerialNumber().toString(16) + ") was revoked by " + crl.getIssuerX500Principal().getName()
              + " on " + entry.getRevocationDate().toInstant()
              + (entry.getRevocationReason() == null ? "" : " (" + entry.getRevocationReason() + ")"));
        }
      }
    }
  }

  /**
   * Whether a certificate of the chain or a trust root bearing the CRL's issuer name verifies it.
   * The chain passed PKIX, so the real issuer of each of its certificates is in it or among the
   * roots; which position it holds is not relied on.
   */
  private boolean signedByIssuer(X509CRL crl, X509Certificate[] chain, List<X509Certificate> trustRoots) {
    for (X509Certificate c : chain) {
      if (c.getSubjectX500Principal().equals(crl.getIssuerX500Principal()) && signedBy(crl, c)) {
        return true;
      }
    }
    for (X509Certificate c : trustRoots) {
      if (c.getSubjectX500Principal().equals(crl.getIssuerX500Principal()) && signedBy(crl, c)) {
        return true;
      }
    }
    return false;
  }

  private boolean signedBy(X509CRL crl, X509Certificate issuer) {
    String key;
    try {
      key = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(crl.getEncoded()))
          + "|" + java.util.HexFormat.of().formatHex(issuer.getPublicKey().getEncoded());
    } catch (GeneralSecurityException e) {
      return false;
    }
    if (verified.contains(key)) {
      return true;
    }
    try {
      crl.verify(issuer.getPublicKey());
    } catch (GeneralSecurityException e) {
      return false;
    }
    verified.add(key);
    return true;
  }
}
