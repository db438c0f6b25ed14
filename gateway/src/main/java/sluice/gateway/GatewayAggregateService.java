package sluice.gateway;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import sluice.crypto.NodeId;
import sluice.gateway.audit.AuditTrail;
import sluice.gateway.audit.AuditedCall;
import sluice.gateway.identity.CallerIdentity;
import sluice.v1.AggregateFacts;
import sluice.v1.AggregateRequest;
import sluice.v1.AggregateResponse;
import sluice.v1.AggregateServiceGrpc;
import sluice.v1.Comparison;
import sluice.v1.ContributeRequest;
import sluice.v1.ContributeResponse;
import sluice.v1.JoinRequest;
import sluice.v1.JoinResponse;
import sluice.v1.Operator;
import sluice.v1.Predicate;
import sluice.v1.PredicateList;

/**
 * Secure aggregation as a gateway serves it. A provincial gateway forwards its departments'
 * Aggregate calls to the hub (audited), and relays the hub's Join and Contribute calls to its
 * departments, checking the consumer's grant on Join as for a Verify with the predicate's fields
 * and the summed field (audited, each). The hub runs the protocol ({@link AggregateCoordinator})
 * and releases only the total, suppressed when fewer than {@link #SUPPRESSION_THRESHOLD} records
 * count.
 */
final class GatewayAggregateService extends AggregateServiceGrpc.AggregateServiceImplBase {
  /** Totals counting fewer records than this are withheld. */
  static final int SUPPRESSION_THRESHOLD = 10;
  static final int MAX_RESOURCES = 64;

  private final CallRouting routing;
  private final NodeChannels channels;
  private final AuditTrail trail;
  private final Duration deadline;
  private final NodeId self;
  private final AggregateCoordinator coordinator;

  GatewayAggregateService(CallRouting routing, NodeChannels channels, AuditTrail trail, Duration deadline) {
    this.routing = routing;
    this.channels = channels;
    this.trail = trail;
    this.deadline = deadline.isZero() ? Duration.ofSeconds(30) : deadline;
    this.self = routing.self();
    this.coordinator = new AggregateCoordinator(this.deadline);
  }

  @Override
  public void aggregate(AggregateRequest request, StreamObserver<AggregateResponse> responses) {
    ((ServerCallStreamObserver<AggregateResponse>) responses).setOnCancelHandler(() -> {});
    AuditedCall call = trail.begin("Aggregate", request.getContext(), "", "");
    AggregateFacts.Builder facts = AggregateFacts.newBuilder().addAllResourceCodes(request.getResourceCodesList());
    call.aggregate(facts.build());
    try {
      RequestChecks.context(request.getContext(), "context");
      List<String> codes = request.getResourceCodesList();
      if (codes.size() < AggregateCoordinator.MIN_PARTICIPANTS || codes.size() > MAX_RESOURCES) {
        throw Refusals.invalid("resource_codes names " + codes.size() + " resources; name one per province, "
            + AggregateCoordinator.MIN_PARTICIPANTS + " to " + MAX_RESOURCES);
      }
      if (new HashSet<>(codes).size() != codes.size()) {
        throw Refusals.invalid("resource_codes names a resource twice");
      }
      if (!request.hasPredicate()) {
        throw Refusals.invalid("predicate is missing: say which records count");
      }
      if (request.getSumField().length() > RequestChecks.MAX_TEXT) {
        throw Refusals.invalid("sum_field is too long");
      }
      NodeId peer = CallerIdentity.peer();
      NodeId consumer = routing.consumer();
      if (self.isHub()) {
        coordinate(request, call, consumer, peer, facts, responses);
      } else {
        forwardToHub(request, call, consumer, peer, responses);
      }
    } catch (StatusRuntimeException e) {
      AuditedRelay.refuse(call, e, responses);
    }
  }

  /** A provincial gateway hands its department's Aggregate to the hub. */
  private void forwardToHub(AggregateRequest request, AuditedCall call, NodeId consumer, NodeId peer,
      StreamObserver<AggregateResponse> responses) {
    if (!peer.isDepartment()) {
      throw Refusals.denied(self + " forwards Aggregate calls of its own departments only; " + peer + " is not one");
    }
    String requestId = CallRouting.requestIdFor(request.getContext());
    call.route(consumer, consumer, peer, NodeId.NATIONAL, requestId);
    call.aggregate(AggregateFacts.newBuilder().addAllResourceCodes(request.getResourceCodesList()).build());
    Metadata headers = new Metadata();
    headers.put(SluiceHeaders.CONSUMER, consumer.toString());
    headers.put(SluiceHeaders.REQUEST_ID, requestId);
    AggregateServiceGrpc.newStub(channels.to(NodeId.NATIONAL))
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(4 * deadline.toMillis(), TimeUnit.MILLISECONDS)
        .aggregate(request, new AuditedRelay<>(responses, NodeId.NATIONAL, call, UnaryOperator.identity()));
  }

  /** The hub admits a route to every provider, runs the protocol, and releases only the total. */
  private void coordinate(AggregateRequest request, AuditedCall call, NodeId consumer, NodeId peer,
      AggregateFacts.Builder facts, StreamObserver<AggregateResponse> responses) {
    List<AggregateCoordinator.Participant> participants = new ArrayList<>();
    Set<Integer> provinces = new HashSet<>();
    String requestId = CallerIdentity.forwardedRequestId().orElseGet(() -> CallRouting.requestIdFor(request.getContext()));
    for (String code : request.getResourceCodesList()) {
      // Each route is admitted (and its refusal raised) here, in the caller's context.
      Hop hop = routing.admit(code, request.getContext(), trail.begin("Aggregate", request.getContext(), code, ""));
      sluice.catalog.ResourceDescriptor resource = routing.catalog().find(code).orElseThrow();
      NodeId provider = resource.provider();
      if (!request.getSumField().isEmpty()) {
        var field = resource.field(request.getSumField()).orElseThrow(() -> Refusals.invalid(
            "sum_field: resource " + code + " has no field " + request.getSumField()));
        if (field.type() != sluice.catalog.FieldType.INTEGER) {
          throw Refusals.invalid("sum_field: " + field.name() + " of " + code + " is " + field.type()
              + "; only INTEGER fields are summed");
        }
      }
      provinces.add(provider.provinceOf().orElseThrow().code());
      participants.add(new AggregateCoordinator.Participant(code, provider, hop));
    }
    if (provinces.size() < AggregateCoordinator.MIN_PARTICIPANTS) {
      throw Refusals.invalid("the resources are in " + provinces.size() + " provinces; name resources in at least "
          + AggregateCoordinator.MIN_PARTICIPANTS + " so that no province's figure shows");
    }
    call.route(consumer, consumer, peer, NodeId.NATIONAL, requestId);
    call.aggregate(facts.build());
    String id = requestId;
    coordinator.run(request, participants).whenComplete((outcome, error) -> {
      if (error != null) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause() : error;
        call.aggregate(facts.build());
        AuditedRelay.refuse(call, cause instanceof StatusRuntimeException s ? s
            : Status.INTERNAL.withDescription("aggregation failed: " + cause).asRuntimeException(), responses);
        return;
      }
      boolean suppressed = Long.compareUnsigned(outcome.count(), SUPPRESSION_THRESHOLD) < 0;
      AggregateResponse.Builder answer = AggregateResponse.newBuilder()
          .setSuppressed(suppressed)
          .addAllDropped(outcome.dropped())
          .setAttempts(outcome.attempts())
          .setRequestId(id)
          .setSuppressionThreshold(SUPPRESSION_THRESHOLD);
      outcome.participants().forEach(p -> answer.addParticipants(p.provider().toString()));
      if (!suppressed) {
        answer.setCount(outcome.count());
        if (!request.getSumField().isEmpty()) {
          answer.setSum(outcome.sum());
        }
      }
      AggregateResponse released = answer.build();
      call.aggregate(facts.addAllParticipants(released.getParticipantsList()).addAllDropped(outcome.dropped())
          .setAttempts(outcome.attempts()).setSuppressed(suppressed).build());
      call.released(call.answered(released), () -> {
        responses.onNext(released);
        responses.onCompleted();
      }, responses::onError);
    });
  }

  @Override
  public void join(JoinRequest request, StreamObserver<JoinResponse> responses) {
    AuditedCall call = trail.begin("AggregateJoin", request.getContext(), request.getResourceCode(), "");
    Hop hop;
    try {
      hop = fromHub(request.getResourceCode(), request.getContext(), call);
      Predicate checked = request.getSumField().isEmpty() ? request.getPredicate()
          : Predicate.newBuilder().setAll(PredicateList.newBuilder().addOperands(request.getPredicate())
              .addOperands(Predicate.newBuilder().setComparison(
                  Comparison.newBuilder().setField(request.getSumField()).setOp(Operator.EXISTS)))).build();
      hop.check(checked, call);
    } catch (StatusRuntimeException e) {
      AuditedRelay.refuse(call, e, responses);
      return;
    }
    hop.aggregateStub().withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .join(request, new AuditedRelay<>(responses, hop.next(), call, UnaryOperator.identity()));
  }

  @Override
  public void contribute(ContributeRequest request, StreamObserver<ContributeResponse> responses) {
    AuditedCall call = trail.begin("AggregateContribute", request.getContext(), request.getResourceCode(), "");
    Hop hop;
    try {
      hop = fromHub(request.getResourceCode(), request.getContext(), call);
    } catch (StatusRuntimeException e) {
      AuditedRelay.refuse(call, e, responses);
      return;
    }
    hop.aggregateStub().withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
        .contribute(request, new AuditedRelay<>(responses, hop.next(), call, UnaryOperator.identity()));
  }

  /** Join and Contribute come only from the hub, to a provider's gateway, for one of its departments. */
  private Hop fromHub(String resourceCode, sluice.v1.RequestContext context, AuditedCall call) {
    if (self.isHub()) {
      throw Refusals.denied("the hub coordinates aggregations; it takes Join and Contribute from no one");
    }
    RequestChecks.context(context, "context");
    NodeId peer = CallerIdentity.peer();
    if (!peer.isHub()) {
      call.caller(peer.toString());
      throw Refusals.denied("only the national hub runs aggregations; " + peer + " may not call Join or Contribute");
    }
    Hop hop = routing.admit(resourceCode, context, call, true);
    if (!hop.next().isDepartment()) {
      throw Refusals.denied(resourceCode + " is not a resource of " + self + "'s departments");
    }
    return hop;
  }
}
