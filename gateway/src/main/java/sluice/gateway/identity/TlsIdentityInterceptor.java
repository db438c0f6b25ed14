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
import java.util.List;
import sluice.crypto.pki.PeerIdentity;
import sluice.crypto.pki.RevocationList;
import sluice.crypto.pki.Revocations;

/**
 * Derives the caller's node id from the verified TLS peer certificate and puts it in the call
 * {@link Context}. Calls without a TLS session or a certificate are refused with
 * UNAUTHENTICATED; no header can set or change the identity. A connection opened before its
 * peer's certificate was revoked is refused too: each call checks the session's chain against
 * the revocation list in force (once per session and list).
 */
public final class TlsIdentityInterceptor implements ServerInterceptor {
  private final Revocations revocations;
  private final List<X509Certificate> trustRoots;
  private final RefusalAudit audit;

  /** Without revocation. */
  public TlsIdentityInterceptor() {
    this(Revocations.none(), List.of());
  }

  /** Refusing calls over sessions whose chain (to {@code trustRoots}) {@code revocations} lists. */
  public TlsIdentityInterceptor(Revocations revocations, List<X509Certificate> trustRoots) {
    this(revocations, trustRoots, RefusalAudit.none());
  }

  /** As {@link #TlsIdentityInterceptor(Revocations, List)}, each refusal recorded in {@code audit} before it is sent. */
  public TlsIdentityInterceptor(Revocations revocations, List<X509Certificate> trustRoots, RefusalAudit audit) {
    this.revocations = revocations;
    this.trustRoots = List.copyOf(trustRoots);
    this.audit = audit;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    NodeId peer;
    try {
      peer = peerOf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION), revocations.current(), trustRoots);
    } catch (CertificateException | SSLPeerUnverifiedException e) {
      Status refusal = Status.UNAUTHENTICATED.withDescription(e.getMessage());
      audit.unauthenticated(call.getMethodDescriptor().getBareMethodName(), callerOf(call), e.getMessage())
          .whenComplete((ok, err) -> call.close(refusal, new Metadata()));
      return new ServerCall.Listener<>() {};
    }
    Context ctx =
        Context.current().withValue(CallerIdentity.PEER, peer).withValue(CallerIdentity.HEADERS, headers);
    return Contexts.interceptCall(ctx, call, headers, next);
  }

  /** Who a refused call came from: its certificate's node id when it has one, else its address. */
  private static String callerOf(ServerCall<?, ?> call) {
    SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
    if (session != null) {
      try {
        return PeerIdentity.verify(session).toString();
      } catch (CertificateException e) {
        // not a federation certificate: fall back to the address
      }
    }
    return "unauthenticated peer at " + call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
  }

  /** Where a session keeps the node id its peer chain was verified as, so each connection pays once. */
  private static final String VERIFIED_PEER = "sluice.verified-peer";

  /** The revocation list a session's chain was last found unrevoked in. */
  private static final String CHECKED_AGAINST = "sluice.revocations-checked";

  private static NodeId peerOf(SSLSession session, RevocationList revoked, List<X509Certificate> trustRoots)
      throws CertificateException, SSLPeerUnverifiedException {
    if (session == null) {
      throw new CertificateException("call did not arrive over mutual TLS");
    }
    // The chain is fixed for the session's life and the checks read nothing else (validity and
    // trust were checked in the handshake), so the answer is kept with the session, and checked
    // again only when the revocation list changes.
    if (session.getValue(VERIFIED_PEER) instanceof NodeId known && session.getValue(CHECKED_AGAINST) == revoked) {
      return known;
    }
    Certificate[] certs = session.getPeerCertificates();
    X509Certificate[] chain = new X509Certificate[certs.length];
    for (int i = 0; i < certs.length; i++) {
      chain[i] = (X509Certificate) certs[i];
    }
    NodeId peer = PeerIdentity.verify(chain);
    revoked.check(chain, trustRoots);
    session.putValue(VERIFIED_PEER, peer);
    session.putValue(CHECKED_AGAINST, revoked);
    return peer;
  }
}
