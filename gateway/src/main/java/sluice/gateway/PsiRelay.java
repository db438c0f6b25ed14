package sluice.gateway;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicBoolean;
import sluice.crypto.NodeId;
import sluice.gateway.audit.AuditTrail;
import sluice.gateway.audit.AuditedCall;
import sluice.gateway.psi.PsiSessionRules;
import sluice.v1.IntersectRequest;
import sluice.v1.IntersectResponse;
import sluice.v1.IntersectStart;

/**
 * Relays one Intersect session to the next hop. The start is checked and admitted (catalogue,
 * grant and quota for every receiver element, the receiver's own resource), and its "ADMITTED"
 * entry is durable before the start goes on. Then each message in either direction is checked
 * against {@link PsiSessionRules} and passed on with end-to-end flow control (the next message is
 * asked for only when the other side can take this one), so a session of any size runs in bounded
 * memory here. The session's closing entry, with its counts and result size, is durable before
 * the caller sees the end. The receiver's result stops at the provider's gateway: the sending
 * department never learns the intersection's size.
 */
final class PsiRelay implements StreamObserver<IntersectRequest> {
  private final CallRouting routing;
  private final AuditTrail trail;
  private final ServerCallStreamObserver<IntersectResponse> upstream;
  private final AtomicBoolean upstreamWaiting = new AtomicBoolean();
  private final AtomicBoolean downstreamWaiting = new AtomicBoolean();
  private volatile ClientCallStreamObserver<IntersectRequest> downstream;
  private AuditedCall call;
  private PsiSessionRules rules;
  private NodeId next;
  /** Set once the session ended, by completion or failure: nothing more is sent or recorded. */
  private volatile boolean finished;
  private final sluice.gateway.psi.PsiProgress progress;
  /** Whether the session was admitted (and so counted as started). */
  private boolean admitted;

  PsiRelay(CallRouting routing, AuditTrail trail, ServerCallStreamObserver<IntersectResponse> upstream,
      sluice.gateway.psi.PsiProgress progress) {
    this.routing = routing;
    this.trail = trail;
    this.upstream = upstream;
    this.progress = progress;
    upstream.disableAutoRequest();
    upstream.setOnReadyHandler(this::upstreamReady);
    upstream.setOnCancelHandler(() -> fail(Status.CANCELLED.withDescription("the caller cancelled the session").asRuntimeException()));
    upstream.request(1);
  }

  @Override
  public void onNext(IntersectRequest message) {
    if (finished) {
      return;
    }
    if (rules == null) {
      start(message);
      return;
    }
    try {
      synchronized (this) {
        switch (message.getKindCase()) {
          case ELEMENTS -> progress.elements(rules.toSender(message.getElements()));
          case RESULT -> rules.result(message.getResult());
          default -> throw new IllegalArgumentException("a session carries exactly one start, first");
        }
      }
    } catch (IllegalArgumentException e) {
      fail(Refusals.invalid("Intersect: " + e.getMessage()));
      return;
    }
    ClientCallStreamObserver<IntersectRequest> down = downstream;
    if (message.hasResult() && next.isDepartment()) {
      // The result is for the gateways' audit: the sender learns nothing, not even how many matched.
      upstream.request(1);
      return;
    }
    down.onNext(message);
    if (down.isReady()) {
      upstream.request(1);
    } else {
      upstreamWaiting.set(true);
      if (down.isReady() && upstreamWaiting.compareAndSet(true, false)) {
        upstream.request(1);
      }
    }
  }

  private void start(IntersectRequest message) {
    IntersectStart start = message.getStart();
    call = trail.begin("Intersect", start.getContext(), start.getResourceCode(), "");
    Hop hop;
    try {
      if (!message.hasStart()) {
        throw Refusals.invalid("the first Intersect message must be the start");
      }
      RequestChecks.context(start.getContext(), "start.context");
      try {
        rules = PsiSessionRules.of(start);
      } catch (IllegalArgumentException e) {
        throw Refusals.invalid(e.getMessage());
      }
      call.psi(rules.facts());
      hop = routing.admit(start.getResourceCode(), start.getContext(), call);
      checkReceiverResource(start.getReceiverResourceCode(), hop.consumer());
      // A resumed session can still reveal something only about the elements whose tags the receiver lacks.
      sluice.catalog.grant.Decision permit = hop.intersectCheck().check(Math.max(1, rules.elementsStillOpen()));
      if (permit != null) {
        call.grant(permit.grantId());
      }
    } catch (StatusRuntimeException e) {
      finished = true;
      AuditedRelay.refuse(call, e, upstream);
      return;
    }
    next = hop.next();
    boolean counted;
    synchronized (this) {
      // A session already ended (cancelled meanwhile) is not counted as started.
      counted = !finished;
      admitted = counted;
    }
    if (counted) {
      progress.started();
    }
    call.released(call.admitted(), () -> {
      if (finished) {
        return;
      }
      hop.psiStub().intersect(new Responses());
      downstream.onNext(message);
      if (downstream.isReady()) {
        upstream.request(1);
      } else {
        upstreamWaiting.set(true);
        downstreamReady();
      }
    }, this::fail);
  }

  /** The receiver's set must come from a resource the receiver's own department registered. */
  private void checkReceiverResource(String code, NodeId consumer) {
    var resource = routing.catalog().find(code).orElseThrow(() -> Refusals.notFound(
        "start.receiver_resource_code " + code + " is not in the catalogue known to " + routing.self()
            + ": register the resource your set is drawn from first"));
    if (!resource.provider().equals(consumer)) {
      throw Refusals.denied("start.receiver_resource_code " + code + " is " + resource.provider()
          + "'s resource; " + consumer + " may intersect only a set drawn from its own resources");
    }
  }

  @Override
  public void onError(Throwable t) {
    fail(Status.CANCELLED.withDescription("the caller failed the session: " + Status.fromThrowable(t).getDescription())
        .asRuntimeException());
  }

  @Override
  public void onCompleted() {
    if (finished) {
      return;
    }
    ClientCallStreamObserver<IntersectRequest> down = downstream;
    if (down == null) {
      fail(Refusals.invalid("the Intersect session ended before it started"));
      return;
    }
    down.onCompleted();
  }

  private void upstreamReady() {
    ClientCallStreamObserver<IntersectRequest> down = downstream;
    if (down != null && downstreamWaiting.compareAndSet(true, false)) {
      down.request(1);
    }
  }

  private void downstreamReady() {
    if (upstreamWaiting.compareAndSet(true, false)) {
      upstream.request(1);
    }
  }

  /**
   * Ends the session with {@code e}: the downstream call is cancelled, the failure recorded, and
   * the caller told once the entry is durable. Only the first end counts.
   */
  private void fail(StatusRuntimeException e) {
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
      if (call == null) {
        return; // cancelled before anything arrived: nothing was asked
      }
      call.psi(rules == null ? sluice.v1.PsiSession.getDefaultInstance() : rules.facts());
      if (admitted) {
        progress.ended(false);
      }
    }
    ClientCallStreamObserver<IntersectRequest> down = downstream;
    if (down != null) {
      down.cancel(e.getStatus().getDescription(), null);
    }
    call.released(call.failed(e), () -> upstreamError(e), this::upstreamError);
  }

  private void upstreamError(StatusRuntimeException e) {
    synchronized (upstream) {
      try {
        upstream.onError(e);
      } catch (IllegalStateException alreadyClosed) {
        // The caller went away first.
      }
    }
  }

  /** The next hop's messages, checked and relayed to the caller. */
  private final class Responses implements ClientResponseObserver<IntersectRequest, IntersectResponse> {
    @Override
    public void beforeStart(ClientCallStreamObserver<IntersectRequest> requests) {
      requests.disableAutoRequestWithInitial(1);
      requests.setOnReadyHandler(PsiRelay.this::downstreamReady);
      downstream = requests;
    }

    @Override
    public void onNext(IntersectResponse message) {
      if (finished) {
        return;
      }
      try {
        synchronized (PsiRelay.this) {
          switch (message.getKindCase()) {
            case ACCEPTED -> rules.accepted(message.getAccepted());
            case SENDER_ELEMENTS -> rules.fromSender(message.getSenderElements());
            case TAGS -> rules.tags(message.getTags());
            default -> throw new IllegalArgumentException("an empty message");
          }
        }
      } catch (IllegalArgumentException e) {
        fail(Status.INTERNAL.withDescription(next + " broke the Intersect protocol, so " + routing.self()
            + " stopped the session: " + e.getMessage()).asRuntimeException());
        return;
      }
      synchronized (upstream) {
        if (finished) {
          return;
        }
        upstream.onNext(message);
      }
      ClientCallStreamObserver<IntersectRequest> down = downstream;
      if (upstream.isReady()) {
        down.request(1);
      } else {
        downstreamWaiting.set(true);
        if (upstream.isReady() && downstreamWaiting.compareAndSet(true, false)) {
          down.request(1);
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      fail(Relay.failure(next, t));
    }

    @Override
    public void onCompleted() {
      boolean complete;
      synchronized (PsiRelay.this) {
        if (finished) {
          return;
        }
        complete = rules.complete();
        if (complete) {
          finished = true;
          call.psi(rules.facts());
          progress.ended(true);
        }
      }
      if (!complete) {
        fail(Status.INTERNAL.withDescription(next + " ended the Intersect session before its result").asRuntimeException());
        return;
      }
      call.released(call.ended(), () -> {
        synchronized (upstream) {
          upstream.onCompleted();
        }
      }, PsiRelay.this::upstreamError);
    }
  }
}
