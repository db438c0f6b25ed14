package sluice.gateway;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import sluice.crypto.Hex;
import sluice.crypto.NodeId;
import sluice.v1.AggregateRequest;
import sluice.v1.AggregateServiceGrpc;
import sluice.v1.ContributeRequest;
import sluice.v1.ContributeResponse;
import sluice.v1.JoinRequest;
import sluice.v1.JoinResponse;
import sluice.v1.SignedShareKey;

/**
 * The hub's side of secure aggregation: runs Join and then Contribute with every participant,
 * each over its admitted route, and sums the masked figures. When a participant fails at either
 * step the masks of that session no longer cancel, so the session is abandoned and a new one runs
 * without it (fresh keys, fresh id); fewer than three participants in three provinces left ends
 * it with FAILED_PRECONDITION. No thread waits: every step continues from its calls' completion.
 */
final class AggregateCoordinator {
  static final int MIN_PARTICIPANTS = 3;

  /** One provider department taking part, and its route from the hub. */
  record Participant(String resourceCode, NodeId provider, Hop hop) {}

  /** The sum of everyone's figures, who was in it, who dropped out and why, and how many sessions it took. */
  record Outcome(long count, long sum, List<Participant> participants, List<String> dropped, int attempts) {}

  private final Duration deadline;
  private final SecureRandom random = new SecureRandom();

  AggregateCoordinator(Duration deadline) {
    this.deadline = deadline;
  }

  CompletableFuture<Outcome> run(AggregateRequest request, List<Participant> participants) {
    return attempt(request, participants, new ArrayList<>(), 1);
  }

  private CompletableFuture<Outcome> attempt(AggregateRequest request, List<Participant> ps, List<String> dropped,
      int attempt) {
    Set<Integer> provinces = new HashSet<>();
    ps.forEach(p -> provinces.add(p.provider().provinceOf().orElseThrow().code()));
    if (ps.size() < MIN_PARTICIPANTS || provinces.size() < MIN_PARTICIPANTS) {
      return CompletableFuture.failedFuture(Status.FAILED_PRECONDITION
          .withDescription("only " + ps.size() + " participants in " + provinces.size() + " provinces could take part; at least "
              + MIN_PARTICIPANTS + " provinces are needed so that no one's figure shows; dropped: " + dropped)
          .asRuntimeException());
    }
    byte[] id = new byte[16];
    random.nextBytes(id);
    String session = Hex.encode(id);
    List<CompletableFuture<Object>> joins = new ArrayList<>();
    for (Participant p : ps) {
      JoinRequest join = JoinRequest.newBuilder().setContext(request.getContext()).setSessionId(session)
          .setResourceCode(p.resourceCode()).setPredicate(request.getPredicate()).setSumField(request.getSumField())
          .setParticipants(ps.size()).build();
      joins.add(this.<JoinResponse>call(o -> stub(p).join(join, o)).handle((r, e) -> e == null ? r : e));
    }
    return CompletableFuture.allOf(joins.toArray(new CompletableFuture[0])).thenCompose(v -> {
      List<Participant> failed = failures(ps, joins, dropped, "join");
      if (!failed.isEmpty()) {
        return attempt(request, without(ps, failed), dropped, attempt + 1);
      }
      List<SignedShareKey> keys = joins.stream().map(j -> ((JoinResponse) j.join()).getKey()).toList();
      List<CompletableFuture<Object>> contributions = new ArrayList<>();
      for (Participant p : ps) {
        ContributeRequest c = ContributeRequest.newBuilder().setContext(request.getContext()).setSessionId(session)
            .setResourceCode(p.resourceCode()).addAllKeys(keys).build();
        contributions.add(this.<ContributeResponse>call(o -> stub(p).contribute(c, o)).handle((r, e) -> e == null ? r : e));
      }
      return CompletableFuture.allOf(contributions.toArray(new CompletableFuture[0])).thenCompose(w -> {
        List<Participant> gone = failures(ps, contributions, dropped, "contribute");
        if (!gone.isEmpty()) {
          return attempt(request, without(ps, gone), dropped, attempt + 1);
        }
        long count = 0;
        long sum = 0;
        for (CompletableFuture<Object> f : contributions) {
          ContributeResponse r = (ContributeResponse) f.join();
          count += r.getMaskedCount();
          sum += r.getMaskedSum();
        }
        return CompletableFuture.completedFuture(new Outcome(count, sum, ps, dropped, attempt));
      });
    });
  }

  /** The participants whose call failed, each noted in {@code dropped} with its status. */
  private static List<Participant> failures(List<Participant> ps, List<CompletableFuture<Object>> results,
      List<String> dropped, String step) {
    List<Participant> failed = new ArrayList<>();
    for (int i = 0; i < ps.size(); i++) {
      if (results.get(i).join() instanceof Throwable t) {
        Status s = Status.fromThrowable(t);
        dropped.add(ps.get(i).provider() + " (" + step + ": " + s.getCode() + " " + s.getDescription() + ")");
        failed.add(ps.get(i));
      }
    }
    return failed;
  }

  private static List<Participant> without(List<Participant> ps, List<Participant> gone) {
    List<Participant> left = new ArrayList<>(ps);
    left.removeAll(gone);
    return left;
  }

  private AggregateServiceGrpc.AggregateServiceStub stub(Participant p) {
    return p.hop().aggregateStub().withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One unary call as a future. */
  private <T> CompletableFuture<T> call(Consumer<StreamObserver<T>> invoke) {
    CompletableFuture<T> done = new CompletableFuture<>();
    invoke.accept(new StreamObserver<>() {
      private T value;

      @Override
      public void onNext(T v) {
        value = v;
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t instanceof StatusRuntimeException ? t : Status.fromThrowable(t).asRuntimeException());
      }

      @Override
      public void onCompleted() {
        done.complete(value);
      }
    });
    return done;
  }
}
