package sluice.crypto.pki;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import sluice.crypto.NodeId;

/**
 * A TLS trust manager for federation peers: standard PKIX validation (JDK {@code PKIX} trust
 * manager over the given roots, which checks signatures, validity dates, basic and name
 * constraints, key usage and extended key usage), then {@link PeerIdentity#verify}, and, when an
 * expected peer is set, equality with it.
 *
 * <p>No hostname or endpoint identification is performed, whatever the {@code SSLEngine}'s
 * parameters say: nodes are identified by the URI SAN, not by DNS names. Being an {@link
 * X509ExtendedTrustManager}, it is not wrapped by the JDK's own endpoint-checking adapter.
 * Revocation: every certificate of the chain is checked against the {@link Revocations}' current
 * list, after PKIX. Thread-safe.
 */
public final class PeerTrustManager extends X509ExtendedTrustManager {

  private final X509TrustManager pkix;
  private final List<X509Certificate> trustRoots;
  private final NodeId expectedPeer;
  private final Revocations revocations;
  private final HandshakeRefusals refusals;

  private PeerTrustManager(
      List<X509Certificate> trustRoots, NodeId expectedPeer, Revocations revocations, HandshakeRefusals refusals) {
    this.pkix = pkixTrustManager(trustRoots);
    this.trustRoots = List.copyOf(trustRoots);
    this.expectedPeer = expectedPeer;
    this.revocations = Objects.requireNonNull(revocations, "revocations");
    this.refusals = Objects.requireNonNull(refusals, "refusals");
  }

  /** Accepts any correctly certified federation node (for a server checking its clients). */
  public static PeerTrustManager anyNode(List<X509Certificate> trustRoots) {
    return anyNode(trustRoots, Revocations.none());
  }

  /** Accepts any correctly certified federation node whose certificates are not revoked. */
  public static PeerTrustManager anyNode(List<X509Certificate> trustRoots, Revocations revocations) {
    return anyNode(trustRoots, revocations, HandshakeRefusals.none());
  }

  /** As {@link #anyNode(List, Revocations)}, telling {@code refusals} of each client chain it refuses, and why. */
  public static PeerTrustManager anyNode(
      List<X509Certificate> trustRoots, Revocations revocations, HandshakeRefusals refusals) {
    return new PeerTrustManager(trustRoots, null, revocations, refusals);
  }

  /** Accepts only {@code expectedPeer} (for a client checking the server it dialled). */
  public static PeerTrustManager expecting(List<X509Certificate> trustRoots, NodeId expectedPeer) {
    return expecting(trustRoots, expectedPeer, Revocations.none());
  }

  /** Accepts only {@code expectedPeer}, its certificates not revoked. */
  public static PeerTrustManager expecting(List<X509Certificate> trustRoots, NodeId expectedPeer, Revocations revocations) {
    return new PeerTrustManager(
        trustRoots, Objects.requireNonNull(expectedPeer, "expectedPeer"), revocations, HandshakeRefusals.none());
  }

  /** The peer this trust manager insists on, if any. */
  public Optional<NodeId> expectedPeer() {
    return Optional.ofNullable(expectedPeer);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    try {
      requireChain(chain, "client");
      pkix.checkClientTrusted(chain, authType);
      revocations.current().check(chain, trustRoots);
      identify(chain, "client");
    } catch (CertificateException e) {
      refusals.refused(describe(chain) + ": " + e.getMessage());
      throw e;
    }
  }

  /** The presented leaf certificate, as an auditor would want it named (unverified). */
  private static String describe(X509Certificate[] chain) {
    if (chain == null || chain.length == 0) {
      return "no certificate";
    }
    X509Certificate leaf = chain[0];
    return "certificate " + leaf.getSubjectX500Principal().getName() + " (serial " + leaf.getSerialNumber().toString(16)
        + ") issued by " + leaf.getIssuerX500Principal().getName();
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    requireChain(chain, "server");
    pkix.checkServerTrusted(chain, authType);
    revocations.current().check(chain, trustRoots);
    identify(chain, "server");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return pkix.getAcceptedIssuers();
  }

  private void identify(X509Certificate[] chain, String role) throws CertificateException {
    NodeId peer = PeerIdentity.verify(chain);
    if (expectedPeer != null && !expectedPeer.equals(peer)) {
      throw new CertificateException(
          role + " presented certificate of " + peer + ", expected " + expectedPeer);
    }
  }

  private static void requireChain(X509Certificate[] chain, String role)
      throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException(role + " presented no certificate");
    }
  }

  private static X509TrustManager pkixTrustManager(List<X509Certificate> trustRoots) {
    Objects.requireNonNull(trustRoots, "trustRoots");
    if (trustRoots.isEmpty()) {
      throw new IllegalArgumentException("at least one trusted root certificate is required");
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < trustRoots.size(); i++) {
        store.setCertificateEntry("root-" + i, trustRoots.get(i));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(store);
      for (TrustManager tm : tmf.getTrustManagers()) {
        if (tm instanceof X509TrustManager) {
          return (X509TrustManager) tm;
        }
      }
      throw new IllegalStateException("the JDK PKIX TrustManagerFactory has no X509TrustManager");
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot build a trust store from the trust roots: " + e, e);
    }
  }
}
