package sluice.gateway;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import sluice.crypto.NodeId;
import sluice.crypto.pki.NodeCredentials;
import sluice.crypto.pki.TlsContexts;

/**
 * One long-lived mutual-TLS channel per peer node, created on first use and reused by every
 * call; to a node run as several instances, one channel spreading calls over them. Each channel
 * checks that the server presents the certificate of the node it was opened for, not revoked. When the revocation list changes, every channel is replaced (calls in flight
 * finish on the old one), so no connection outlives its peer's revocation. Thread-safe.
 */
public final class NodeChannels implements AutoCloseable {
  private final NodeCredentials credentials;
  private final NodeAddresses addresses;
  private final Transport transport;
  private final ConcurrentMap<NodeId, ManagedChannel> channels = new ConcurrentHashMap<>();
  private volatile sluice.crypto.pki.RevocationList revocations;

  public NodeChannels(NodeCredentials credentials, NodeAddresses addresses, Transport transport) {
    this.credentials = credentials;
    this.addresses = addresses;
    this.transport = transport;
  }

  /**
   * The channel to {@code node}.
   *
   * @throws io.grpc.StatusRuntimeException UNAVAILABLE when the node has no known address
   */
  public ManagedChannel to(NodeId node) {
    sluice.crypto.pki.RevocationList now = transport.revocations().current();
    if (now != revocations) {
      renew(now);
    }
    ManagedChannel existing = channels.get(node);
    if (existing != null) {
      return existing;
    }
    return channels.computeIfAbsent(node, this::open);
  }

  private ManagedChannel open(NodeId node) {
    java.util.List<InetSocketAddress> at = addresses.of(node);
    if (at.isEmpty()) {
      throw Status.UNAVAILABLE.withDescription("no address is known for node " + node).asRuntimeException();
    }
    return transport.channelBuilder(at, TlsContexts.client(credentials, node, transport.revocations())).build();
  }

  private synchronized void renew(sluice.crypto.pki.RevocationList now) {
    if (now == revocations) {
      return;
    }
    boolean first = revocations == null;
    revocations = now;
    if (!first) {
      for (NodeId node : java.util.List.copyOf(channels.keySet())) {
        ManagedChannel old = channels.remove(node);
        if (old != null) {
          old.shutdown();
        }
      }
    }
  }

  @Override
  public void close() {
    for (ManagedChannel c : channels.values()) {
      c.shutdown();
    }
    for (ManagedChannel c : channels.values()) {
      try {
        if (!c.awaitTermination(2, TimeUnit.SECONDS)) {
          c.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        c.shutdownNow();
      }
    }
    channels.clear();
  }
}
