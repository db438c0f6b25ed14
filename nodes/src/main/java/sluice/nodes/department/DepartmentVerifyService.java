package sluice.nodes.department;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import sluice.catalog.predicate.InvalidPredicateException;
import sluice.crypto.NodeId;
import sluice.gateway.SluiceHeaders;
import sluice.gateway.identity.CallerIdentity;
import sluice.gateway.receipt.ReceiptSigner;
import sluice.gateway.receipt.RequestDigest;
import sluice.v1.Answer;
import sluice.v1.BatchHeader;
import sluice.v1.BatchItem;
import sluice.v1.BatchVerifyRequest;
import sluice.v1.BatchVerifyResponse;
import sluice.v1.FieldObligation;
import sluice.v1.ItemError;
import sluice.v1.MaskObligation;
import sluice.v1.Predicate;
import sluice.v1.QueryRequest;
import sluice.v1.QueryResponse;
import sluice.v1.VerifyRequest;
import sluice.v1.VerifyResponse;
import sluice.v1.VerifyServiceGrpc;

/**
 * The Verify service as a department node serves it: only its own provincial gateway may call;
 * the predicate is evaluated locally over the department's records; the answer leaves with a
 * receipt signed by the department, and no field value of the record leaves at all. A Query
 * returns the fields the gateway's masking obligation names, each masked as ordered before it
 * leaves, with their digests in the receipt.
 */
final class DepartmentVerifyService extends VerifyServiceGrpc.VerifyServiceImplBase {
  private final NodeId self;
  private final Map<String, ServedResource> resources;
  private final ReceiptSigner signer;
  private final Clock clock;
  private final QueryAnswerer queries;
  private final Executor items;
  private final int parallel;

  /**
   * @param queries answers Query calls; null when the node holds no masking key (it serves none)
   * @param items where a BatchVerify stream's items are answered
   * @param parallel how many items of one stream are answered at once (their answers may leave
   *     out of order; each names its item's seq)
   */
  DepartmentVerifyService(
      NodeId self, Map<String, ServedResource> resources, ReceiptSigner signer, Clock clock, QueryAnswerer queries,
      Executor items, int parallel) {
    if (parallel < 1) {
      throw new IllegalArgumentException("answer at least one item at a time, not " + parallel);
    }
    this.items = items;
    this.parallel = parallel;
    this.self = self;
    this.resources = Map.copyOf(resources);
    this.signer = signer;
    this.clock = clock;
    this.queries = queries;
  }

  @Override
  public void verify(VerifyRequest request, StreamObserver<VerifyResponse> responses) {
    try {
      GatewayCaller caller = admit();
      ServedResource resource = resource(request.getResourceCode());
      Answer answer = answer(resource, request.getSubjectKey(), request.getPredicate(), "", caller.scope());
      responses.onNext(
          VerifyResponse.newBuilder()
              .setAnswer(answer)
              .setReceipt(
                  signer.sign(
                      RequestDigest.of(request),
                      answer,
                      clock.instant(),
                      resource.descriptor().code(),
                      caller.consumer(),
                      caller.requestId()))
              .setRequestId(caller.requestId())
              .build());
      responses.onCompleted();
    } catch (StatusRuntimeException e) {
      responses.onError(e);
    }
  }

  @Override
  public void query(QueryRequest request, StreamObserver<QueryResponse> responses) {
    try {
      GatewayCaller caller = admit();
      ServedResource resource = resource(request.getResourceCode());
      if (request.getSubjectKey().isEmpty()) {
        throw Status.INVALID_ARGUMENT.withDescription("subject_key is empty").asRuntimeException();
      }
      if (queries == null) {
        throw Status.FAILED_PRECONDITION
            .withDescription(self + " holds no masking key, so it answers no Query (its credentials folder needs a mask-master.key; sluice setup lays one out)")
            .asRuntimeException();
      }
      MaskObligation obligation = obligation(caller, request);
      QueryAnswerer.Answered answered = queries.answer(resource, request.getSubjectKey(), obligation, caller.consumer(), caller.scope());
      responses.onNext(
          QueryResponse.newBuilder()
              .setAnswer(answered.answer())
              .addAllFields(answered.fields())
              .setReceipt(
                  signer.sign(
                      RequestDigest.of(request),
                      answered.answer(),
                      clock.instant(),
                      resource.descriptor().code(),
                      caller.consumer(),
                      caller.requestId(),
                      answered.fields().stream().map(RequestDigest::of).toList()))
              .setRequestId(caller.requestId())
              .build());
      responses.onCompleted();
    } catch (StatusRuntimeException e) {
      responses.onError(e);
    }
  }

  /** The gateway's masking order for this Query; it must name the caller and exactly the fields asked. */
  private static MaskObligation obligation(GatewayCaller caller, QueryRequest request) {
    byte[] sent =
        CallerIdentity.header(SluiceHeaders.MASK_OBLIGATION)
            .orElseThrow(
                () ->
                    Status.FAILED_PRECONDITION
                        .withDescription("a Query is answered only with the provincial gateway's masking obligation")
                        .asRuntimeException());
    MaskObligation obligation;
    try {
      obligation = MaskObligation.parseFrom(sent);
    } catch (InvalidProtocolBufferException e) {
      throw Status.INVALID_ARGUMENT.withDescription("masking obligation is malformed").asRuntimeException();
    }
    if (!obligation.getConsumerNodeId().equals(caller.consumer().toString())) {
      throw Status.PERMISSION_DENIED
          .withDescription("masking obligation is for " + obligation.getConsumerNodeId() + ", not " + caller.consumer())
          .asRuntimeException();
    }
    for (FieldObligation f : obligation.getFieldsList()) {
      try {
        sluice.catalog.entry.Mask.valueOf(f.getMask());
        sluice.catalog.entry.SemanticType.valueOf(f.getSemanticType());
      } catch (IllegalArgumentException e) {
        throw Status.INVALID_ARGUMENT
            .withDescription("masking obligation for field " + f.getName() + " names an unknown mask or type")
            .asRuntimeException();
      }
    }
    List<String> ordered = obligation.getFieldsList().stream().map(FieldObligation::getName).toList();
    if (!ordered.equals(request.getFieldsList())) {
      throw Status.FAILED_PRECONDITION
          .withDescription("masking obligation covers " + ordered + ", but " + request.getFieldsList() + " were asked")
          .asRuntimeException();
    }
    return obligation;
  }

  @Override
  public StreamObserver<BatchVerifyRequest> batchVerify(
      StreamObserver<BatchVerifyResponse> responses) {
    return new Batch((ServerCallStreamObserver<BatchVerifyResponse>) responses);
  }

  private Answer answer(
      ServedResource resource, String subjectKey, Predicate predicate, String path, Scope scope) {
    if (subjectKey.isEmpty()) {
      throw Status.INVALID_ARGUMENT
          .withDescription(path + "subject_key is empty")
          .asRuntimeException();
    }
    if (predicate.getNodeCase() == Predicate.NodeCase.NODE_NOT_SET) {
      throw Status.INVALID_ARGUMENT
          .withDescription(path + "predicate is missing: say what to verify about the subject")
          .asRuntimeException();
    }
    try {
      return resource.answer(subjectKey, predicate, record -> scope.reaches(resource, record));
    } catch (InvalidPredicateException e) {
      throw Status.INVALID_ARGUMENT.withDescription(path + e.getMessage()).asRuntimeException();
    }
  }

  private GatewayCaller admit() {
    return GatewayCaller.current(self);
  }

  private ServedResource resource(String code) {
    return ServedResource.of(resources, code, self);
  }

  /**
   * One BatchVerify stream. Up to {@code parallel} items are answered at once on the items
   * executor (the receipt's SM2 signature is most of an item's cost), each answer sent as it is
   * ready; the next item is asked for only while fewer than that are in hand and the caller is
   * taking answers, so a stream of any length runs in bounded memory.
   */
  private final class Batch implements StreamObserver<BatchVerifyRequest> {
    private final ServerCallStreamObserver<BatchVerifyResponse> responses;
    private GatewayCaller caller;
    private BatchHeader header;
    private ServedResource resource;
    /** Flow state, guarded by this: items asked for and not yet arrived, items being answered. */
    private int asked;
    private int answering;
    private boolean halfClosed;
    /** Set once the stream has ended, by completion or failure: nothing more is sent. */
    private volatile boolean ended;

    Batch(ServerCallStreamObserver<BatchVerifyResponse> responses) {
      this.responses = responses;
      responses.disableAutoRequest();
      responses.setOnReadyHandler(this::askForMore);
      synchronized (this) {
        asked = 1;
      }
      responses.request(1);
    }

    /** Asks the caller for items while there is room for them and the caller takes answers. */
    private void askForMore() {
      int more = 0;
      synchronized (this) {
        while (!ended && !halfClosed && header != null && asked + answering < parallel && responses.isReady()) {
          asked++;
          more++;
        }
      }
      if (more > 0) {
        responses.request(more);
      }
    }

    @Override
    public void onNext(BatchVerifyRequest message) {
      synchronized (this) {
        asked--;
      }
      if (ended) {
        return;
      }
      try {
        if (header == null) {
          if (!message.hasHeader()) {
            throw Status.INVALID_ARGUMENT
                .withDescription("the first BatchVerify message must be the header")
                .asRuntimeException();
          }
          caller = admit();
          resource = resource(message.getHeader().getResourceCode());
          synchronized (this) {
            header = message.getHeader();
          }
        } else if (message.hasHeader()) {
          throw Status.INVALID_ARGUMENT
              .withDescription("a BatchVerify stream carries exactly one header, first")
              .asRuntimeException();
        } else {
          BatchItem item = message.getItem();
          synchronized (this) {
            answering++;
          }
          try {
            items.execute(() -> answered(item));
          } catch (RuntimeException e) {
            synchronized (this) {
              answering--;
            }
            throw Status.UNAVAILABLE.withDescription(self + " is shutting down").asRuntimeException();
          }
        }
      } catch (StatusRuntimeException e) {
        fail(e);
        return;
      }
      askForMore();
    }

    /** Answers one item and sends the answer; the last answer after the caller's end completes the stream. */
    private void answered(BatchItem item) {
      try {
        BatchVerifyResponse answer = answerItem(item);
        synchronized (responses) {
          if (!ended) {
            responses.onNext(answer);
          }
        }
      } catch (RuntimeException e) {
        fail(Status.INTERNAL.withDescription(self + " could not answer item seq " + item.getSeq() + ": " + e)
            .asRuntimeException());
      }
      boolean last;
      synchronized (this) {
        answering--;
        last = halfClosed && answering == 0;
      }
      if (last) {
        complete();
      } else {
        askForMore();
      }
    }

    private void fail(StatusRuntimeException e) {
      synchronized (responses) {
        if (!ended) {
          ended = true;
          responses.onError(e);
        }
      }
    }

    private void complete() {
      synchronized (responses) {
        if (!ended) {
          ended = true;
          responses.onCompleted();
        }
      }
    }

    private BatchVerifyResponse answerItem(BatchItem item) {
      BatchVerifyResponse.Builder out = BatchVerifyResponse.newBuilder().setSeq(item.getSeq());
      Answer answer;
      try {
        answer = answer(resource, item.getSubjectKey(), item.getPredicate(), "item " + item.getSeq() + ": ", caller.scope());
      } catch (StatusRuntimeException e) {
        return out.setError(
                ItemError.newBuilder()
                    .setCode(e.getStatus().getCode().value())
                    .setMessage(String.valueOf(e.getStatus().getDescription())))
            .build();
      }
      return out.setAnswer(answer)
          .setReceipt(
              signer.sign(
                  RequestDigest.of(header, item),
                  answer,
                  clock.instant(),
                  resource.descriptor().code(),
                  caller.consumer(),
                  caller.requestId()))
          .build();
    }

    @Override
    public void onError(Throwable t) {
      ended = true;
    }

    @Override
    public void onCompleted() {
      if (ended) {
        return;
      }
      boolean last;
      synchronized (this) {
        if (header == null) {
          last = false;
        } else {
          halfClosed = true;
          last = answering == 0;
        }
      }
      if (header == null) {
        fail(Status.INVALID_ARGUMENT
            .withDescription("BatchVerify stream ended before its header")
            .asRuntimeException());
      } else if (last) {
        complete();
      }
    }
  }
}
