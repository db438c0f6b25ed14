package sluice.nodes.department;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import sluice.catalog.FieldType;
import sluice.catalog.predicate.CompiledPredicate;
import sluice.catalog.predicate.InvalidPredicateException;
import sluice.crypto.NodeId;
import sluice.crypto.Signer;
import sluice.crypto.agg.PairwiseMasks;
import sluice.crypto.agg.ShareKeyPair;
import sluice.crypto.pki.Revocations;
import sluice.crypto.pki.SigningChains;
import sluice.v1.AggregateServiceGrpc;
import sluice.v1.ContributeRequest;
import sluice.v1.ContributeResponse;
import sluice.v1.JoinRequest;
import sluice.v1.JoinResponse;
import sluice.v1.ShareKeyBody;
import sluice.v1.SignedShareKey;

/**
 * Secure aggregation as a department node takes part in it: Join makes a fresh X25519 key for
 * the session and signs its public half with the node's SM2 key; Contribute checks every
 * participant's signed key against the federation root and its revocation list ({@link
 * ParticipantKeys}), counts (and sums) the records in the consumer's scope that satisfy the
 * predicate, and returns the figures masked so that only the sum over all participants means
 * anything. A session is contributed to once, then forgotten;
 * sessions not contributed to within ten minutes are dropped.
 */
final class DepartmentAggregateService extends AggregateServiceGrpc.AggregateServiceImplBase {
  static final int MIN_PARTICIPANTS = 3;
  private static final Duration SESSION_LIFETIME = Duration.ofMinutes(10);

  private final NodeId self;
  private final Map<String, ServedResource> resources;
  private final Signer signer;
  private final List<byte[]> chain;
  private final ParticipantKeys participantKeys;
  private final Clock clock;
  private final SecureRandom random;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();

  /** What a Join fixed: the key, and what the contribution will be about and for whom. */
  private record Session(ShareKeyPair keys, NodeId consumer, ServedResource resource, CompiledPredicate predicate,
      int sumIndex, int participants, Scope scope, Instant joined) {}

  DepartmentAggregateService(NodeId self, Map<String, ServedResource> resources, Signer signer,
      List<X509Certificate> signingChain, List<X509Certificate> roots, Revocations revocations, Clock clock,
      SecureRandom random) {
    this.self = self;
    this.resources = Map.copyOf(resources);
    this.signer = signer;
    this.chain = SigningChains.encode(signingChain);
    this.participantKeys = new ParticipantKeys(self, roots, revocations);
    this.clock = clock;
    this.random = random;
  }

  @Override
  public void join(JoinRequest request, StreamObserver<JoinResponse> responses) {
    try {
      GatewayCaller caller = GatewayCaller.current(self);
      Instant now = clock.instant();
      sessions.values().removeIf(s -> {
        boolean expired = s.joined().plus(SESSION_LIFETIME).isBefore(now);
        if (expired) {
          s.keys().destroy();
        }
        return expired;
      });
      String id = request.getSessionId();
      if (id.length() < 16 || id.length() > 64) {
        throw invalid("session_id must be 16 to 64 characters");
      }
      if (request.getParticipants() < MIN_PARTICIPANTS) {
        throw invalid("a session needs at least " + MIN_PARTICIPANTS + " participants, not " + request.getParticipants());
      }
      ServedResource resource = resource(request.getResourceCode());
      CompiledPredicate predicate;
      try {
        predicate = resource.compile(request.getPredicate());
      } catch (InvalidPredicateException e) {
        throw invalid(e.getMessage());
      }
      int sumIndex = -1;
      if (!request.getSumField().isEmpty()) {
        var field = resource.descriptor().field(request.getSumField())
            .orElseThrow(() -> invalid("resource " + resource.descriptor().code() + " has no field " + request.getSumField()));
        if (field.type() != FieldType.INTEGER) {
          throw invalid("sum_field " + field.name() + " is " + field.type() + "; only INTEGER fields are summed");
        }
        sumIndex = resource.descriptor().indexOf(field.name());
      }
      ShareKeyPair keys = new ShareKeyPair(random);
      Session session = new Session(keys, caller.consumer(), resource, predicate, sumIndex, request.getParticipants(),
          caller.scope(), now);
      if (sessions.putIfAbsent(id, session) != null) {
        keys.destroy();
        throw Status.ALREADY_EXISTS.withDescription("session " + id + " was already joined").asRuntimeException();
      }
      byte[] body = ShareKeyBody.newBuilder().setSessionId(id).setNodeId(self.toString())
          .setResourceCode(resource.descriptor().code()).setPublicKey(ByteString.copyFrom(keys.publicKey())).build()
          .toByteArray();
      SignedShareKey.Builder signed = SignedShareKey.newBuilder().setBody(ByteString.copyFrom(body))
          .setSignature(ByteString.copyFrom(signer.sign(body)));
      chain.forEach(d -> signed.addSignerChain(ByteString.copyFrom(d)));
      responses.onNext(JoinResponse.newBuilder().setKey(signed).build());
      responses.onCompleted();
    } catch (StatusRuntimeException e) {
      responses.onError(e);
    }
  }

  @Override
  public void contribute(ContributeRequest request, StreamObserver<ContributeResponse> responses) {
    Session session = null;
    try {
      GatewayCaller caller = GatewayCaller.current(self);
      // Once only: the session is taken out before anything else, so no second call can use it.
      session = sessions.remove(request.getSessionId());
      if (session == null) {
        throw Status.FAILED_PRECONDITION.withDescription("no session " + request.getSessionId()
            + " was joined here, or it was already contributed to or expired").asRuntimeException();
      }
      if (!session.consumer().equals(caller.consumer())
          || !session.resource().descriptor().code().equals(request.getResourceCode())) {
        throw Status.PERMISSION_DENIED.withDescription("session " + request.getSessionId()
            + " was joined for another consumer or resource").asRuntimeException();
      }
      Map<String, byte[]> others = participantKeys.check(request.getKeysList(), request.getSessionId(),
          session.keys().publicKey(), session.participants(), clock.instant());
      Session s = session;
      long[] tally = new long[2];
      s.resource().records().forEach((key, record) -> {
        if (s.scope().reaches(s.resource(), record) && s.predicate().test(record)) {
          tally[0]++;
          if (s.sumIndex() >= 0 && record.value(s.sumIndex()) instanceof Long v) {
            tally[1] += v;
          }
        }
      });
      long[] net = PairwiseMasks.net(self.toString(), session.keys(), others, request.getSessionId(), 2);
      responses.onNext(ContributeResponse.newBuilder()
          .setMaskedCount(tally[0] + net[0]).setMaskedSum(tally[1] + net[1]).build());
      responses.onCompleted();
    } catch (StatusRuntimeException e) {
      responses.onError(e);
    } catch (IllegalArgumentException e) {
      responses.onError(invalid(e.getMessage()));
    } finally {
      if (session != null) {
        session.keys().destroy();
      }
    }
  }

  private ServedResource resource(String code) {
    return ServedResource.of(resources, code, self);
  }

  private static StatusRuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }
}
