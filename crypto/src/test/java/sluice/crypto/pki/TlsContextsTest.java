package sluice.crypto.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.NodeId;

/** Real mutual-TLS handshakes over TCP on 127.0.0.1 with grpc-netty. */
class TlsContextsTest {

  static final NodeId PROV_44 = NodeId.parse("prov-44");
  static final NodeId PROV_11 = NodeId.parse("prov-11");
  static final NodeId HRSS_44 = NodeId.parse("prov-44/dept-hrss");
  static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  static final SecureRandom RANDOM = new SecureRandom();

  static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  /** Unary method answering with the caller's node id as read from the TLS session. */
  static final MethodDescriptor<byte[], byte[]> WHO_AM_I =
      MethodDescriptor.<byte[], byte[]>newBuilder()
          .setType(MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("sluice.test.Echo/WhoAmI")
          .setRequestMarshaller(BYTES)
          .setResponseMarshaller(BYTES)
          .build();

  @TempDir static Path dir;
  @TempDir static Path foreignDir;
  static FederationPki pki;
  static FederationPki foreign;
  static Server prov44Server;
  static Server prov11Server;

  @BeforeAll
  static void start() throws Exception {
    // CAs valid from yesterday so that an already-expired leaf can be issued below.
    Instant start = NOW.minus(Duration.ofDays(1));
    pki = FederationPki.init(dir, List.of(NodeId.NATIONAL, PROV_44, PROV_11, HRSS_44), start,
        Duration.ofDays(30), RANDOM);
    foreign = FederationPki.init(foreignDir, List.of(HRSS_44), start, Duration.ofDays(30), RANDOM);
    prov44Server = serve(pki.load(PROV_44));
    prov11Server = serve(pki.load(PROV_11));
  }

  @AfterAll
  static void stop() throws InterruptedException {
    for (Server s : new Server[] {prov44Server, prov11Server}) {
      if (s != null) {
        s.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }

  static Server serve(NodeCredentials creds) throws IOException {
    ServerCallHandler<byte[], byte[]> handler =
        new ServerCallHandler<>() {
          @Override
          public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> call, Metadata h) {
            call.request(1);
            return new ServerCall.Listener<>() {
              @Override
              public void onMessage(byte[] message) {
                SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
                try {
                  String who = PeerIdentity.verify(session).toString();
                  call.sendHeaders(new Metadata());
                  call.sendMessage(who.getBytes(StandardCharsets.UTF_8));
                  call.close(Status.OK, new Metadata());
                } catch (CertificateException e) {
                  call.close(Status.UNAUTHENTICATED.withDescription(e.getMessage()), new Metadata());
                }
              }
            };
          }
        };
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .sslContext(TlsContexts.server(creds))
        .addService(ServerServiceDefinition.builder("sluice.test.Echo")
            .addMethod(WHO_AM_I, handler).build())
        .build()
        .start();
  }

  static String call(Server server, SslContext clientContext) throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
            .sslContext(clientContext)
            .build();
    try {
      ClientCall<byte[], byte[]> call =
          channel.newCall(WHO_AM_I, CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS));
      CompletableFuture<byte[]> result = new CompletableFuture<>();
      call.start(
          new ClientCall.Listener<>() {
            private byte[] response;

            @Override
            public void onMessage(byte[] message) {
              response = message;
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
              if (status.isOk()) {
                result.complete(response);
              } else {
                result.completeExceptionally(status.asRuntimeException(trailers));
              }
            }
          },
          new Metadata());
      call.request(1);
      call.sendMessage(new byte[0]);
      call.halfClose();
      try {
        return new String(result.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof Exception) {
          throw (Exception) e.getCause();
        }
        throw e;
      }
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  static StatusRuntimeException fails(Server server, SslContext clientContext) {
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> call(server, clientContext));
    assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
    return e;
  }

  static boolean causeChainMentions(Throwable t, String text) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (String.valueOf(c.getMessage()).contains(text)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void mutualTlsIdentifiesTheClient() throws Exception {
    assertEquals("prov-44/dept-hrss",
        call(prov44Server, TlsContexts.client(pki.load(HRSS_44), PROV_44)));
    assertEquals("national",
        call(prov44Server, TlsContexts.client(pki.load(NodeId.NATIONAL), PROV_44)));
    assertEquals("prov-11", call(prov44Server, TlsContexts.client(pki.load(PROV_11), PROV_44)));
  }

  @Test
  void refusesClientCertificateFromForeignRoot() throws Exception {
    NodeCredentials alien = foreign.load(HRSS_44);
    // The client trusts the real root, so only the server's check can fail.
    NodeCredentials creds = new NodeCredentials(HRSS_44, alien.tlsKey(), alien.tlsChain(),
        alien.signingKey(), alien.signingChain(), List.of(pki.root()));
    fails(prov44Server, TlsContexts.client(creds, PROV_44));
  }

  @Test
  void refusesExpiredClientCertificate() throws Exception {
    NodeCredentials good = pki.load(HRSS_44);
    KeyPair keys = RawIssuer.p256();
    X509Certificate expired = pki.authorityFor(HRSS_44).issueTls(HRSS_44, keys.getPublic(),
        NOW.minus(Duration.ofHours(20)), NOW.minus(Duration.ofHours(1)));
    NodeCredentials creds = new NodeCredentials(HRSS_44, keys.getPrivate(),
        List.of(expired, good.tlsChain().get(1)), good.signingKey(), good.signingChain(),
        good.trustRoots());
    fails(prov44Server, TlsContexts.client(creds, PROV_44));
  }

  @Test
  void refusesClientViolatingTheIssuerRule() throws Exception {
    // A department certificate signed directly by the root passes PKIX (the root has no name
    // constraints) but not PeerIdentity: the server's trust manager must refuse it.
    NodeCredentials good = pki.load(HRSS_44);
    KeyPair keys = RawIssuer.p256();
    CertificateAuthority root = pki.rootAuthority();
    X509Certificate rogue = RawIssuer.leaf(root.certificate(), root.privateKey(),
        "prov-44/dept-hrss", keys.getPublic(), NOW.minusSeconds(60), NOW.plus(Duration.ofDays(1)),
        HRSS_44.toUri());
    NodeCredentials creds = new NodeCredentials(HRSS_44, keys.getPrivate(), List.of(rogue),
        good.signingKey(), good.signingChain(), good.trustRoots());
    fails(prov44Server, TlsContexts.client(creds, PROV_44));
  }

  @Test
  void refusesServerOtherThanExpected() throws Exception {
    StatusRuntimeException e =
        fails(prov11Server, TlsContexts.client(pki.load(HRSS_44), PROV_44));
    assertTrue(causeChainMentions(e, "server presented certificate of prov-11, expected prov-44"),
        e.toString());
    // And the same client reaches the right server.
    assertEquals("prov-44/dept-hrss",
        call(prov44Server, TlsContexts.client(pki.load(HRSS_44), PROV_44)));
  }

  @Test
  void refusesClientWithoutCertificate() throws Exception {
    SslContextBuilder builder =
        SslContextBuilder.forClient()
            .trustManager(PeerTrustManager.expecting(List.of(pki.root()), PROV_44));
    SslContext noCert = GrpcSslContexts.configure(builder, SslProvider.JDK).build();
    fails(prov44Server, noCert);
  }

  @Test
  void trustManagerMessagesNameTheProblem() throws Exception {
    X509Certificate[] prov11Chain =
        pki.load(PROV_11).tlsChain().toArray(new X509Certificate[0]);
    PeerTrustManager expecting44 = PeerTrustManager.expecting(List.of(pki.root()), PROV_44);
    CertificateException wrong = assertThrows(CertificateException.class,
        () -> expecting44.checkServerTrusted(prov11Chain, "UNKNOWN"));
    assertEquals("server presented certificate of prov-11, expected prov-44", wrong.getMessage());

    X509Certificate[] alien = foreign.load(HRSS_44).tlsChain().toArray(new X509Certificate[0]);
    PeerTrustManager any = PeerTrustManager.anyNode(List.of(pki.root()));
    assertThrows(CertificateException.class, () -> any.checkClientTrusted(alien, "UNKNOWN"));
    any.checkClientTrusted(prov11Chain, "UNKNOWN");
    assertEquals(List.of(pki.root()), List.of(any.getAcceptedIssuers()));
  }
}
