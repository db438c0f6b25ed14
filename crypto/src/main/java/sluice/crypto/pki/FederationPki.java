package sluice.crypto.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import sluice.crypto.NodeId;
import sluice.crypto.Province;
import sluice.crypto.Sm2;

/**
 * A federation PKI kept in a directory (an operator tool; the directory holds CA private keys
 * and must be protected accordingly):
 *
 * <pre>
 * dir/ca/root.crt, root.key            national root CA
 * dir/ca/prov-CC.crt, prov-CC.key      intermediate CA of every province (all 32)
 * dir/nodes/&lt;node.fileName()&gt;/        {@link NodeCredentials} of each node
 * </pre>
 *
 * <p>Node TLS keys are EC P-256, node signing keys SM2. Leaves of the national node are issued
 * by the root, all others by their province's intermediate. Not thread-safe for concurrent
 * writers to the same directory.
 */
public final class FederationPki {

  /** Common name of the root CA created by {@link #init}. */
  public static final String ROOT_NAME = "Sluice Federation Root CA";

  private final Path dir;
  private final CertificateAuthority root;
  private final Map<Province, CertificateAuthority> intermediates;

  private FederationPki(
      Path dir, CertificateAuthority root, Map<Province, CertificateAuthority> intermediates) {
    this.dir = dir;
    this.root = root;
    this.intermediates = intermediates;
  }

  /**
   * Creates a new PKI in {@code dir}: the root and the 32 provincial intermediates, all valid from
   * {@code now} for {@code validity}, and credentials for each of {@code nodes}, also valid from
   * {@code now} for {@code validity}.
   *
   * @throws IOException if {@code dir} already holds a PKI ({@code ca/root.key} exists) or a file
   *     cannot be written
   */
  public static FederationPki init(
      Path dir, Collection<NodeId> nodes, Instant now, Duration validity, SecureRandom random)
      throws IOException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(nodes, "nodes");
    requirePositive(validity);
    Path rootKey = dir.resolve("ca").resolve("root.key");
    if (Files.exists(rootKey)) {
      throw new IOException(
          dir + ": already holds a federation PKI (" + rootKey + " exists); refusing to"
              + " overwrite it. Use open() and issue() to add nodes.");
    }
    Instant notAfter = now.plus(validity);
    CertificateAuthority root = CertificateAuthority.createRoot(ROOT_NAME, now, notAfter, random);
    Map<Province, CertificateAuthority> intermediates = new EnumMap<>(Province.class);
    for (Province p : Province.values()) {
      intermediates.put(p, root.issueProvincialIntermediate(p, now, notAfter, random));
    }
    FederationPki pki = new FederationPki(dir, root, intermediates);
    // Write the intermediates before the root key, so a half-written directory is not "initialised".
    for (Map.Entry<Province, CertificateAuthority> e : intermediates.entrySet()) {
      String name = e.getKey().gatewayId().toString();
      e.getValue().write(pki.caDir().resolve(name + ".crt"), pki.caDir().resolve(name + ".key"));
    }
    root.write(pki.caDir().resolve("root.crt"), rootKey);
    for (NodeId node : nodes) {
      pki.issue(node, now, validity, random);
    }
    return pki;
  }

  /**
   * Opens a PKI created by {@link #init}.
   *
   * @throws IOException naming the missing or invalid CA file
   */
  public static FederationPki open(Path dir) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Path ca = dir.resolve("ca");
    CertificateAuthority root =
        CertificateAuthority.loadRoot(ca.resolve("root.crt"), ca.resolve("root.key"));
    Map<Province, CertificateAuthority> intermediates = new EnumMap<>(Province.class);
    for (Province p : Province.values()) {
      String name = p.gatewayId().toString();
      CertificateAuthority ica =
          CertificateAuthority.load(ca.resolve(name + ".crt"), ca.resolve(name + ".key"), root);
      if (ica.province().orElseThrow() != p) {
        throw new IOException(
            ca.resolve(name + ".crt") + ": holds the intermediate of "
                + ica.province().orElseThrow().gatewayId() + ", not of " + name);
      }
      intermediates.put(p, ica);
    }
    return new FederationPki(dir, root, intermediates);
  }

  /**
   * Issues fresh credentials (new TLS and signing keys) for {@code node}, writes them to {@link
   * #nodeDir}, replacing any previous ones, and returns them. Leaves are valid from {@code now}
   * for {@code validity}, cut short at the issuing CA's own expiry.
   *
   * @throws IllegalArgumentException if the issuing CA is not valid at {@code now}
   */
  public NodeCredentials issue(
      NodeId node, Instant now, Duration validity, SecureRandom random) throws IOException {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(random, "random");
    requirePositive(validity);
    CertificateAuthority ca = authorityFor(node);
    Instant caNotAfter = ca.certificate().getNotAfter().toInstant();
    Instant notAfter = now.plus(validity);
    if (notAfter.isAfter(caNotAfter)) {
      notAfter = caNotAfter;
    }
    KeyPair tls = CertificateAuthority.generateTlsKeyPair(random);
    KeyPair sign = Sm2.generateKeyPair(random);
    X509Certificate tlsLeaf = ca.issueTls(node, tls.getPublic(), now, notAfter);
    X509Certificate signLeaf = ca.issueSigning(node, sign.getPublic(), now, notAfter);
    NodeCredentials creds =
        new NodeCredentials(
            node,
            tls.getPrivate(),
            prepend(tlsLeaf, ca.issuingChain()),
            sign.getPrivate(),
            prepend(signLeaf, ca.issuingChain()),
            List.of(root.certificate()));
    creds.write(nodeDir(node));
    return creds;
  }

  /** The federation's revocation lists, {@code dir/revoked.crl}: every node watches it. */
  public Path revocationFile() {
    return revocationFile(dir);
  }

  /** The revocation lists of the PKI in {@code pkiDir}. */
  public static Path revocationFile(Path pkiDir) {
    return pkiDir.resolve(REVOCATION_FILE);
  }

  /** File name of the revocation lists in a PKI directory. */
  public static final String REVOCATION_FILE = "revoked.crl";

  /**
   * Revokes {@code node}'s TLS and signing certificates as of {@code now}: its issuing CA signs a
   * new revocation list (the entries of its previous one and these two, the next CRL number)
   * and {@link #revocationFile} is replaced atomically with it and the other CAs' lists. Nodes
   * refuse the revoked certificates within a second or two of reading the file. Revoking again
   * changes nothing but the list's date.
   *
   * @return the serial numbers revoked (hexadecimal)
   * @throws IOException when the node has no credentials here or the file cannot be written
   */
  public List<String> revoke(NodeId node, Instant now) throws IOException {
    Objects.requireNonNull(now, "now");
    NodeCredentials creds = load(node);
    CertificateAuthority ca = authorityFor(node);
    Path file = revocationFile();
    List<java.security.cert.X509CRL> others = new ArrayList<>();
    Map<java.math.BigInteger, Instant> revoked = new java.util.HashMap<>();
    java.math.BigInteger number = java.math.BigInteger.ZERO;
    if (Files.exists(file)) {
      for (java.security.cert.X509CRL crl : RevocationList.read(file).crls()) {
        if (!crl.getIssuerX500Principal().equals(ca.certificate().getSubjectX500Principal())) {
          others.add(crl);
          continue;
        }
        try {
          crl.verify(ca.certificate().getPublicKey());
        } catch (java.security.GeneralSecurityException e) {
          throw new IOException(file + ": a list in the name of " + ca + " does not verify with its key: " + e.getMessage());
        }
        if (crl.getRevokedCertificates() != null) {
          crl.getRevokedCertificates().forEach(e -> revoked.merge(e.getSerialNumber(), e.getRevocationDate().toInstant(),
              (a, b) -> a.isBefore(b) ? a : b));
        }
        byte[] ext = crl.getExtensionValue(org.bouncycastle.asn1.x509.Extension.cRLNumber.getId());
        if (ext != null) {
          java.math.BigInteger n = org.bouncycastle.asn1.x509.CRLNumber.getInstance(
              org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets()).getCRLNumber();
          number = number.max(n);
        }
      }
    }
    List<String> serials = new ArrayList<>();
    for (X509Certificate c : List.of(creds.tlsCertificate(), creds.signingCertificate())) {
      revoked.putIfAbsent(c.getSerialNumber(), now);
      serials.add(c.getSerialNumber().toString(16));
    }
    others.add(ca.revocationList(revoked, number.add(java.math.BigInteger.ONE), now, now.plus(Duration.ofDays(30))));
    PemFiles.writeCrls(file, others);
    return serials;
  }

  /** Loads the credentials of {@code node} from {@link #nodeDir}. */
  public NodeCredentials load(NodeId node) throws IOException {
    return NodeCredentials.load(nodeDir(node));
  }

  /** {@code dir/nodes/<node.fileName()>}. */
  public Path nodeDir(NodeId node) {
    return dir.resolve("nodes").resolve(node.fileName());
  }

  /** The root certificate. */
  public X509Certificate root() {
    return root.certificate();
  }

  /** The CA that certifies {@code node}: the root for national, else its province's CA. */
  public CertificateAuthority authorityFor(NodeId node) {
    return node.provinceOf().map(intermediates::get).orElse(root);
  }

  /** The root CA. */
  public CertificateAuthority rootAuthority() {
    return root;
  }

  /** The directory of this PKI. */
  public Path dir() {
    return dir;
  }

  private Path caDir() {
    return dir.resolve("ca");
  }

  private static List<X509Certificate> prepend(X509Certificate leaf, List<X509Certificate> rest) {
    X509Certificate[] all = new X509Certificate[rest.size() + 1];
    all[0] = leaf;
    for (int i = 0; i < rest.size(); i++) {
      all[i + 1] = rest.get(i);
    }
    return List.of(all);
  }

  private static void requirePositive(Duration validity) {
    Objects.requireNonNull(validity, "validity");
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be positive, got " + validity);
    }
  }
}
