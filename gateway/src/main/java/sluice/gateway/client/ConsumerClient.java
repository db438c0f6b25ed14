package sluice.gateway.client;

import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import sluice.crypto.NodeId;
import sluice.crypto.pki.NodeCredentials;
import sluice.crypto.pki.TlsContexts;
import sluice.gateway.Transport;
import sluice.gateway.receipt.InvalidReceiptException;
import sluice.gateway.receipt.ReceiptVerifier;
import sluice.gateway.receipt.RequestDigest;
import sluice.v1.BatchHeader;
import sluice.v1.BatchItem;
import sluice.v1.BatchVerifyRequest;
import sluice.v1.BatchVerifyResponse;
import sluice.v1.QueryRequest;
import sluice.v1.QueryResponse;
import sluice.v1.ReceiptBody;
import sluice.v1.VerifyRequest;
import sluice.v1.VerifyResponse;
import sluice.v1.VerifyServiceGrpc;

/**
 * How a consumer department's system calls the federation: over mutual TLS with the
 * department's certificate, to its own provincial gateway, verifying every receipt against the
 * federation root before trusting an answer. Thread-safe; close when done.
 */
public final class ConsumerClient implements AutoCloseable {
  private final NodeId self;
  private final NodeId gateway;
  private final ManagedChannel channel;
  private final ReceiptVerifier receipts;
  private final Duration deadline;

  /**
   * @param credentials the consumer department's credentials
   * @param gatewayAddress where its provincial gateway listens
   */
  public ConsumerClient(
      NodeCredentials credentials,
      InetSocketAddress gatewayAddress,
      Transport transport,
      Duration deadline) {
    this(credentials, java.util.List.of(gatewayAddress), transport, deadline);
  }

  /**
   * @param credentials the consumer department's credentials
   * @param gatewayAddresses where its provincial gateway's instances listen: calls go round robin
   *     to those up and serving
   */
  public ConsumerClient(
      NodeCredentials credentials,
      java.util.List<InetSocketAddress> gatewayAddresses,
      Transport transport,
      Duration deadline) {
    this.self = credentials.id();
    this.gateway =
        self.gateway()
            .orElseThrow(() -> new IllegalArgumentException("the national hub is not a consumer"));
    this.channel =
        transport.channelBuilder(gatewayAddresses, TlsContexts.client(credentials, gateway, transport.revocations())).build();
    this.receipts = new ReceiptVerifier(credentials.trustRoots(), transport.revocations());
    this.deadline = deadline;
  }

  public NodeId id() {
    return self;
  }

  /** A verified answer: the response and the checked receipt body. */
  public record Verified(VerifyResponse response, ReceiptBody receipt) {}

  /**
   * Asks one question and checks the receipt.
   *
   * @throws io.grpc.StatusRuntimeException as the federation answered
   * @throws InvalidReceiptException when the answer's receipt does not prove it
   */
  public Verified verify(VerifyRequest request) throws InvalidReceiptException {
    VerifyResponse response = stub().verify(request);
    return new Verified(response, issuedToMe(receipts.verify(response.getReceipt(), request, response.getAnswer())));
  }

  /** A verified Query: the response, whose every field the department signed, and the receipt body. */
  public record Queried(QueryResponse response, ReceiptBody receipt) {}

  /**
   * Reads the granted, masked fields of one record and checks the receipt covers each.
   *
   * @throws io.grpc.StatusRuntimeException as the federation answered
   * @throws InvalidReceiptException when the receipt does not prove the answer and every field
   */
  public Queried query(QueryRequest request) throws InvalidReceiptException {
    QueryResponse response = stub().query(request);
    return new Queried(
        response,
        issuedToMe(receipts.verify(response.getReceipt(), request, response.getAnswer(), response.getFieldsList())));
  }

  /** The blocking stub, with this client's deadline, for calls made directly. */
  public VerifyServiceGrpc.VerifyServiceBlockingStub stub() {
    return VerifyServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Opens a BatchVerify stream (no deadline: batches may run long). */
  public StreamObserver<BatchVerifyRequest> batchVerify(
      StreamObserver<BatchVerifyResponse> responses) {
    return VerifyServiceGrpc.newStub(channel).batchVerify(responses);
  }

  /**
   * Streams {@code items} under {@code header}, sending only as fast as the gateway accepts,
   * waits for every answer and checks every receipt.
   *
   * @throws io.grpc.StatusRuntimeException if the stream fails as a whole
   * @throws InvalidReceiptException if any receipt does not prove its item's answer
   */
  public BatchResult batchVerify(BatchHeader header, List<BatchItem> items)
      throws InvalidReceiptException, InterruptedException {
    Map<Long, BatchItem> bySeq = new HashMap<>();
    for (BatchItem item : items) {
      if (bySeq.put(item.getSeq(), item) != null) {
        throw new IllegalArgumentException("batch item seq " + item.getSeq() + " is used twice");
      }
    }
    BatchPump pump = new BatchPump(header, items.iterator());
    VerifyServiceGrpc.newStub(channel).batchVerify(pump);
    List<BatchVerifyResponse> responses = pump.await();
    // Receipts are independent: check them on every core.
    int verified;
    try {
      verified =
          responses.parallelStream()
              .filter(r -> !r.hasError())
              .mapToInt(r -> checkItem(header, bySeq.get(r.getSeq()), r))
              .sum();
    } catch (UncheckedReceiptException e) {
      throw e.getCause();
    }
    return new BatchResult(responses, verified);
  }

  private int checkItem(BatchHeader header, BatchItem item, BatchVerifyResponse r) {
    try {
      if (item == null) {
        throw new InvalidReceiptException("answer for unknown item seq " + r.getSeq());
      }
      issuedToMe(receipts.verify(r.getReceipt(), RequestDigest.asRequest(header, item), r.getAnswer()));
      return 1;
    } catch (InvalidReceiptException e) {
      throw new UncheckedReceiptException(e);
    }
  }

  /** A receipt proves an answer to this consumer only if it names this consumer. */
  private ReceiptBody issuedToMe(ReceiptBody body) throws InvalidReceiptException {
    if (!body.getConsumerNodeId().equals(self.toString())) {
      throw new InvalidReceiptException(
          "receipt was issued to " + body.getConsumerNodeId() + ", not to " + self);
    }
    return body;
  }

  /** Carries a receipt failure out of a parallel stream. */
  private static final class UncheckedReceiptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UncheckedReceiptException(InvalidReceiptException cause) {
      super(cause);
    }

    @Override
    public synchronized InvalidReceiptException getCause() {
      return (InvalidReceiptException) super.getCause();
    }
  }

  /**
   * Runs one private set intersection with {@code request}'s resource, this department as the
   * receiver, masking on up to {@code parallel} threads of {@code work}.
   *
   * @throws io.grpc.StatusRuntimeException as the federation ended the session
   */
  public PsiReceiver.Result intersect(PsiReceiver.Request request, java.util.Collection<String> elements,
      java.util.concurrent.Executor work, int parallel, PsiReceiver.Progress progress) throws InterruptedException {
    return new PsiReceiver(sluice.v1.PsiServiceGrpc.newStub(channel), work, parallel, new java.security.SecureRandom())
        .run(request, elements, progress);
  }

  /**
   * A receiver of private set intersections with this department's resources, masking on up to
   * {@code parallel} threads of {@code work} and spilling tags under {@code spillDir}; for a set
   * too large for memory ({@link PsiInput#spilled}).
   */
  public PsiReceiver psiReceiver(java.util.concurrent.Executor work, int parallel, java.nio.file.Path spillDir) {
    return new PsiReceiver(sluice.v1.PsiServiceGrpc.newStub(channel), work, parallel, new java.security.SecureRandom(),
        spillDir, sluice.gateway.psi.TagSpill.PARTITION_TAGS);
  }

  /**
   * A count (and sum) across provinces by secure aggregation: the hub learns only the total, and
   * this client only the total, unless it was suppressed. Allows four times the client's deadline:
   * the hub runs two rounds with every province, and again without any that dropped out.
   *
   * @throws io.grpc.StatusRuntimeException as the federation answered
   */
  public sluice.v1.AggregateResponse aggregate(sluice.v1.AggregateRequest request) {
    return sluice.v1.AggregateServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(4 * deadline.toMillis(), TimeUnit.MILLISECONDS).aggregate(request);
  }

  /** Private membership checks against {@code resourceCode}'s subject keys (see {@link MembershipChecker}). */
  public MembershipChecker membership(sluice.v1.RequestContext context, String resourceCode,
      sluice.crypto.psi.PsiSuite suite) {
    return new MembershipChecker(sluice.v1.PsiServiceGrpc.newBlockingStub(channel), context, resourceCode, suite,
        new java.security.SecureRandom(), deadline.toMillis());
  }

  /** The verifier this client checks receipts with. */
  public ReceiptVerifier receiptVerifier() {
    return receipts;
  }

  @Override
  public void close() {
    channel.shutdown();
    try {
      if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channel.shutdownNow();
    }
  }
}
