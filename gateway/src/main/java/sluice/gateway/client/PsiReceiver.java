package sluice.gateway.client;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
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
import sluice.gateway.psi.TagSpill;
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
 * read and sent only while the gateway takes them, and the sender's are asked for only while there
 * is room to mask them. The tags of both sets are spilled to disk ({@link TagSpill}) as they come
 * and joined a partition at a time at the end, so a session holds in memory a few chunks, one
 * partition and a few bits per element, whatever the sets' sizes (with a {@link PsiInput#spilled}
 * input; one held in memory is the caller's).
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
   * What the receiver learned: the intersection's {@code size} and, for INTERSECTION, the
   * {@code positions} in {@code input} of its elements the sender holds (readable through
   * {@link #found} while the input is open); {@code resumes}, how many times the session was
   * resumed after a dropped connection.
   */
  public record Result(PsiMode mode, long receiverSetSize, long senderSetSize, long size, BitSet positions,
      PsiInput input, int resumes) {
    /**
     * INTERSECTION: the receiver's elements the sender holds, in input order, read from the
     * session's input as iterated (an input that cannot be read throws UncheckedIOException);
     * CARDINALITY: none.
     */
    public Iterable<String> found() {
      return () -> new java.util.Iterator<>() {
        private PsiInput.Cursor cursor;
        private int at;
        private int next = positions.nextSetBit(0);

        @Override
        public boolean hasNext() {
          if (next < 0 && cursor != null) {
            try {
              cursor.close();
            } catch (IOException e) {
              // only read from
            }
            cursor = null;
          }
          return next >= 0;
        }

        @Override
        public String next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          try {
            if (cursor == null) {
              cursor = input.from(0);
            }
            while (at < next) {
              cursor.next();
              at++;
            }
            String e = cursor.next();
            at++;
            next = positions.nextSetBit(at);
            return e;
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read the receiver's elements: " + e.getMessage(), e);
          }
        }
      };
    }

    /** What {@link #found} gives, as a list. */
    public List<String> intersection() {
      List<String> all = new ArrayList<>(positions.cardinality());
      found().forEach(all::add);
      return List.copyOf(all);
    }

    Result resumed(int times) {
      return new Result(mode, receiverSetSize, senderSetSize, size, positions, input, times);
    }
  }

  private final PsiServiceGrpc.PsiServiceStub stub;
  private final Executor work;
  private final int parallel;
  private final SecureRandom random;
  private final Path spillDir;
  private final int partitionTags;

  /** A receiver that spills tags under the system's temporary directory. */
  public PsiReceiver(PsiServiceGrpc.PsiServiceStub stub, Executor work, int parallel, SecureRandom random) {
    this(stub, work, parallel, random, Path.of(System.getProperty("java.io.tmpdir")), TagSpill.PARTITION_TAGS);
  }

  /**
   * @param spillDir where the session's tags are spilled, in a private directory of its own
   * @param partitionTags tags per spill partition: what the join holds in memory at once
   */
  public PsiReceiver(PsiServiceGrpc.PsiServiceStub stub, Executor work, int parallel, SecureRandom random, Path spillDir,
      int partitionTags) {
    if (parallel < 1) {
      throw new IllegalArgumentException("mask at least one chunk at a time, not " + parallel);
    }
    if (partitionTags < 1) {
      throw new IllegalArgumentException("a spill partition holds at least one tag, not " + partitionTags);
    }
    this.stub = stub;
    this.work = work;
    this.parallel = parallel;
    this.random = random;
    this.spillDir = spillDir;
    this.partitionTags = partitionTags;
  }

  /** Runs one session over the distinct elements of {@code elements}, held in memory; see {@link #run(Request, PsiInput, Progress)}. */
  public Result run(Request request, Collection<String> elements, Progress progress) throws InterruptedException {
    return run(request, PsiInput.of(elements), progress);
  }

  /**
   * Runs one session over the elements of {@code input}; an empty set intersects to nothing
   * without a call. The result reads its elements from {@code input}, which the caller closes.
   *
   * @throws StatusRuntimeException as the federation ended the session
   */
  public Result run(Request request, PsiInput input, Progress progress) throws InterruptedException {
    if (input.size() == 0) {
      return new Result(request.mode(), 0, 0, 0, new BitSet(), input, 0);
    }
    Session session = new Session(request, input, progress);
    try {
      for (int resumes = 0; ; resumes++) {
        Session.Attempt attempt = session.new Attempt();
        stub.intersect(attempt);
        attempt.begin();
        try {
          return attempt.done.get().resumed(resumes);
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
      session.close();
    }
  }

  /** What the receiver keeps across the connections of one session. Guarded by this. */
  private final class Session {
    final Request request;
    final PsiInput input;
    final int size;
    final Progress progress;
    final PsiGroup group;
    final PsiKey key;
    /** Reads own elements; at {@link #cursorAt}. */
    PsiInput.Cursor cursor;
    int cursorAt;
    /** The tags of own elements (with their positions) and of the sender's, once it accepted. */
    TagSpill mine;
    TagSpill theirs;
    /** INTERSECTION: the positions whose tags are held, and how many. */
    final BitSet tagHeld = new BitSet();
    long tagsHeld;
    /** CARDINALITY: tags received (they come all at the end, shuffled). */
    long cardinalityTags;
    String id;
    long senderSetSize = -1;
    final BitSet senderDone = new BitSet();
    long senderTagsHeld;
    long masked;
    boolean closed;

    Session(Request request, PsiInput input, Progress progress) {
      this.request = request;
      this.input = input;
      this.size = input.size();
      this.progress = progress;
      this.group = request.suite().group();
      this.key = group.newKey(random);
    }

    synchronized void close() {
      closed = true;
      key.destroy();
      if (mine != null) {
        mine.close();
        theirs.close();
      }
      if (cursor != null) {
        try {
          cursor.close();
        } catch (IOException e) {
          // only read from
        }
      }
    }

    /** Own elements [from, to), read in order. Holds this. */
    List<String> read(int from, int to) throws IOException {
      if (cursor == null || cursorAt != from) {
        if (cursor != null) {
          cursor.close();
        }
        cursor = input.from(from);
        cursorAt = from;
      }
      List<String> chunk = new ArrayList<>(to - from);
      for (int i = from; i < to; i++) {
        chunk.add(cursor.next());
      }
      cursorAt = to;
      return chunk;
    }

    long tagsReceived() {
      return request.mode() == PsiMode.INTERSECTION ? tagsHeld : cardinalityTags;
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
              .setReceiverSetSize(size);
          if (id != null) {
            if (request.mode() == PsiMode.CARDINALITY) {
              // Shuffled tags arrive all at the end: a resumed session sends them all again.
              mine.clear();
              cardinalityTags = 0;
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
          long expected = Math.max(size, senderSetSize);
          mine = TagSpill.create(spillDir, expected, partitionTags);
          theirs = TagSpill.create(spillDir, expected, partitionTags);
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
            tagsHeld++;
            mine.add(tags, i * PsiGroup.TAG_LENGTH, first + i);
          } else {
            cardinalityTags++;
            mine.add(tags, i * PsiGroup.TAG_LENGTH, 0);
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
            } else if (ownNext < size && ownReady.size() < 2 * parallel) {
              int from = ownNext;
              int to = Math.min(size, from + CHUNK);
              List<String> chunk;
              try {
                chunk = read(from, to);
              } catch (IOException | RuntimeException e) {
                failLater(Status.INTERNAL.withDescription("reading this party's elements failed: " + e).asRuntimeException());
                return;
              }
              ownNext = to;
              working++;
              work.execute(() -> maskOwn(from, chunk));
            } else {
              break;
            }
          }
          if (!asked && incoming.size() + working < 2 * parallel) {
            asked = true;
            requests.request(1);
          }
          if (!resultSent && rules.senderSetSize() >= 0 && ownSent == size && tagsReceived() == size
              && senderTagsHeld == senderSetSize && working == 0) {
            try {
              finish();
            } catch (RuntimeException e) {
              failLater(Status.INTERNAL.withDescription("joining the tags failed: " + e).asRuntimeException());
            }
          }
        }
      }

      private void maskOwn(int from, List<String> chunk) {
        byte[] points = new byte[chunk.size() * group.pointLength()];
        try {
          for (int i = 0; i < chunk.size(); i++) {
            byte[] p = group.mask(key, chunk.get(i).getBytes(StandardCharsets.UTF_8));
            System.arraycopy(p, 0, points, i * p.length, p.length);
          }
        } catch (RuntimeException e) {
          fail(Status.INTERNAL.withDescription("masking this party's elements failed: " + e).asRuntimeException());
          return;
        }
        synchronized (Session.this) {
          working--;
          ownReady.put(from, points);
          masked += chunk.size();
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
          if (closed) {
            return;
          }
          int first = Math.toIntExact(m.getFirst());
          try {
            for (int i = 0; i < count; i++) {
              if (!senderDone.get(first + i)) {
                theirs.add(tags, i * PsiGroup.TAG_LENGTH, first + i);
                senderDone.set(first + i);
                senderTagsHeld++;
              }
            }
          } catch (RuntimeException e) {
            failLater(Status.INTERNAL.withDescription("spilling the sender's tags failed: " + e).asRuntimeException());
            return;
          }
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
            total = size + Math.max(0, senderSetSize);
          }
          progress.update(Math.min(d, total), total);
        }
      }

      /**
       * Holds the session: joins own tags with the sender's a partition at a time, reports the
       * result size, and half-closes.
       */
      private void finish() {
        resultSent = true;
        BitSet found = new BitSet();
        long count = 0;
        for (int p = 0; p < mine.partitions(); p++) {
          byte[] records = mine.load(p);
          TagTable table = new TagTable(records.length / TagSpill.RECORD);
          for (int off = 0; off < records.length; off += TagSpill.RECORD) {
            table.put(records, off, TagSpill.value(records, off)); // a repeat is a 96-bit collision: the first stands
          }
          records = theirs.load(p);
          for (int off = 0; off < records.length; off += TagSpill.RECORD) {
            int at = table.get(records, off);
            if (at >= 0) {
              count++;
              if (request.mode() == PsiMode.INTERSECTION) {
                found.set(at);
              }
            }
          }
        }
        IntersectResult r = IntersectResult.newBuilder().setResultSize(count).build();
        rules.result(r);
        requests.onNext(IntersectRequest.newBuilder().setResult(r).build());
        requests.onCompleted();
        pendingResult = new Result(request.mode(), size, senderSetSize, count, found, input, 0);
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

      /** Fails the attempt from a thread that holds the session; the call is cancelled off it. */
      private void failLater(StatusRuntimeException e) {
        work.execute(() -> fail(e));
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
