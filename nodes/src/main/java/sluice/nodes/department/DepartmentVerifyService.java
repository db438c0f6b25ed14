package sluice.nodes.department;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
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
import sluice.v1.RowScope;
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
  private final NodeId gateway;
  private final Map<String, ServedResource> resources;
  private final ReceiptSigner signer;
  private final Clock clock;
  private final QueryAnswerer queries;

  /** @param queries answers Query calls; null when the node holds no masking key (it serves none) */
  DepartmentVerifyService(
      NodeId self, Map<String, ServedResource> resources, ReceiptSigner signer, Clock clock, QueryAnswerer queries) {
    this.self = self;
    this.gateway = self.gateway().orElseThrow();
    this.resources = Map.copyOf(resources);
    this.signer = signer;
    this.clock = clock;
    this.queries = queries;
  }

  @Override
  public void verify(VerifyRequest request, StreamObserver<VerifyResponse> responses) {
    try {
      Caller caller = admit();
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
      Caller caller = admit();
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
  private static MaskObligation obligation(Caller caller, QueryRequest request) {
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

  private Caller admit() {
    NodeId peer = CallerIdentity.peer();
    if (!peer.equals(gateway)) {
      throw Status.PERMISSION_DENIED
          .withDescription(
              self + " answers only its provincial gateway " + gateway + "; caller is " + peer)
          .asRuntimeException();
    }
    String asserted =
        CallerIdentity.assertedConsumer()
            .orElseThrow(
                () ->
                    Status.PERMISSION_DENIED
                        .withDescription("gateway " + peer + " did not name the consumer")
                        .asRuntimeException());
    NodeId consumer;
    try {
      consumer = NodeId.parse(asserted);
    } catch (IllegalArgumentException e) {
      throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException();
    }
    return new Caller(consumer, CallerIdentity.forwardedRequestId().orElse(""), scope());
  }

  private ServedResource resource(String code) {
    ServedResource r = resources.get(code);
    if (r == null) {
      throw Status.NOT_FOUND
          .withDescription("resource " + code + " is not served by " + self)
          .asRuntimeException();
    }
    return r;
  }

  private record Caller(NodeId consumer, String requestId, Scope scope) {}

  /** The records the gateway says the consumer's grants reach (all, without a row scope header). */
  private static Scope scope() {
    byte[] sent = CallerIdentity.header(SluiceHeaders.ROW_SCOPE).orElse(null);
    if (sent == null) {
      return Scope.ALL;
    }
    try {
      return new Scope(RowScope.parseFrom(sent));
    } catch (InvalidProtocolBufferException e) {
      throw Status.INVALID_ARGUMENT.withDescription("row scope is malformed").asRuntimeException();
    }
  }

  /** One BatchVerify stream, answered item by item under flow control. */
  private final class Batch implements StreamObserver<BatchVerifyRequest> {
    private final ServerCallStreamObserver<BatchVerifyResponse> responses;
    private final AtomicBoolean waiting = new AtomicBoolean();
    private Caller caller;
    private BatchHeader header;
    private ServedResource resource;
    private boolean failed;

    Batch(ServerCallStreamObserver<BatchVerifyResponse> responses) {
      this.responses = responses;
      responses.disableAutoRequest();
      responses.setOnReadyHandler(
          () -> {
            if (waiting.compareAndSet(true, false)) {
              responses.request(1);
            }
          });
      responses.request(1);
    }

    @Override
    public void onNext(BatchVerifyRequest message) {
      if (failed) {
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
          header = message.getHeader();
        } else if (message.hasHeader()) {
          throw Status.INVALID_ARGUMENT
              .withDescription("a BatchVerify stream carries exactly one header, first")
              .asRuntimeException();
        } else {
          responses.onNext(answerItem(message.getItem()));
        }
      } catch (StatusRuntimeException e) {
        failed = true;
        responses.onError(e);
        return;
      }
      if (responses.isReady()) {
        responses.request(1);
      } else {
        waiting.set(true);
        if (responses.isReady() && waiting.compareAndSet(true, false)) {
          responses.request(1);
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
      failed = true;
    }

    @Override
    public void onCompleted() {
      if (failed) {
        return;
      }
      if (header == null) {
        responses.onError(
            Status.INVALID_ARGUMENT
                .withDescription("BatchVerify stream ended before its header")
                .asRuntimeException());
        return;
      }
      responses.onCompleted();
    }
  }
}
