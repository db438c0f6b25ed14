package sluice.gateway.client;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import sluice.crypto.psi.InvalidPointException;
import sluice.crypto.psi.PsiGroup;
import sluice.crypto.psi.PsiKey;
import sluice.crypto.psi.PsiSuite;
import sluice.crypto.psi.TagTable;
import sluice.gateway.psi.PsiSessionRules;
import sluice.v1.IntersectRequest;
import sluice.v1.IntersectResponse;
import sluice.v1.IntersectResult;
import sluice.v1.IntersectStart;
import sluice.v1.MaskedElements;
import sluice.v1.PsiMode;
import sluice.v1.PsiServiceGrpc;
import sluice.v1.RequestContext;

/**
 * The receiver of one ECDH-PSI session, run by the consumer department's own system: its
 * elements are hashed and masked here with a fresh key, never sent in the clear; the sender's
 * masked elements are masked again here and looked up among the tags of its own. The sender's
 * messages are checked against {@link PsiSessionRules} and every point it sends is validated.
 *
 * <p>Masking runs on up to {@code parallel} chunks at once on the work executor; own chunks are
 * sent only while the gateway takes them, and the sender's are asked for only while there is room
 * to mask them, so memory stays bounded by the sets' sizes (about 40 bytes per element).
 */
public final class PsiReceiver {
  /** Own elements per message. */
  static final int CHUNK = 1024;

  /** What a session asks. */
  public record Request(
      RequestContext context, String resourceCode, String receiverResourceCode, PsiSuite suite, PsiMode mode) {}

  /** Called as work completes: elements masked (own and the sender's) out of all there are to mask. */
  public interface Progress {
    void update(long done, long total);
  }

  /**
   * What the receiver learned.
   *
   * @param intersection INTERSECTION: the receiver's elements the sender holds, in input order;
   *     CARDINALITY: empty
   */
  public record Result(PsiMode mode, long receiverSetSize, long senderSetSize, long size, List<String> intersection) {}

  private final PsiServiceGrpc.PsiServiceStub stub;
  private final Executor work;
  private final int parallel;
  private final SecureRandom random;

  public PsiReceiver(PsiServiceGrpc.PsiServiceStub stub, Executor work, int parallel, SecureRandom random) {
    if (parallel < 1) {
      throw new IllegalArgumentException("mask at least one chunk at a time, not " + parallel);
    }
    this.stub = stub;
    this.work = work;
    this.parallel = parallel;
    this.random = random;
  }

  /**
   * Runs one session over the distinct elements of {@code elements} (duplicates count once); an
   * empty set intersects to nothing without a call.
   *
   * @throws StatusRuntimeException as the federation ended the session
   */
  public Result run(Request request, Collection<String> elements, Progress progress) throws InterruptedException {
    List<String> own = new ArrayList<>(new LinkedHashSet<>(elements));
    if (own.isEmpty()) {
      return new Result(request.mode(), 0, 0, 0, List.of());
    }
    IntersectStart start = IntersectStart.newBuilder()
        .setContext(request.context())
        .setResourceCode(request.resourceCode())
        .setReceiverResourceCode(request.receiverResourceCode())
        .setSuite(request.suite().name())
        .setMode(request.mode())
        .setReceiverSetSize(own.size())
        .build();
    Session session = new Session(start, own, progress);
    stub.intersect(session);
    session.begin();
    try {
      return session.done.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException s) {
        throw s;
      }
      throw Status.INTERNAL.withDescription("Intersect failed here: " + e.getCause()).withCause(e.getCause())
          .asRuntimeException();
    }
  }

  /** One session's state, guarded by this. */
  private final class Session implements ClientResponseObserver<IntersectRequest, IntersectResponse> {
    private final IntersectStart start;
    private final List<String> own;
    private final Progress progress;
    private final PsiSessionRules rules;
    private final PsiGroup group;
    private final PsiKey key;
    private final TagTable table;
    private final CompletableFuture<Result> done = new CompletableFuture<>();
    private ClientCallStreamObserver<IntersectRequest> requests;
    private final TreeMap<Integer, byte[]> ownReady = new TreeMap<>();
    private int ownNext;
    private int ownSent;
    private int working;
    private int waitingChunks;
    private final java.util.ArrayDeque<MaskedElements> incoming = new java.util.ArrayDeque<>();
    private byte[] senderTags;
    private long senderDone;
    private long masked;
    private boolean asked;
    private boolean resultSent;

    Session(IntersectStart start, List<String> own, Progress progress) {
      this.start = start;
      this.own = own;
      this.progress = progress;
      this.rules = PsiSessionRules.of(start);
      this.group = rules.suite().group();
      this.key = group.newKey(random);
      this.table = new TagTable(own.size());
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<IntersectRequest> requests) {
      requests.disableAutoRequestWithInitial(0);
      requests.setOnReadyHandler(this::pump);
      synchronized (this) {
        this.requests = requests;
      }
    }

    /** Sends the start once the call is open; the rest follows the sender's acceptance. */
    void begin() {
      synchronized (this) {
        requests.onNext(IntersectRequest.newBuilder().setStart(start).build());
      }
      pump();
    }

    @Override
    public void onNext(IntersectResponse message) {
      try {
        synchronized (this) {
          if (done.isDone()) {
            return;
          }
          asked = false;
          switch (message.getKindCase()) {
            case ACCEPTED -> {
              rules.accepted(message.getAccepted());
              senderTags = new byte[Math.toIntExact(rules.senderSetSize() * PsiGroup.TAG_LENGTH)];
            }
            case SENDER_ELEMENTS -> {
              rules.fromSender(message.getSenderElements());
              incoming.add(message.getSenderElements());
            }
            case TAGS -> {
              rules.tags(message.getTags());
              byte[] tags = message.getTags().getTags().toByteArray();
              int first = (int) message.getTags().getFirst();
              for (int i = 0; i < tags.length / PsiGroup.TAG_LENGTH; i++) {
                if (!table.put(tags, i * PsiGroup.TAG_LENGTH, rules.mode() == PsiMode.INTERSECTION ? first + i : 0)) {
                  duplicateTags++;
                }
              }
            }
            default -> throw new IllegalArgumentException("an empty message");
          }
        }
      } catch (IllegalArgumentException e) {
        fail(Status.INTERNAL.withDescription("the sender broke the Intersect protocol: " + e.getMessage()).asRuntimeException());
        return;
      }
      pump();
    }

    /** Starts work while there is room; sends own chunks in order; asks for more; finishes. */
    private void pump() {
      synchronized (this) {
        if (done.isDone() || requests == null) {
          return;
        }
        while (!ownReady.isEmpty() && ownReady.firstKey() == ownSent && requests.isReady()) {
          byte[] points = ownReady.remove(ownSent);
          MaskedElements m = MaskedElements.newBuilder().setFirst(ownSent).setPoints(ByteString.copyFrom(points)).build();
          rules.toSender(m);
          ownSent += points.length / group.pointLength();
          requests.onNext(IntersectRequest.newBuilder().setElements(m).build());
        }
        while (working < parallel && rules.senderSetSize() >= 0) {
          if (!incoming.isEmpty()) {
            MaskedElements m = incoming.poll();
            working++;
            work.execute(() -> remask(m));
          } else if (ownNext < own.size() && ownReady.size() < 2 * parallel) {
            int from = ownNext;
            int to = Math.min(own.size(), from + CHUNK);
            ownNext = to;
            working++;
            work.execute(() -> maskOwn(from, to));
          } else {
            break;
          }
        }
        if (!asked && incoming.size() + working < 2 * parallel) {
          asked = true;
          requests.request(1);
        }
        if (!resultSent && rules.senderSetSize() >= 0 && ownSent == own.size() && table.size() + duplicateTags == own.size()
            && senderDone == rules.senderSetSize() && working == 0) {
          finish();
        }
      }
    }

    /** Tags that were equal to one already held (a 2^-96 event, or a misbehaving sender). */
    private long duplicateTags;

    private void maskOwn(int from, int to) {
      byte[] points = new byte[(to - from) * group.pointLength()];
      try {
        for (int i = from; i < to; i++) {
          byte[] p = group.mask(key, own.get(i).getBytes(StandardCharsets.UTF_8));
          System.arraycopy(p, 0, points, (i - from) * p.length, p.length);
        }
      } catch (RuntimeException e) {
        fail(Status.INTERNAL.withDescription("masking this party's elements failed: " + e).asRuntimeException());
        return;
      }
      synchronized (this) {
        working--;
        ownReady.put(from, points);
        masked += to - from;
      }
      report();
      pump();
    }

    private void remask(MaskedElements m) {
      int length = group.pointLength();
      int count = m.getPoints().size() / length;
      byte[] point = new byte[length];
      byte[] tags = new byte[count * PsiGroup.TAG_LENGTH];
      try {
        for (int i = 0; i < count; i++) {
          m.getPoints().copyTo(point, i * length, 0, length);
          System.arraycopy(group.tag(group.remask(key, point)), 0, tags, i * PsiGroup.TAG_LENGTH, PsiGroup.TAG_LENGTH);
        }
      } catch (InvalidPointException e) {
        fail(Status.INTERNAL.withDescription("the sender sent an invalid element at position " + m.getFirst() + ": "
            + e.getMessage()).asRuntimeException());
        return;
      } catch (RuntimeException e) {
        fail(Status.INTERNAL.withDescription("masking the sender's elements failed: " + e).asRuntimeException());
        return;
      }
      synchronized (this) {
        working--;
        System.arraycopy(tags, 0, senderTags, Math.toIntExact(m.getFirst() * PsiGroup.TAG_LENGTH), tags.length);
        senderDone += count;
        masked += count;
      }
      report();
      pump();
    }

    private void report() {
      if (progress != null) {
        long d;
        long total;
        synchronized (this) {
          d = masked;
          total = own.size() + Math.max(0, rules.senderSetSize());
        }
        progress.update(d, total);
      }
    }

    /** Holds this: joins, reports the result size, and half-closes. */
    private void finish() {
      resultSent = true;
      List<String> found = new ArrayList<>();
      long count = 0;
      boolean[] hit = rules.mode() == PsiMode.INTERSECTION ? new boolean[own.size()] : null;
      for (int i = 0; i < senderTags.length / PsiGroup.TAG_LENGTH; i++) {
        int at = table.get(senderTags, i * PsiGroup.TAG_LENGTH);
        if (at >= 0) {
          count++;
          if (hit != null) {
            hit[at] = true;
          }
        }
      }
      if (hit != null) {
        for (int i = 0; i < hit.length; i++) {
          if (hit[i]) {
            found.add(own.get(i));
          }
        }
      }
      key.destroy();
      IntersectResult r = IntersectResult.newBuilder().setResultSize(count).build();
      rules.result(r);
      requests.onNext(IntersectRequest.newBuilder().setResult(r).build());
      requests.onCompleted();
      pendingResult = new Result(rules.mode(), own.size(), rules.senderSetSize(), count, List.copyOf(found));
    }

    private Result pendingResult;

    @Override
    public void onError(Throwable t) {
      synchronized (this) {
        key.destroy();
      }
      done.completeExceptionally(t instanceof StatusRuntimeException ? t : Status.fromThrowable(t).asRuntimeException());
    }

    @Override
    public void onCompleted() {
      synchronized (this) {
        if (pendingResult == null) {
          done.completeExceptionally(Status.INTERNAL
              .withDescription("the session ended before this receiver had its result").asRuntimeException());
        } else {
          done.complete(pendingResult);
        }
      }
    }

    private void fail(StatusRuntimeException e) {
      synchronized (this) {
        if (done.isDone()) {
          return;
        }
        key.destroy();
        done.completeExceptionally(e);
      }
      requests.cancel(e.getStatus().getDescription(), null);
    }
  }
}
