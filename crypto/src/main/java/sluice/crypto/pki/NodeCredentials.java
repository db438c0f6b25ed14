package sluice.crypto.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import sluice.crypto.NodeId;

/**
 * Everything a node needs to prove its identity and check its peers: a TLS key and chain, an SM2
 * signing key and chain, and the trusted federation root(s).
 *
 * <p>{@code tlsChain} and {@code signingChain} are leaf first, followed by the issuing
 * intermediate(s), without the root (for the national node: just the leaf). The lists are copied
 * and unmodifiable.
 *
 * <p>On disk ({@link #load}, {@link #write}) a node directory holds {@value #TLS_CERT} (PEM
 * chain), {@value #TLS_KEY} (PKCS#8 PEM), {@value #SIGN_CERT} (PEM chain), {@value #SIGN_KEY}
 * (PKCS#8 PEM) and {@value #TRUST_ROOTS} (PEM root certificates). Key files are mode 0600 where
 * the file system supports POSIX permissions.
 */
public record NodeCredentials(
    NodeId id,
    PrivateKey tlsKey,
    List<X509Certificate> tlsChain,
    PrivateKey signingKey,
    List<X509Certificate> signingChain,
    List<X509Certificate> trustRoots) {

  public static final String TLS_CERT = "tls.crt";
  public static final String TLS_KEY = "tls.key";
  public static final String SIGN_CERT = "sign.crt";
  public static final String SIGN_KEY = "sign.key";
  public static final String TRUST_ROOTS = "ca.crt";

  /**
   * @throws IllegalArgumentException if a chain or the trust roots are empty
   */
  public NodeCredentials {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tlsKey, "tlsKey");
    Objects.requireNonNull(signingKey, "signingKey");
    tlsChain = List.copyOf(tlsChain);
    signingChain = List.copyOf(signingChain);
    trustRoots = List.copyOf(trustRoots);
    if (tlsChain.isEmpty() || signingChain.isEmpty() || trustRoots.isEmpty()) {
      throw new IllegalArgumentException(
          "credentials of " + id + ": TLS chain, signing chain and trust roots must be non-empty");
    }
  }

  /** The TLS leaf certificate. */
  public X509Certificate tlsCertificate() {
    return tlsChain.get(0);
  }

  /** The signing (SM2) leaf certificate. */
  public X509Certificate signingCertificate() {
    return signingChain.get(0);
  }

  /**
   * Loads credentials from {@code nodeDir}. The node id is read from the TLS leaf's
   * subjectAltName; the signing leaf must name the same node, and each private key must match
   * its leaf.
   *
   * @throws IOException naming the file and what is wrong with it
   */
  public static NodeCredentials load(Path nodeDir) throws IOException {
    Objects.requireNonNull(nodeDir, "nodeDir");
    if (!Files.isDirectory(nodeDir)) {
      throw new IOException(nodeDir + ": node credentials directory does not exist");
    }
    Path tlsCert = nodeDir.resolve(TLS_CERT);
    Path tlsKeyFile = nodeDir.resolve(TLS_KEY);
    Path signCert = nodeDir.resolve(SIGN_CERT);
    Path signKeyFile = nodeDir.resolve(SIGN_KEY);
    List<X509Certificate> tls = PemFiles.readCertificates(tlsCert);
    PrivateKey tlsKey = PemFiles.readPrivateKey(tlsKeyFile);
    List<X509Certificate> sign = PemFiles.readCertificates(signCert);
    PrivateKey signKey = PemFiles.readPrivateKey(signKeyFile);
    List<X509Certificate> roots = PemFiles.readCertificates(nodeDir.resolve(TRUST_ROOTS));

    NodeId id = nodeOf(tls.get(0), tlsCert);
    NodeId signId = nodeOf(sign.get(0), signCert);
    if (!signId.equals(id)) {
      throw new IOException(
          signCert + ": signing certificate is for " + signId + " but " + tlsCert + " is for "
              + id);
    }
    if (!KeyChecks.isPair(tlsKey, tls.get(0).getPublicKey())) {
      throw new IOException(tlsKeyFile + ": private key does not match the leaf in " + tlsCert);
    }
    if (!KeyChecks.isPair(signKey, sign.get(0).getPublicKey())) {
      throw new IOException(signKeyFile + ": private key does not match the leaf in " + signCert);
    }
    return new NodeCredentials(id, tlsKey, tls, signKey, sign, roots);
  }

  /** Writes the five files into {@code nodeDir}, creating it if needed and replacing old files. */
  public void write(Path nodeDir) throws IOException {
    Files.createDirectories(nodeDir);
    PemFiles.writeCertificates(nodeDir.resolve(TLS_CERT), tlsChain);
    PemFiles.writePrivateKey(nodeDir.resolve(TLS_KEY), tlsKey);
    PemFiles.writeCertificates(nodeDir.resolve(SIGN_CERT), signingChain);
    PemFiles.writePrivateKey(nodeDir.resolve(SIGN_KEY), signingKey);
    PemFiles.writeCertificates(nodeDir.resolve(TRUST_ROOTS), trustRoots);
  }

  /** Names the node and its leaf certificates; never prints key material. */
  @Override
  public String toString() {
    return "NodeCredentials[" + id
        + ", tls serial " + tlsCertificate().getSerialNumber().toString(16)
        + ", signing serial " + signingCertificate().getSerialNumber().toString(16) + "]";
  }

  private static NodeId nodeOf(X509Certificate leaf, Path file) throws IOException {
    try {
      return PeerIdentity.nodeIdOf(leaf);
    } catch (CertificateException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }
}
