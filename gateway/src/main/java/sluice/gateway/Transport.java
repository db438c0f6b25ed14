package sluice.gateway;

import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Network resources shared by every node in one process: Netty event loops and the executor that
 * runs call handlers. A process hosting the whole federation (the demo, tests) runs hundreds of
 * servers and channels on one {@code Transport}, so thread counts stay bounded by core count.
 *
 * <p>Thread-safe. Close it after every server and channel built on it has shut down.
 */
public final class Transport implements AutoCloseable {
  /** Largest message any Sluice server or channel accepts. */
  public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final ExecutorService executor;
  private final sluice.crypto.pki.Revocations revocations;

  private Transport(int eventLoopThreads, sluice.crypto.pki.Revocations revocations) {
    this.boss = new NioEventLoopGroup(1, daemonThreads("sluice-accept"));
    this.workers = new NioEventLoopGroup(eventLoopThreads, daemonThreads("sluice-io"));
    this.executor = Executors.newCachedThreadPool(daemonThreads("sluice-call"));
    this.revocations = java.util.Objects.requireNonNull(revocations, "revocations");
  }

  /** A transport with one event loop thread per core, for a federation that revokes no certificate. */
  public static Transport create() {
    return create(sluice.crypto.pki.Revocations.none());
  }

  /**
   * A transport with one event loop thread per core whose servers and channels refuse peers with
   * certificates {@code revocations} lists (checked at each TLS handshake).
   */
  public static Transport create(sluice.crypto.pki.Revocations revocations) {
    return new Transport(Runtime.getRuntime().availableProcessors(), revocations);
  }

  /** The revocation lists the TLS contexts of servers and channels on this transport honour. */
  public sluice.crypto.pki.Revocations revocations() {
    return revocations;
  }

  /** The executor that runs call handlers; work a handler fans out may run on it too. */
  public java.util.concurrent.Executor executor() {
    return executor;
  }

  /** A server builder listening on {@code address} with mutual TLS under {@code tls}. */
  public NettyServerBuilder serverBuilder(InetSocketAddress address, SslContext tls) {
    return NettyServerBuilder.forAddress(address)
        .bossEventLoopGroup(boss)
        .workerEventLoopGroup(workers)
        .channelType(NioServerSocketChannel.class)
        .executor(executor)
        .sslContext(tls)
        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
        .permitKeepAliveTime(10, TimeUnit.SECONDS);
  }

  /** A channel builder to {@code address} with mutual TLS under {@code tls}. */
  public NettyChannelBuilder channelBuilder(InetSocketAddress address, SslContext tls) {
    return onThisTransport(NettyChannelBuilder.forAddress(address), tls);
  }

  /** {@code builder} on this transport's threads, with mutual TLS under {@code tls}. */
  private NettyChannelBuilder onThisTransport(NettyChannelBuilder builder, SslContext tls) {
    return builder
        .eventLoopGroup(workers)
        .channelType(NioSocketChannel.class)
        .executor(executor)
        .sslContext(tls)
        .maxInboundMessageSize(MAX_MESSAGE_BYTES);
  }

  /**
   * A channel builder to a node at {@code addresses}: one address as {@link #channelBuilder(InetSocketAddress,
   * SslContext)}; several (instances of one node) spread calls round robin over the instances that
   * are up and report SERVING.
   */
  @SuppressWarnings("deprecation") // a resolver of this channel's own, not one registered for the process
  public NettyChannelBuilder channelBuilder(java.util.List<InetSocketAddress> addresses, SslContext tls) {
    if (addresses.size() == 1) {
      return channelBuilder(addresses.get(0), tls);
    }
    return onThisTransport(NettyChannelBuilder.forTarget(InstanceResolver.SCHEME + ":///instances")
        .nameResolverFactory(new InstanceResolver(addresses))
        .defaultServiceConfig(InstanceResolver.SERVICE_CONFIG), tls);
  }

  @Override
  public void close() {
    executor.shutdown();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Threads that do not keep the JVM alive, named {@code prefix-N}. */
  public static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
