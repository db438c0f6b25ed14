package sluice.gateway.identity;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import sluice.crypto.NodeId;
import sluice.crypto.pki.PeerIdentity;

/**
 * Derives the caller's node id from the verified TLS peer certificate and puts it in the call
 * {@link Context}. Calls without a TLS session or a certificate are refused with
 * UNAUTHENTICATED; no header can set or change the identity.
 */
public final class TlsIdentityInterceptor implements ServerInterceptor {

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    NodeId peer;
    try {
      peer = peerOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    } catch (CertificateException | SSLPeerUnverifiedException e) {
      call.close(Status.UNAUTHENTICATED.withDescription(e.getMessage()), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    Context ctx =
        Context.current().withValue(CallerIdentity.PEER, peer).withValue(CallerIdentity.HEADERS, headers);
    return Contexts.interceptCall(ctx, call, headers, next);
  }

  /** Where a session keeps the node id its peer chain was verified as, so each connection pays once. */
  private static final String VERIFIED_PEER = "sluice.verified-peer";

  private static NodeId peerOf(SSLSession session)
      throws CertificateException, SSLPeerUnverifiedException {
    if (session == null) {
      throw new CertificateException("call did not arrive over mutual TLS");
    }
    // The chain is fixed for the session's life and the checks read nothing else (validity and
    // trust were checked in the handshake), so the answer is kept with the session.
    if (session.getValue(VERIFIED_PEER) instanceof NodeId known) {
      return known;
    }
    Certificate[] certs = session.getPeerCertificates();
    X509Certificate[] chain = new X509Certificate[certs.length];
    for (int i = 0; i < certs.length; i++) {
      chain[i] = (X509Certificate) certs[i];
    }
    NodeId peer = PeerIdentity.verify(chain);
    session.putValue(VERIFIED_PEER, peer);
    return peer;
  }
}
