package sluice.bench;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.HandlerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import sluice.gateway.RawBytes;
import sluice.gateway.Transport;

/**
 * The baseline a gateway is measured against: a grpc-java server that forwards every call, of any
 * method, to one backend as raw bytes. It parses nothing, checks nothing and audits nothing; the
 * caller's metadata passes through as it came. Both hops are mutual TLS, as a gateway's are.
 */
final class BareProxy implements AutoCloseable {
  private final Server server;

  private BareProxy(Server server) {
    this.server = server;
  }

  /** Listens on {@code listen} under {@code tls} and forwards to {@code backend}. */
  static BareProxy start(Transport transport, InetSocketAddress listen, SslContext tls, ManagedChannel backend)
      throws IOException {
    HandlerRegistry any =
        new HandlerRegistry() {
          @Override
          public ServerMethodDefinition<?, ?> lookupMethod(String method, String authority) {
            MethodDescriptor<byte[], byte[]> descriptor =
                MethodDescriptor.<byte[], byte[]>newBuilder(RawBytes.MARSHALLER, RawBytes.MARSHALLER)
                    .setFullMethodName(method)
                    .setType(MethodDescriptor.MethodType.UNKNOWN)
                    .build();
            return ServerMethodDefinition.create(descriptor, new Forward(backend, descriptor));
          }
        };
    return new BareProxy(transport.serverBuilder(listen, tls).fallbackHandlerRegistry(any).build().start());
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** One call in, one call out, messages and metadata copied across, one message at a time. */
  private record Forward(ManagedChannel backend, MethodDescriptor<byte[], byte[]> method)
      implements ServerCallHandler<byte[], byte[]> {
    @Override
    public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> in, Metadata headers) {
      Deadline deadline = Context.current().getDeadline();
      ClientCall<byte[], byte[]> out = backend.newCall(method, CallOptions.DEFAULT.withDeadline(deadline));
      out.start(
          new ClientCall.Listener<>() {
            @Override
            public void onHeaders(Metadata h) {
              in.sendHeaders(h);
            }

            @Override
            public void onMessage(byte[] message) {
              in.sendMessage(message);
              out.request(1);
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
              in.close(status, trailers);
            }
          },
          headers);
      out.request(1);
      in.request(1);
      return new ServerCall.Listener<>() {
        @Override
        public void onMessage(byte[] message) {
          out.sendMessage(message);
          in.request(1);
        }

        @Override
        public void onHalfClose() {
          out.halfClose();
        }

        @Override
        public void onCancel() {
          out.cancel("the caller cancelled", null);
        }
      };
    }
  }
}
