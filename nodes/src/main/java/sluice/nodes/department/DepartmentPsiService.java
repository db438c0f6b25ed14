package sluice.nodes.department;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import sluice.crypto.NodeId;
import sluice.crypto.psi.InvalidPointException;
import sluice.crypto.psi.PsiGroup;
import sluice.gateway.psi.PsiSessionRules;
import sluice.gateway.psi.TagSpill;
import sluice.v1.IntersectAccepted;
import sluice.v1.IntersectRequest;
import sluice.v1.IntersectResponse;
import sluice.v1.MaskedElements;
import sluice.v1.PsiMode;
import sluice.v1.Tags;

/**
 * The PSI service as a department node serves it: the sender of an ECDH-PSI session. Its set is
 * the subject keys of the resource asked about that the consumer's grants reach; each session gets
 * a fresh key, and the node's own masked elements leave in a secret random order. The receiver's
 * masked elements are validated and masked again; their tags go back in the receiver's order
 * (INTERSECTION) or, once all are in, shuffled (CARDINALITY). No record or key leaves unmasked,
 * and the sender learns nothing of the result: the session ends when the receiver has sent all
 * its elements and half-closed, its result kept by the provider's gateway.
 *
 * <p>Private membership: see {@link MembershipOracle}; the table pages and each evaluation leave
 * as fixed-size values only.
 *
 * <p>Up to {@code parallel} chunks are masked at once on the work executor, and only while the
 * caller is taking messages, so what is in flight is bounded, not by how fast the peer reads.
 * Beyond the resource's records, which the node holds anyway, a session keeps a reference per
 * element of its set; in CARDINALITY mode the receiver's tags are spilled to disk and shuffled a
 * partition at a time ({@link TagSpill}), so memory stays bounded whatever the receiver's set size.
 */
final class DepartmentPsiService extends sluice.v1.PsiServiceGrpc.PsiServiceImplBase {
  /** Own elements per message. */
  static final int CHUNK = 1024;

  private final NodeId self;
  private final Map<String, ServedResource> resources;
  private final Executor work;
  private final int parallel;
  private final SecureRandom random;
  private final MembershipOracle oracle;
  private final Path spillDir;
  private final int partitionTags;

  /**
   * @param spillDir where CARDINALITY sessions spill the receiver's tags, each in a private directory of its own
   * @param partitionTags tags per spill partition: what a shuffle holds in memory at once
   */
  DepartmentPsiService(NodeId self, Map<String, ServedResource> resources, Executor work, int parallel, SecureRandom random,
      Path spillDir, int partitionTags) {
    if (parallel < 1) {
      throw new IllegalArgumentException("mask at least one chunk at a time, not " + parallel);
    }
    if (partitionTags < 1) {
      throw new IllegalArgumentException("a spill partition holds at least one tag, not " + partitionTags);
    }
    this.spillDir = spillDir;
    this.partitionTags = partitionTags;
    this.self = self;
    this.resources = Map.copyOf(resources);
    this.work = work;
    this.parallel = parallel;
    this.random = random;
    this.oracle = new MembershipOracle(random);
  }

  /** Tags per MembershipTable page. */
  static final int PAGE = 65_536;

  @Override
  public void membershipTable(sluice.v1.MembershipTableRequest request, StreamObserver<sluice.v1.MembershipTablePage> responses) {
    try {
      GatewayCaller caller = GatewayCaller.current(self);
      ServedResource resource = served(request.getResourceCode());
      sluice.crypto.psi.PsiSuite suite = membershipSuite(request.getSuite());
      byte[] table = oracle.table(resource, suite, caller.scope());
      long total = table.length / PsiGroup.TAG_LENGTH;
      if (request.getOffset() > total) {
        throw Status.OUT_OF_RANGE.withDescription("offset " + request.getOffset() + " is past the table's " + total + " tags")
            .asRuntimeException();
      }
      int from = (int) request.getOffset();
      int count = (int) Math.min(PAGE, total - from);
      responses.onNext(sluice.v1.MembershipTablePage.newBuilder()
          .setKeyEpoch(oracle.keyed(resource, suite).epoch()).setTotal(total).setOffset(from)
          .setTags(ByteString.copyFrom(table, from * PsiGroup.TAG_LENGTH, count * PsiGroup.TAG_LENGTH)).build());
      responses.onCompleted();
    } catch (StatusRuntimeException e) {
      responses.onError(e);
    }
  }

  @Override
  public void membership(sluice.v1.MembershipRequest request, StreamObserver<sluice.v1.MembershipResponse> responses) {
    try {
      GatewayCaller.current(self);
      ServedResource resource = served(request.getResourceCode());
      sluice.crypto.psi.PsiSuite suite = membershipSuite(request.getSuite());
      String epoch = oracle.keyed(resource, suite).epoch();
      if (!epoch.equals(request.getKeyEpoch())) {
        throw Status.FAILED_PRECONDITION.withDescription("the membership table of " + request.getResourceCode()
            + " was made with key epoch " + epoch + ", not " + request.getKeyEpoch() + ": download it again").asRuntimeException();
      }
      byte[] evaluated;
      try {
        evaluated = oracle.evaluate(resource, suite, request.getBlinded().toByteArray());
      } catch (InvalidPointException e) {
        throw Status.INVALID_ARGUMENT.withDescription("blinded: " + e.getMessage()).asRuntimeException();
      }
      responses.onNext(sluice.v1.MembershipResponse.newBuilder().setEvaluated(ByteString.copyFrom(evaluated))
          .setKeyEpoch(epoch).build());
      responses.onCompleted();
    } catch (StatusRuntimeException e) {
      responses.onError(e);
    }
  }

  private ServedResource served(String code) {
    return ServedResource.of(resources, code, self);
  }

  private static sluice.crypto.psi.PsiSuite membershipSuite(String name) {
    try {
      return sluice.crypto.psi.PsiSuite.forMembership(name);
    } catch (IllegalArgumentException e) {
      throw Status.INVALID_ARGUMENT.withDescription("suite: " + e.getMessage()).asRuntimeException();
    }
  }

  @Override
  public StreamObserver<IntersectRequest> intersect(StreamObserver<IntersectResponse> responses) {
    return new Session((ServerCallStreamObserver<IntersectResponse>) responses);
  }

  /** Dropped sessions that may be resumed, by id; kept ten minutes. */
  private final Map<String, PsiSenderState> resumable = new java.util.concurrent.ConcurrentHashMap<>();
  private static final long RESUMABLE_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(10);

  /** One connection of a session, as the sender. Flow state is guarded by this. */
  private final class Session implements StreamObserver<IntersectRequest> {
    private final ServerCallStreamObserver<IntersectResponse> responses;
    private PsiSessionRules rules;
    private PsiGroup group;
    private PsiSenderState state;
    /** The receiver's chunks waiting to be masked again. */
    private final ArrayDeque<MaskedElements> incoming = new ArrayDeque<>();
    /** Own chunks masked but not yet sent, by first position: they leave in order. */
    private final TreeMap<Integer, byte[]> ownReady = new TreeMap<>();
    private int ownNext;
    private int ownSent;
    private int working;
    /** CARDINALITY, once all tags are in: the partition being sent, shuffled, and where in it. */
    private int partition = -1;
    private byte[] shuffled;
    private int shuffledAt;
    private long cardinalitySent;
    private boolean asked;
    private boolean halfClosed;
    private boolean completed;
    private volatile boolean ended;

    Session(ServerCallStreamObserver<IntersectResponse> responses) {
      this.responses = responses;
      responses.disableAutoRequest();
      responses.setOnReadyHandler(this::pump);
      responses.setOnCancelHandler(this::dropped);
      asked = true;
      responses.request(1);
    }

    @Override
    public void onNext(IntersectRequest message) {
      try {
        synchronized (this) {
          if (ended) {
            return;
          }
          asked = false;
          if (rules == null) {
            begin(message);
          } else {
            switch (message.getKindCase()) {
              case ELEMENTS -> {
                rules.toSender(message.getElements());
                incoming.add(message.getElements());
              }
              case RESULT -> {
                // Its gateway keeps the result; one that passes it on is ignored here.
              }
              default -> throw new IllegalArgumentException("a session carries exactly one start, first");
            }
          }
        }
      } catch (IllegalArgumentException e) {
        fail(Status.INVALID_ARGUMENT.withDescription("Intersect: " + e.getMessage()).asRuntimeException());
        return;
      } catch (StatusRuntimeException e) {
        fail(e);
        return;
      }
      pump();
    }

    /** Checks the start; gathers and shuffles the set with a fresh key, or takes up a dropped session; accepts. */
    private void begin(IntersectRequest message) {
      GatewayCaller caller = GatewayCaller.current(self);
      if (!message.hasStart()) {
        throw new IllegalArgumentException("the first message must be the start");
      }
      sluice.v1.IntersectStart start = message.getStart();
      rules = PsiSessionRules.of(start);
      ServedResource resource = served(start.getResourceCode());
      group = rules.suite().group();
      long now = System.nanoTime();
      resumable.values().removeIf(s -> {
        if (now - s.touched > RESUMABLE_NANOS) {
          s.close();
          return true;
        }
        return false;
      });
      if (!start.getResumeSessionId().isEmpty()) {
        state = resumable.remove(start.getResumeSessionId());
        if (state == null || !state.matches(caller.consumer(), resource.descriptor().code(), rules.suite(), rules.mode(),
            rules.receiverSetSize())) {
          state = null;
          throw Status.FAILED_PRECONDITION.withDescription("session " + start.getResumeSessionId()
              + " cannot be resumed here (unknown, expired, or for another consumer, resource, suite, mode or set size);"
              + " start a new one").asRuntimeException();
        }
        if (start.getResumeSenderElementsHeld() > state.own.size()) {
          PsiSenderState s = state;
          state = null;
          s.close();
          throw new IllegalArgumentException("resume_sender_elements_held is more than the sender's elements");
        }
      } else {
        List<String> keys = new ArrayList<>((int) Math.min(resource.records().size(), Integer.MAX_VALUE - 8));
        resource.records().forEach((k, record) -> {
          if (caller.scope().reaches(resource, record)) {
            keys.add(k);
          }
        });
        Collections.shuffle(keys, random);
        byte[] id = new byte[16];
        random.nextBytes(id);
        TagSpill tags = rules.mode() == PsiMode.CARDINALITY
            ? TagSpill.create(spillDir, rules.receiverSetSize(), partitionTags) : null;
        state = new PsiSenderState(sluice.crypto.Hex.encode(id), caller.consumer(), resource.descriptor().code(),
            rules.suite(), rules.mode(), rules.receiverSetSize(), group.newKey(random), keys, tags);
      }
      long from;
      if (rules.mode() == PsiMode.INTERSECTION) {
        from = start.getResumeTagsHeld(); // tags leave as they are made: the receiver sends again what it lacks
      } else {
        synchronized (state) {
          from = state.tagged.nextClearBit(0);
        }
      }
      ownNext = (int) start.getResumeSenderElementsHeld();
      ownSent = ownNext;
      IntersectAccepted accepted = IntersectAccepted.newBuilder()
          .setSenderSetSize(state.own.size()).setTagLength(PsiGroup.TAG_LENGTH).setSessionId(state.id)
          .setReceiverElementsFrom(Math.min(from, rules.receiverSetSize())).setSenderElementsFrom(ownNext).build();
      rules.accepted(accepted);
      responses.onNext(IntersectResponse.newBuilder().setAccepted(accepted).build());
    }

    /** Starts work while there is room and the caller takes messages; asks for more; ends when all is done. */
    private void pump() {
      synchronized (this) {
        if (ended || rules == null) {
          return;
        }
        flushOwn();
        while (working < parallel && responses.isReady()) {
          if (!incoming.isEmpty()) {
            MaskedElements m = incoming.poll();
            working++;
            work.execute(() -> remask(m));
          } else if (ownNext < state.own.size()) {
            int from = ownNext;
            int to = Math.min(state.own.size(), from + CHUNK);
            ownNext = to;
            working++;
            work.execute(() -> maskOwn(from, to));
          } else if (rules.mode() == PsiMode.CARDINALITY && cardinalitySent < rules.receiverSetSize()
              && allTagged()) {
            sendCardinalityChunk();
          } else {
            break;
          }
        }
        if (!asked && !halfClosed && incoming.size() + working < 2 * parallel) {
          asked = true;
          responses.request(1);
        }
        if (halfClosed && working == 0 && incoming.isEmpty() && ownSent == state.own.size()
            && (rules.mode() == PsiMode.INTERSECTION ? rules.tagsDone() : cardinalitySent == rules.receiverSetSize())) {
          completed = true;
          end();
          responses.onCompleted();
        }
      }
    }

    private void maskOwn(int from, int to) {
      PsiSenderState s = state;
      int length = group.pointLength();
      byte[] points = new byte[(to - from) * length];
      try {
        for (int i = from; i < to; i++) {
          System.arraycopy(group.mask(s.key, s.own.get(i).getBytes(StandardCharsets.UTF_8)), 0, points, (i - from) * length,
              length);
        }
      } catch (RuntimeException e) {
        fail(Status.INTERNAL.withDescription(self + " could not mask its elements: " + e).asRuntimeException());
        return;
      }
      synchronized (this) {
        working--;
        ownReady.put(from, points);
      }
      pump();
    }

    /** Sends own chunks that are next in order. Holds this. */
    private void flushOwn() {
      while (!ownReady.isEmpty() && ownReady.firstKey() == ownSent) {
        byte[] points = ownReady.remove(ownSent);
        MaskedElements m = MaskedElements.newBuilder().setFirst(ownSent).setPoints(ByteString.copyFrom(points)).build();
        rules.fromSender(m);
        ownSent += points.length / group.pointLength();
        responses.onNext(IntersectResponse.newBuilder().setSenderElements(m).build());
      }
    }

    private void remask(MaskedElements m) {
      PsiSenderState s = state;
      int length = group.pointLength();
      int count = m.getPoints().size() / length;
      byte[] tags = new byte[count * PsiGroup.TAG_LENGTH];
      byte[] point = new byte[length];
      try {
        for (int i = 0; i < count; i++) {
          m.getPoints().copyTo(point, i * length, 0, length);
          byte[] tag = group.tag(group.remask(s.key, point));
          System.arraycopy(tag, 0, tags, i * tag.length, tag.length);
        }
      } catch (InvalidPointException e) {
        fail(Status.INVALID_ARGUMENT.withDescription("Intersect: a receiver element from position " + m.getFirst()
            + " is not acceptable: " + e.getMessage()).asRuntimeException());
        return;
      } catch (RuntimeException e) {
        fail(Status.INTERNAL.withDescription(self + " could not mask the receiver's elements: " + e).asRuntimeException());
        return;
      }
      int first = Math.toIntExact(m.getFirst());
      if (s.tags != null) {
        // CARDINALITY: the tags are spilled, and shuffled once all are in (sendCardinalityChunk).
        try {
          synchronized (s) {
            for (int i = 0; i < count; i++) {
              if (!s.tagged.get(first + i)) {
                s.tags.add(tags, i * PsiGroup.TAG_LENGTH, 0);
                s.tagged.set(first + i);
                s.taggedCount++;
              }
            }
          }
        } catch (RuntimeException e) {
          fail(Status.INTERNAL.withDescription(self + " could not spill the receiver's tags: " + e).asRuntimeException());
          return;
        }
      }
      synchronized (this) {
        working--;
        if (ended) {
          return;
        }
        if (s.tags == null) {
          sendTags(first, ByteString.copyFrom(tags));
        }
      }
      pump();
    }

    private boolean allTagged() {
      synchronized (state) {
        return state.taggedCount == rules.receiverSetSize();
      }
    }

    /** Holds this. */
    private void sendTags(long first, ByteString tags) {
      Tags t = Tags.newBuilder().setFirst(first).setTags(tags).build();
      rules.tags(t);
      responses.onNext(IntersectResponse.newBuilder().setTags(t).build());
    }

    /** Fisher-Yates over 16-byte spill records, with the node's SecureRandom. */
    private void shuffle(byte[] records) {
      int n = records.length / TagSpill.RECORD;
      byte[] tmp = new byte[TagSpill.RECORD];
      for (int i = n - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        System.arraycopy(records, i * TagSpill.RECORD, tmp, 0, TagSpill.RECORD);
        System.arraycopy(records, j * TagSpill.RECORD, records, i * TagSpill.RECORD, TagSpill.RECORD);
        System.arraycopy(tmp, 0, records, j * TagSpill.RECORD, TagSpill.RECORD);
      }
    }

    /**
     * Holds this. Sends the next tags of the shuffled order: partition by partition (tags are
     * pseudorandom, so which partition a tag is in says nothing of whose it is), each shuffled.
     */
    private void sendCardinalityChunk() {
      while (shuffled == null || shuffledAt == shuffled.length) {
        partition++;
        synchronized (state) {
          shuffled = state.tags.load(partition);
        }
        shuffle(shuffled);
        shuffledAt = 0;
      }
      int count = Math.min(PsiSessionRules.MAX_PER_MESSAGE, (shuffled.length - shuffledAt) / TagSpill.RECORD);
      byte[] tags = new byte[count * PsiGroup.TAG_LENGTH];
      for (int i = 0; i < count; i++) {
        System.arraycopy(shuffled, shuffledAt + i * TagSpill.RECORD, tags, i * PsiGroup.TAG_LENGTH, PsiGroup.TAG_LENGTH);
      }
      shuffledAt += count * TagSpill.RECORD;
      sendTags(cardinalitySent, ByteString.copyFrom(tags));
      cardinalitySent += count;
    }

    @Override
    public void onError(Throwable t) {
      dropped();
    }

    @Override
    public void onCompleted() {
      synchronized (this) {
        halfClosed = true;
        if (!ended && (rules == null || !rules.receiverElementsDone())) {
          end();
          responses.onError(Status.INVALID_ARGUMENT
              .withDescription("Intersect: the receiver ended the session before sending all its elements").asRuntimeException());
          return;
        }
      }
      pump();
    }

    /** The connection went away (cancelled, or failed on the way): the session may be resumed. */
    private void dropped() {
      synchronized (this) {
        if (ended) {
          return;
        }
        ended = true;
        incoming.clear();
        ownReady.clear();
        if (state != null) {
          state.touched = System.nanoTime();
          resumable.put(state.id, state);
        }
      }
    }

    private void fail(StatusRuntimeException e) {
      synchronized (this) {
        if (ended) {
          return;
        }
        end();
        responses.onError(e);
      }
    }

    /** Holds this. Nothing more is sent; the session is over and its key destroyed. */
    private void end() {
      ended = true;
      incoming.clear();
      ownReady.clear();
      shuffled = null;
      if (state != null) {
        state.close();
      }
    }
  }
}
