package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sluice.tests.Fixtures.all;
import static sluice.tests.Fixtures.bool;
import static sluice.tests.Fixtures.cmp;
import static sluice.tests.Fixtures.integer;
import static sluice.tests.Fixtures.request;
import static sluice.tests.Fixtures.str;

import com.google.protobuf.MessageLite;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.catalog.ResourceDescriptor;
import sluice.catalog.predicate.PredicateLimits;
import sluice.crypto.NodeId;
import sluice.crypto.Province;
import sluice.gateway.Transport;
import sluice.gateway.client.BatchResult;
import sluice.gateway.client.ConsumerClient;
import sluice.nodes.department.CsvRecords;
import sluice.nodes.department.DepartmentNode;
import sluice.nodes.department.ServedResource;
import sluice.nodes.run.FederationSetup;
import sluice.nodes.run.LocalFederation;
import sluice.v1.BatchHeader;
import sluice.v1.BatchItem;
import sluice.v1.Operator;
import sluice.v1.Predicate;

/**
 * Captures every message the provider department node sends and checks that no field value of
 * any record it was asked about appears in it: a Verify answer carries the answer and a receipt,
 * never the record.
 */
class PrivacyTest {
  static final NodeId PROVIDER = NodeId.parse("prov-44/dept-hrss");
  static final String RESOURCE = "3-44-002-001-000001";

  @TempDir static Path work;
  static Transport transport;
  static FederationSetup.Layout layout;
  static LocalFederation federation;
  static DepartmentNode provider;
  static final ConcurrentLinkedQueue<Object> sent = new ConcurrentLinkedQueue<>();
  static List<com.google.protobuf.ByteString> providerChain;
  static String providerFingerprint;

  @BeforeAll
  static void start() throws Exception {
    layout =
        Fixtures.beijingAndGuangdong(work, 150);
    transport = Transport.create();
    providerChain = new ArrayList<>();
    for (var c : Fixtures.credentials(layout, PROVIDER).signingChain()) {
      providerChain.add(com.google.protobuf.ByteString.copyFrom(c.getEncoded()));
    }
    providerFingerprint =
        sluice.crypto.Hex.encode(
            java.security.MessageDigest.getInstance("SHA-256").digest(providerChain.get(0).toByteArray()));
    ResourceDescriptor descriptor = layout.data().resource(RESOURCE).orElseThrow().descriptor();
    provider =
        DepartmentNode.builder()
            .credentials(Fixtures.credentials(layout, PROVIDER))
            .transport(transport)
            .listen(layout.addresses().get(PROVIDER))
            .serve(
                new ServedResource(
                    descriptor,
                    CsvRecords.load(descriptor, layout.data().resource(RESOURCE).orElseThrow().csvFile()),
                    PredicateLimits.DEFAULT))
            .intercept(new Capture())
            .start();
    federation =
        LocalFederation.start(
            layout,
            transport,
            n -> !n.equals(PROVIDER) && Fixtures.inBeijingOrGuangdong(n));
  }

  @AfterAll
  static void stop() {
    federation.close();
    provider.close();
    transport.close();
  }

  /** Records the serialized form of every message and every error the node sends. */
  static final class Capture implements ServerInterceptor {
    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
      return next.startCall(
          new SimpleForwardingServerCall<>(call) {
            @Override
            public void sendMessage(R message) {
              sent.add(message);
              super.sendMessage(message);
            }

            @Override
            public void close(Status status, Metadata trailers) {
              sent.add(String.valueOf(status.getDescription()));
              super.close(status, trailers);
            }
          },
          headers);
    }
  }

  @Test
  void noRecordValueLeavesTheDepartmentInAnyAnswer() throws Exception {
    Map<String, Map<String, String>> records = Fixtures.rows(layout, RESOURCE);
    List<String> subjects = new ArrayList<>(records.keySet()).subList(0, 60);
    List<Predicate> questions =
        List.of(
            cmp("id_number", Operator.EXISTS),
            all(cmp("enrolled", Operator.EQ, bool(true)), cmp("status", Operator.EQ, str("ACTIVE"))),
            cmp("monthly_contribution_base", Operator.GE, integer(6000)),
            cmp("insurance_type", Operator.IN, str("URBAN_EMPLOYEE")));
    try (ConsumerClient gd = federation.consumer(NodeId.parse("prov-44/dept-ca"), Fixtures.DEADLINE);
        ConsumerClient bj = federation.consumer(NodeId.parse("prov-11/dept-ca"), Fixtures.DEADLINE)) {
      for (String s : subjects.subList(0, 20)) {
        for (Predicate q : questions) {
          gd.verify(request(RESOURCE, s, q));
          bj.verify(request(RESOURCE, s, q));
        }
      }
      List<BatchItem> items = new ArrayList<>();
      for (int i = 0; i < subjects.size(); i++) {
        items.add(BatchItem.newBuilder().setSeq(i).setSubjectKey(subjects.get(i)).setPredicate(questions.get(i % 4)).build());
      }
      BatchResult r =
          bj.batchVerify(
              BatchHeader.newBuilder().setContext(Fixtures.context()).setResourceCode(RESOURCE).build(), items);
      assertEquals(subjects.size(), r.receiptsVerified());
    }
    assertTrue(sent.size() >= 20 * 4 * 2 + 60, "captured " + sent.size() + " messages");

    List<byte[]> haystacks = new ArrayList<>();
    for (Object m : sent) {
      haystacks.add(withoutPublicParts(m));
    }
    int checked = 0;
    for (String s : subjects) {
      for (Map.Entry<String, String> field : records.get(s).entrySet()) {
        String value = field.getValue();
        if (value.length() < 4) {
          continue; // "M", "F", "A" ... occur by chance in signatures; too short to identify anyone
        }
        byte[] needle = value.getBytes(StandardCharsets.UTF_8);
        for (byte[] message : haystacks) {
          assertFalse(
              contains(message, needle),
              "value of field " + field.getKey() + " of a record left the department node: "
                  + value + " in " + new String(message, StandardCharsets.ISO_8859_1));
        }
        checked++;
      }
    }
    assertTrue(checked > 200, "checked " + checked + " values");
  }

  /**
   * The bytes of a sent message with the two parts that are public by design removed, after
   * checking they are only that: the department's own signing certificate chain and its
   * fingerprint (identical in every receipt) and the request id the gateway assigned. Their
   * ASCII digits (certificate validity times, hex) would otherwise match short numbers by chance.
   */
  static byte[] withoutPublicParts(Object message) {
    if (message instanceof String text) {
      return text.getBytes(StandardCharsets.UTF_8);
    }
    sluice.v1.Receipt receipt;
    if (message instanceof sluice.v1.VerifyResponse v) {
      receipt = v.getReceipt();
      assertTrue(v.getRequestId().matches("[0-9a-f-]{36}"), "request id " + v.getRequestId());
      message = v.toBuilder().clearRequestId().setReceipt(stripped(receipt)).build();
    } else if (message instanceof sluice.v1.BatchVerifyResponse b) {
      receipt = b.getReceipt();
      message = b.hasReceipt() ? b.toBuilder().setReceipt(stripped(receipt)).build() : b;
    } else {
      throw new AssertionError("unexpected message type " + message.getClass());
    }
    return ((MessageLite) message).toByteArray();
  }

  static sluice.v1.Receipt stripped(sluice.v1.Receipt receipt) {
    assertEquals(providerChain, receipt.getSignerChainList(), "receipt carries only the signer's certificates");
    try {
      sluice.v1.ReceiptBody body = sluice.v1.ReceiptBody.parseFrom(receipt.getBody());
      assertTrue(body.getRequestId().matches("[0-9a-f-]{36}"), "request id " + body.getRequestId());
      assertEquals(providerFingerprint, receipt.getSignerCertificateSha256());
      return receipt.toBuilder()
          .clearSignerChain()
          .clearSignerCertificateSha256()
          .setBody(body.toBuilder().clearRequestId().build().toByteString())
          .build();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
