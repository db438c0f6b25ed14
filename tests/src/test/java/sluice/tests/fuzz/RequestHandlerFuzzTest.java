package sluice.tests.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import sluice.crypto.NodeId;
import sluice.crypto.pki.TlsContexts;
import sluice.gateway.RawBytes;
import sluice.gateway.SluiceHeaders;
import sluice.gateway.Transport;
import sluice.nodes.run.FederationSetup;
import sluice.nodes.run.LocalFederation;
import sluice.v1.Comparison;
import sluice.v1.Operator;
import sluice.v1.Predicate;
import sluice.v1.PredicateList;
import sluice.v1.QueryRequest;
import sluice.v1.RequestContext;
import sluice.v1.Value;
import sluice.v1.VerifyRequest;

/**
 * The request handlers of a provincial gateway (every check and durable audit on) and of a
 * department node, called over mutual TLS with requests built from the fuzzer's data: mostly
 * well-formed Verify and Query requests with fuzzed resources, subjects, purposes, fields and
 * predicate trees, sometimes raw bytes. Every call must end with an answer or a refusal a person
 * can act on (INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, FAILED_PRECONDITION,
 * RESOURCE_EXHAUSTED, with a message), within its deadline: UNKNOWN, INTERNAL, UNAVAILABLE or a
 * missed deadline is a finding.
 */
class RequestHandlerFuzzTest {
  private static final Set<Status.Code> CLEAR = Set.of(Status.Code.OK, Status.Code.INVALID_ARGUMENT, Status.Code.NOT_FOUND,
      Status.Code.PERMISSION_DENIED, Status.Code.FAILED_PRECONDITION, Status.Code.RESOURCE_EXHAUSTED);
  private static final List<String> RESOURCES = List.of("3-44-001-001-000001", "3-44-002-001-000001", "3-11-002-001-000001");
  private static final List<String> FIELDS = List.of("id_number", "name", "status", "birth_date", "enrolled",
      "monthly_contribution_base", "gender");
  private static final List<String> PURPOSES = List.of("SOCIAL_ASSISTANCE_ELIGIBILITY", "TAX_ADMINISTRATION", "MARKETING");

  /** One federation for the JVM: Beijing and Guangdong, their gateways and the hub, on loopback. */
  private static final class Federation {
    static final Federation INSTANCE = start();
    final LocalFederation federation;
    final Transport transport;
    final ManagedChannel asConsumer; // prov-44/dept-ca → prov-44
    final ManagedChannel asGateway; // prov-44 → prov-44/dept-psb
    final List<String> subjects;

    private Federation(LocalFederation federation, Transport transport, ManagedChannel asConsumer, ManagedChannel asGateway,
        List<String> subjects) {
      this.federation = federation;
      this.transport = transport;
      this.asConsumer = asConsumer;
      this.asGateway = asGateway;
      this.subjects = subjects;
    }

    private static Federation start() {
      try {
        Path work = Files.createTempDirectory("sluice-fuzz");
        FederationSetup.Layout layout = FederationSetup.create(work, FederationSetup.Options.defaults()
            .withDataProvinces(Set.of(sluice.crypto.Province.BEIJING, sluice.crypto.Province.GUANGDONG))
            .withPersonsPerProvince(20));
        Transport transport = Transport.create(layout.revocations());
        LocalFederation federation = LocalFederation.start(layout, transport,
            n -> n.isHub() || n.provinceOf().map(p -> p == sluice.crypto.Province.BEIJING
                || p == sluice.crypto.Province.GUANGDONG).orElse(false));
        federation.awaitReady(java.time.Duration.ofSeconds(60));
        NodeId gd = NodeId.parse("prov-44");
        NodeId psb = NodeId.parse("prov-44/dept-psb");
        ManagedChannel asConsumer = transport.channelBuilder(layout.addresses().get(gd),
            TlsContexts.client(sluice.crypto.pki.FederationPki.open(layout.pkiDir()).load(NodeId.parse("prov-44/dept-ca")), gd))
            .build();
        ManagedChannel asGateway = transport.channelBuilder(layout.addresses().get(psb),
            TlsContexts.client(sluice.crypto.pki.FederationPki.open(layout.pkiDir()).load(gd), psb)).build();
        List<String> subjects = new ArrayList<>(layout.data().resource("3-44-001-001-000001").orElseThrow().sampleKeys());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          asConsumer.shutdownNow();
          asGateway.shutdownNow();
          federation.close();
          transport.close();
        }));
        return new Federation(federation, transport, asConsumer, asGateway, subjects);
      } catch (IOException | sluice.nodes.config.ConfigException e) {
        throw new IllegalStateException("cannot start the federation to fuzz: " + e.getMessage(), e);
      }
    }
  }

  @FuzzTest(maxDuration = "10s")
  void gatewayAnswersOrRefusesClearly(FuzzedDataProvider data) {
    call(Federation.INSTANCE.asConsumer, data, new Metadata());
  }

  @FuzzTest(maxDuration = "10s")
  void departmentAnswersOrRefusesClearly(FuzzedDataProvider data) {
    // As the gateway calls it: the consumer and request id in the headers.
    Metadata headers = new Metadata();
    headers.put(SluiceHeaders.CONSUMER, "prov-44/dept-ca");
    headers.put(SluiceHeaders.REQUEST_ID, "fuzz-" + data.consumeInt(0, 1_000_000));
    call(Federation.INSTANCE.asGateway, data, headers);
  }

  private static void call(ManagedChannel channel, FuzzedDataProvider data, Metadata headers) {
    int kind = data.consumeInt(0, 9);
    String method = kind < 6 ? "Verify" : "Query";
    byte[] request = switch (kind) {
      case 0, 1, 2, 3, 4, 5 -> verify(data).toByteArray();
      case 6, 7, 8 -> query(data).toByteArray();
      default -> data.consumeRemainingAsBytes();
    };
    MethodDescriptor<byte[], byte[]> md = MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName("sluice.v1.VerifyService/" + method)
        .setRequestMarshaller(RawBytes.MARSHALLER)
        .setResponseMarshaller(RawBytes.MARSHALLER)
        .build();
    io.grpc.Channel intercepted = io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    try {
      ClientCalls.blockingUnaryCall(intercepted, md, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
    } catch (StatusRuntimeException e) {
      Status s = e.getStatus();
      if (!CLEAR.contains(s.getCode()) || s.getDescription() == null || s.getDescription().isBlank()) {
        throw new AssertionError(method + " ended " + s + " for " + java.util.HexFormat.of().formatHex(request), e);
      }
    }
  }

  private static VerifyRequest verify(FuzzedDataProvider data) {
    return VerifyRequest.newBuilder()
        .setContext(context(data))
        .setResourceCode(pick(data, RESOURCES))
        .setSubjectKey(subject(data))
        .setPredicate(predicate(data, 0))
        .build();
  }

  private static QueryRequest query(FuzzedDataProvider data) {
    QueryRequest.Builder q = QueryRequest.newBuilder().setContext(context(data)).setResourceCode(pick(data, RESOURCES))
        .setSubjectKey(subject(data));
    for (int i = data.consumeInt(0, 4); i > 0; i--) {
      q.addFields(pick(data, FIELDS));
    }
    return q.build();
  }

  private static RequestContext context(FuzzedDataProvider data) {
    return RequestContext.newBuilder().setPurposeCode(pick(data, PURPOSES)).setCaseReference(data.consumeString(40))
        .setRequestId(data.consumeString(40)).build();
  }

  private static String subject(FuzzedDataProvider data) {
    return data.consumeBoolean() ? pick(data, Federation.INSTANCE.subjects) : data.consumeString(30);
  }

  private static String pick(FuzzedDataProvider data, List<String> known) {
    return data.consumeInt(0, 7) == 0 ? data.consumeString(30) : known.get(data.consumeInt(0, known.size() - 1));
  }

  private static Predicate predicate(FuzzedDataProvider data, int depth) {
    int node = depth >= 20 ? 0 : data.consumeInt(0, 4);
    return switch (node) {
      case 1, 2 -> {
        PredicateList.Builder list = PredicateList.newBuilder();
        for (int i = data.consumeInt(0, 3); i > 0; i--) {
          list.addOperands(predicate(data, depth + 1));
        }
        yield node == 1 ? Predicate.newBuilder().setAll(list).build() : Predicate.newBuilder().setAny(list).build();
      }
      case 3 -> Predicate.newBuilder().setNot(predicate(data, depth + 1)).build();
      default -> {
        Comparison.Builder c = Comparison.newBuilder().setField(pick(data, FIELDS))
            .setOpValue(data.consumeInt(0, Operator.values().length));
        for (int i = data.consumeInt(0, 3); i > 0; i--) {
          c.addValues(switch (data.consumeInt(0, 4)) {
            case 0 -> Value.newBuilder().setStringValue(data.consumeString(30)).build();
            case 1 -> Value.newBuilder().setIntValue(data.consumeLong()).build();
            case 2 -> Value.newBuilder().setDecimalValue(data.consumeString(20)).build();
            case 3 -> Value.newBuilder().setDateValue(data.consumeString(12)).build();
            default -> Value.newBuilder().setBoolValue(data.consumeBoolean()).build();
          });
        }
        yield Predicate.newBuilder().setComparison(c).build();
      }
    };
  }
}
