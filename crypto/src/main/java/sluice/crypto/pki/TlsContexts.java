package sluice.crypto.pki;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.util.Objects;
import javax.net.ssl.SSLException;
import sluice.crypto.NodeId;

/**
 * Mutual-TLS contexts for gRPC between federation nodes (JDK TLS provider, TLS 1.3 and 1.2, ALPN
 * h2 as configured by {@link GrpcSslContexts}). Peers are checked by {@link PeerTrustManager}:
 * PKIX to the credentials' trust roots, then {@link PeerIdentity#verify}. No hostname
 * verification: nodes are identified by their certificate's URI SAN.
 */
public final class TlsContexts {

  private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

  private TlsContexts() {}

  /**
   * A server context presenting {@code creds}' TLS chain and requiring a client certificate that
   * passes PKIX to {@code creds.trustRoots()} and {@link PeerIdentity#verify}. The server reads
   * the client's node id with {@link PeerIdentity#verify(javax.net.ssl.SSLSession)}.
   *
   * @throws IllegalArgumentException if the credentials cannot be used for TLS
   */
  public static SslContext server(NodeCredentials creds) {
    return server(creds, Revocations.none());
  }

  /** As {@link #server(NodeCredentials)}, refusing clients whose certificates {@code revocations} lists. */
  public static SslContext server(NodeCredentials creds, Revocations revocations) {
    return server(creds, revocations, HandshakeRefusals.none());
  }

  /**
   * As {@link #server(NodeCredentials, Revocations)}, telling {@code refusals} of every client
   * certificate chain refused in a handshake, with the reason. A client that presents no
   * certificate at all is refused by the JDK's TLS stack before any check of ours runs, and is
   * not reported.
   */
  public static SslContext server(NodeCredentials creds, Revocations revocations, HandshakeRefusals refusals) {
    return server(creds, revocations, refusals, ClientAuth.REQUIRE);
  }

  /**
   * As {@link #server(NodeCredentials, Revocations, HandshakeRefusals)}, except that a client
   * presenting <b>no</b> certificate completes the handshake (a certificate that is presented
   * must pass every check, as there). Only for servers whose every call passes an identity check
   * that refuses a session without a peer certificate, so that such attempts are refused there,
   * where they can be recorded, instead of inside the TLS stack, where they cannot.
   */
  public static SslContext serverRecordingAnonymous(
      NodeCredentials creds, Revocations revocations, HandshakeRefusals refusals) {
    return server(creds, revocations, refusals, ClientAuth.OPTIONAL);
  }

  private static SslContext server(
      NodeCredentials creds, Revocations revocations, HandshakeRefusals refusals, ClientAuth clientAuth) {
    Objects.requireNonNull(creds, "creds");
    Objects.requireNonNull(refusals, "refusals");
    SslContextBuilder builder =
        SslContextBuilder.forServer(new NodeKeyManager(creds.tlsKey(), creds.tlsChain()))
            .trustManager(PeerTrustManager.anyNode(creds.trustRoots(), revocations, refusals))
            .clientAuth(clientAuth);
    return build(GrpcSslContexts.configure(builder, SslProvider.JDK).protocols(PROTOCOLS), creds);
  }

  /**
   * A client context presenting {@code creds}' TLS chain and accepting only a server whose
   * certificate passes PKIX to {@code creds.trustRoots()} and {@link PeerIdentity#verify} and
   * names {@code expectedServer}; otherwise the handshake fails with a {@code
   * CertificateException} such as "server presented certificate of prov-11, expected prov-44".
   *
   * @throws IllegalArgumentException if the credentials cannot be used for TLS
   */
  public static SslContext client(NodeCredentials creds, NodeId expectedServer) {
    return client(creds, expectedServer, Revocations.none());
  }

  /** As {@link #client(NodeCredentials, NodeId)}, refusing a server whose certificates {@code revocations} lists. */
  public static SslContext client(NodeCredentials creds, NodeId expectedServer, Revocations revocations) {
    Objects.requireNonNull(creds, "creds");
    Objects.requireNonNull(expectedServer, "expectedServer");
    SslContextBuilder builder =
        SslContextBuilder.forClient()
            .keyManager(new NodeKeyManager(creds.tlsKey(), creds.tlsChain()))
            .trustManager(PeerTrustManager.expecting(creds.trustRoots(), expectedServer, revocations))
            .endpointIdentificationAlgorithm(null);
    return build(GrpcSslContexts.configure(builder, SslProvider.JDK).protocols(PROTOCOLS), creds);
  }

  private static SslContext build(SslContextBuilder builder, NodeCredentials creds) {
    try {
      return builder.build();
    } catch (SSLException e) {
      throw new IllegalArgumentException(
          "cannot build a TLS context from the credentials of " + creds.id() + ": "
              + e.getMessage(), e);
    }
  }
}
