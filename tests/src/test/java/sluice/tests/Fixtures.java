package sluice.tests;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import sluice.crypto.NodeId;
import sluice.crypto.Province;
import sluice.crypto.pki.NodeCredentials;
import sluice.crypto.pki.TlsContexts;
import sluice.gateway.Transport;
import sluice.gateway.client.ConsumerClient;
import sluice.nodes.data.CsvTables;
import sluice.nodes.run.FederationSetup;
import sluice.v1.Comparison;
import sluice.v1.Operator;
import sluice.v1.Predicate;
import sluice.v1.PredicateList;
import sluice.v1.RequestContext;
import sluice.v1.Value;
import sluice.v1.VerifyRequest;
import sluice.v1.VerifyServiceGrpc;

/** Helpers shared by the federation tests. */
final class Fixtures {
  static final Duration DEADLINE = Duration.ofSeconds(20);

  private Fixtures() {}

  /** A layout whose data lives in Beijing and Guangdong only (all 32 gateways still exist). */
  static FederationSetup.Layout beijingAndGuangdong(Path work, int personsPerProvince)
      throws IOException {
    return FederationSetup.create(
        work,
        FederationSetup.Options.defaults()
            .withDataProvinces(java.util.Set.of(Province.BEIJING, Province.GUANGDONG))
            .withPersonsPerProvince(personsPerProvince));
  }

  /** The hub and every node of Beijing and Guangdong. */
  static boolean inBeijingOrGuangdong(NodeId n) {
    return n.isHub()
        || n.provinceOf().map(p -> p == Province.BEIJING || p == Province.GUANGDONG).orElse(false);
  }

  static RequestContext context() {
    return RequestContext.newBuilder()
        .setPurposeCode("SOCIAL_ASSISTANCE_ELIGIBILITY")
        .setCaseReference("TEST-2026-0001")
        .build();
  }

  static VerifyRequest request(String resource, String subject, Predicate predicate) {
    return VerifyRequest.newBuilder()
        .setContext(context())
        .setResourceCode(resource)
        .setSubjectKey(subject)
        .setPredicate(predicate)
        .build();
  }

  static Predicate cmp(String field, Operator op, Value... values) {
    return Predicate.newBuilder()
        .setComparison(Comparison.newBuilder().setField(field).setOp(op).addAllValues(List.of(values)))
        .build();
  }

  static Predicate all(Predicate... ps) {
    return Predicate.newBuilder().setAll(PredicateList.newBuilder().addAllOperands(List.of(ps))).build();
  }

  static Value str(String s) {
    return Value.newBuilder().setStringValue(s).build();
  }

  static Value bool(boolean b) {
    return Value.newBuilder().setBoolValue(b).build();
  }

  static Value integer(long n) {
    return Value.newBuilder().setIntValue(n).build();
  }

  /** A resource's CSV as maps from column to value, keyed by the subject key. */
  static Map<String, Map<String, String>> rows(FederationSetup.Layout layout, String resource)
      throws IOException {
    var generated = layout.data().resource(resource).orElseThrow();
    CsvTables.CsvTable t = CsvTables.read(generated.csvFile());
    String key = generated.descriptor().subjectKeyField();
    Map<String, Map<String, String>> out = new java.util.LinkedHashMap<>();
    for (List<String> values : t.rows()) {
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < t.header().size(); i++) {
        row.put(t.header().get(i), values.get(i));
      }
      out.put(row.get(key), row);
    }
    return out;
  }

  static List<String> allPopulationIds(FederationSetup.Layout layout) throws IOException {
    List<String> ids = new ArrayList<>();
    for (var r : layout.data().resources()) {
      if (r.descriptor().provider().departmentName().orElse("").equals("psb")) {
        ids.addAll(rows(layout, r.descriptor().code()).keySet());
      }
    }
    return ids;
  }

  /** A raw Verify stub presenting {@code creds} to the node at {@code address}. */
  static ManagedChannel channel(
      Transport transport, NodeCredentials creds, NodeId server, InetSocketAddress address) {
    return transport.channelBuilder(address, TlsContexts.client(creds, server)).build();
  }

  static VerifyServiceGrpc.VerifyServiceBlockingStub stub(ManagedChannel channel) {
    return VerifyServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  static NodeCredentials credentials(FederationSetup.Layout layout, NodeId node) throws IOException {
    return NodeCredentials.load(layout.credentials(node));
  }

  static KeyPair p256() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  static void shutdown(ManagedChannel c) throws InterruptedException {
    c.shutdownNow();
    c.awaitTermination(5, TimeUnit.SECONDS);
  }

  /**
   * Asks {@code question} until the outcome ("ANSWER TRUE", "PERMISSION_DENIED reason...")
   * satisfies {@code done}: gateways apply catalogue snapshots asynchronously.
   */
  static String awaitOutcome(ConsumerClient client, VerifyRequest question, java.util.function.Predicate<String> done)
      throws InterruptedException {
    return await(
        () -> {
          try {
            return "ANSWER " + client.verify(question).response().getAnswer();
          } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() + " " + e.getStatus().getDescription();
          } catch (Exception e) {
            return "ERROR " + e;
          }
        },
        done);
  }

  /** Takes {@code outcome} until it satisfies {@code done}, for up to 15 s. */
  static String await(java.util.function.Supplier<String> outcome, java.util.function.Predicate<String> done)
      throws InterruptedException {
    return awaitValue(outcome, done);
  }

  /** Takes {@code outcome} until it satisfies {@code done}, for up to 15 s. */
  static <T> T awaitValue(java.util.function.Supplier<T> outcome, java.util.function.Predicate<T> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      last = outcome.get();
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("outcome never came; last was: " + last);
  }


  /** A response observer that ignores messages and completes {@code end} with how the call ended. */
  static <T> io.grpc.stub.StreamObserver<T> endingIn(java.util.concurrent.CompletableFuture<io.grpc.Status> end) {
    return new io.grpc.stub.StreamObserver<>() {
      @Override
      public void onNext(T value) {}

      @Override
      public void onError(Throwable t) {
        end.complete(io.grpc.Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        end.complete(io.grpc.Status.OK);
      }
    };
  }

  /** Every DENY entry in the audit log of the gateway at the end of {@code toGateway} (called as an auditor), oldest first. */
  static List<sluice.v1.AuditEntry> denied(io.grpc.Channel toGateway) {
    List<sluice.v1.AuditEntry> out = new java.util.ArrayList<>();
    sluice.v1.AuditServiceGrpc.newBlockingStub(toGateway).withDeadlineAfter(60, java.util.concurrent.TimeUnit.SECONDS)
        .queryEntries(sluice.v1.AuditQuery.newBuilder().setDecision(sluice.v1.Decision.DENY).setPageSize(10_000).build())
        .forEachRemaining(page -> page.getRecordsList().forEach(r -> out.add(r.getDecoded())));
    return out;
  }
}
