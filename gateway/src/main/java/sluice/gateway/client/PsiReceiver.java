package sluice.gateway.client;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
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
 * <p>When the connection drops (UNAVAILABLE or CANCELLED), the session is resumed on a new call,
 * up to {@link #MAX_RESUMES} times: the receiver says which tags and which of the sender's
 * elements it already holds, the sender (which keeps a dropped session for ten minutes) sends
 * what is missing, and nothing already done is done again except chunks that were in flight.
 *
 * <p>Masking runs on up to {@code parallel} chunks at once on the work executor; own chunks are
 * sent only while the gateway takes them, and the sender's are asked for only while there is room
 * to mask them, so memory stays bounded by the sets' sizes (about 40 bytes per element).
 */
public final class PsiReceiver {
  /** Own elements per message. */
  static final int CHUNK = 1024;
  /** Resumptions of one session after dropped connections. */
  public static final int MAX_RESUMES = 5;

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
   * @param resumes how many times the session was resumed after a dropped connection
   */
  public record Result(PsiMode mode, long receiverSetSize, long senderSetSize, long size, List<String> intersection,
      int resumes) {}

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
      return new Result(request.mode(), 0, 0, 0, List.of(), 0);
    }
    Session session = new Session(request, own, progress);
    try {
      for (int resumes = 0; ; resumes++) {
        Session.Attempt attempt = session.new Attempt();
        stub.intersect(attempt);
        attempt.begin();
        try {
          Result r = attempt.done.get();
          return new Result(r.mode(), r.receiverSetSize(), r.senderSetSize(), r.size(), r.intersection(), resumes);
        } catch (ExecutionException e) {
          StatusRuntimeException s = e.getCause() instanceof StatusRuntimeException x ? x
              : Status.INTERNAL.withDescription("Intersect failed here: " + e.getCause()).withCause(e.getCause())
                  .asRuntimeException();
          Status.Code code = s.getStatus().getCode();
          boolean dropped = (code == Status.Code.UNAVAILABLE || code == Status.Code.CANCELLED) && !attempt.failedHere;
          if (!dropped || session.id == null || resumes >= MAX_RESUMES) {
            throw s;
          }
          Thread.sleep(200L << resumes);
        }
      }
    } finally {
      session.key.destroy();
    }
  }

  /** What the receiver keeps across the connections of one session. Guarded by this. */
  private final class Session {
    final Request request;
    final List<String> own;
    final Progress progress;
    final PsiGroup group;
    final PsiKey key;
    TagTable table;
    /** INTERSECTION: the positions whose tags are held. */
    final BitSet tagHeld = new BitSet();
    /** CARDINALITY: tags received (they come all at the end, shuffled). */
    long cardinalityTags;
    long duplicateTags;
    String id;
    long senderSetSize = -1;
    byte[] senderTags;
    final BitSet senderDone = new BitSet();
    long masked;

    Session(Request request, List<String> own, Progress progress) {
      this.request = request;
      this.own = own;
      this.progress = progress;
      this.group = request.suite().group();
      this.key = group.newKey(random);
      this.table = new TagTable(own.size());
    }

    long tagsReceived() {
      return request.mode() == PsiMode.INTERSECTION ? tagHeld.cardinality() : cardinalityTags;
    }

    /** One connection of the session. Its flow state is guarded by the session. */
    private final class Attempt implements ClientResponseObserver<IntersectRequest, IntersectResponse> {
      private final IntersectStart start;
      private final PsiSessionRules rules;
      private final CompletableFuture<Result> done = new CompletableFuture<>();
      private ClientCallStreamObserver<IntersectRequest> requests;
      private final TreeMap<Integer, byte[]> ownReady = new TreeMap<>();
      private final ArrayDeque<MaskedElements> incoming = new ArrayDeque<>();
      private int ownNext;
      private int ownSent;
      private int working;
      private boolean asked;
      private boolean resultSent;
      private Result pendingResult;
      /** Set when this receiver itself ended the attempt (a protocol or local failure): no resuming. */
      volatile boolean failedHere;

      Attempt() {
        synchronized (Session.this) {
          IntersectStart.Builder b = IntersectStart.newBuilder()
              .setContext(request.context())
              .setResourceCode(request.resourceCode())
              .setReceiverResourceCode(request.receiverResourceCode())
              .setSuite(request.suite().name())
              .setMode(request.mode())
              .setReceiverSetSize(own.size());
          if (id != null) {
            if (request.mode() == PsiMode.CARDINALITY) {
              // Shuffled tags arrive all at the end: a resumed session sends them all again.
              table = new TagTable(own.size());
              cardinalityTags = 0;
              duplicateTags = 0;
            }
            b.setResumeSessionId(id)
                .setResumeTagsHeld(request.mode() == PsiMode.INTERSECTION ? tagHeld.nextClearBit(0) : 0)
                .setResumeSenderElementsHeld(senderDone.nextClearBit(0));
          }
          start = b.build();
          rules = PsiSessionRules.of(start);
        }
      }

      @Override
      public void beforeStart(ClientCallStreamObserver<IntersectRequest> requests) {
        requests.disableAutoRequestWithInitial(0);
        requests.setOnReadyHandler(this::pump);
        synchronized (Session.this) {
          this.requests = requests;
        }
      }

      /** Sends the start once the call is open; the rest follows the sender's acceptance. */
      void begin() {
        synchronized (Session.this) {
          requests.onNext(IntersectRequest.newBuilder().setStart(start).build());
        }
        pump();
      }

      @Override
      public void onNext(IntersectResponse message) {
        try {
          synchronized (Session.this) {
            if (done.isDone()) {
              return;
            }
            asked = false;
            switch (message.getKindCase()) {
              case ACCEPTED -> accepted(message.getAccepted());
              case SENDER_ELEMENTS -> {
                rules.fromSender(message.getSenderElements());
                incoming.add(message.getSenderElements());
              }
              case TAGS -> tags(message.getTags());
              default -> throw new IllegalArgumentException("an empty message");
            }
          }
        } catch (IllegalArgumentException e) {
          fail(Status.INTERNAL.withDescription("the sender broke the Intersect protocol: " + e.getMessage()).asRuntimeException());
          return;
        }
        pump();
      }

      /** Holds the session. */
      private void accepted(sluice.v1.IntersectAccepted a) {
        rules.accepted(a);
        if (senderSetSize >= 0 && a.getSenderSetSize() != senderSetSize) {
          throw new IllegalArgumentException("the resumed session's sender set is " + a.getSenderSetSize()
              + " elements, not " + senderSetSize);
        }
        if (senderSetSize < 0) {
          senderSetSize = a.getSenderSetSize();
          senderTags = new byte[Math.toIntExact(senderSetSize * PsiGroup.TAG_LENGTH)];
        }
        id = a.getSessionId();
        ownNext = (int) a.getReceiverElementsFrom();
        ownSent = ownNext;
      }

      /** Holds the session. */
      private void tags(sluice.v1.Tags t) {
        rules.tags(t);
        byte[] tags = t.getTags().toByteArray();
        int first = (int) t.getFirst();
        for (int i = 0; i < tags.length / PsiGroup.TAG_LENGTH; i++) {
          if (request.mode() == PsiMode.INTERSECTION) {
            if (tagHeld.get(first + i)) {
              continue; // sent again after a resumption
            }
            tagHeld.set(first + i);
            if (!table.put(tags, i * PsiGroup.TAG_LENGTH, first + i)) {
              duplicateTags++;
            }
          } else {
            cardinalityTags++;
            if (!table.put(tags, i * PsiGroup.TAG_LENGTH, 0)) {
              duplicateTags++;
            }
          }
        }
      }

      /** Starts work while there is room; sends own chunks in order; asks for more; finishes. */
      private void pump() {
        synchronized (Session.this) {
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
          if (!resultSent && rules.senderSetSize() >= 0 && ownSent == own.size() && tagsReceived() == own.size()
              && senderDone.cardinality() == senderSetSize && working == 0) {
            finish();
          }
        }
      }

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
        synchronized (Session.this) {
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
        synchronized (Session.this) {
          working--;
          int first = Math.toIntExact(m.getFirst());
          System.arraycopy(tags, 0, senderTags, first * PsiGroup.TAG_LENGTH, tags.length);
          senderDone.set(first, first + count);
          masked += count;
        }
        report();
        pump();
      }

      private void report() {
        if (progress != null) {
          long d;
          long total;
          synchronized (Session.this) {
            d = masked;
            total = own.size() + Math.max(0, senderSetSize);
          }
          progress.update(Math.min(d, total), total);
        }
      }

      /** Holds the session: joins, reports the result size, and half-closes. */
      private void finish() {
        resultSent = true;
        List<String> found = new ArrayList<>();
        long count = 0;
        boolean[] hit = request.mode() == PsiMode.INTERSECTION ? new boolean[own.size()] : null;
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
        IntersectResult r = IntersectResult.newBuilder().setResultSize(count).build();
        rules.result(r);
        requests.onNext(IntersectRequest.newBuilder().setResult(r).build());
        requests.onCompleted();
        pendingResult = new Result(request.mode(), own.size(), senderSetSize, count, List.copyOf(found), 0);
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t instanceof StatusRuntimeException ? t : Status.fromThrowable(t).asRuntimeException());
      }

      @Override
      public void onCompleted() {
        synchronized (Session.this) {
          if (pendingResult == null) {
            done.completeExceptionally(Status.INTERNAL
                .withDescription("the session ended before this receiver had its result").asRuntimeException());
          } else {
            done.complete(pendingResult);
          }
        }
      }

      private void fail(StatusRuntimeException e) {
        synchronized (Session.this) {
          if (done.isDone()) {
            return;
          }
          failedHere = true;
          done.completeExceptionally(e);
        }
        requests.cancel(e.getStatus().getDescription(), null);
      }
    }
  }
}
