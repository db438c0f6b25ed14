package sluice.bench;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.ArrayList;
import java.util.List;

/**
 * Records every message a node receives and sends, as the protobuf objects themselves, for tests
 * that check what reached a node or left it (the privacy canary checks).
 */
public final class MessageTap implements ServerInterceptor {
  /** One message: {@code in} when the node received it, else sent. */
  public record Message(String method, boolean in, Object message) {}

  private final List<Message> seen = new ArrayList<>();
  private boolean paused;

  /** Everything recorded so far. */
  public synchronized List<Message> seen() {
    return List.copyOf(seen);
  }

  /** Stops recording and forgets what was recorded: long runs (the soak) would keep every message. */
  public synchronized void pause() {
    paused = true;
    seen.clear();
  }

  private synchronized void add(Message m) {
    if (!paused) {
      seen.add(m);
    }
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    ServerCall<Q, A> recording = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void sendMessage(A message) {
        add(new Message(method, false, message));
        super.sendMessage(message);
      }
    };
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(recording, headers)) {
      @Override
      public void onMessage(Q message) {
        add(new Message(method, true, message));
        super.onMessage(message);
      }
    };
  }
}
