package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sluice.tests.Fixtures.cmp;
import static sluice.tests.Fixtures.request;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.NodeId;
import sluice.crypto.Province;
import sluice.gateway.Transport;
import sluice.gateway.client.ConsumerClient;
import sluice.nodes.run.FederationSetup;
import sluice.nodes.run.LocalFederation;
import sluice.v1.Answer;
import sluice.v1.Operator;
import sluice.v1.VerifyRequest;

/**
 * Prometheus metrics (issue 9): nodes whose configuration names {@code metrics: HOST:PORT} serve
 * them over HTTP; after answered and refused calls, a scrape shows the calls by method and code,
 * refusals by reason, the audit log's entries and append times, and the age of the catalogue
 * snapshot a gateway enforces, each tagged with the node. Refusals carry a google.rpc.ErrorInfo
 * with a stable reason code, which the refusal counter is labelled with. The gateway's call log
 * ({@code callLog:}) holds a JSON line per audited call under its audit entry's request id.
 */
class MetricsTest {
  static final NodeId GD = NodeId.parse("prov-44");
  static final NodeId HRSS = NodeId.parse("prov-44/dept-hrss");
  static final NodeId GRANTED = NodeId.parse("prov-44/dept-ca");
  static final NodeId UNGRANTED = NodeId.parse("prov-44/dept-psb");
  static final String RESOURCE = "3-44-002-001-000001";

  @TempDir static Path work;
  static Transport transport;
  static FederationSetup.Layout layout;
  static LocalFederation federation;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    layout = FederationSetup.create(work, FederationSetup.Options.defaults()
        .withDataProvinces(Set.of(Province.GUANGDONG)).withPersonsPerProvince(20)
        .withCatalogue(List.of(new FederationSetup.DemoGrant(GRANTED, RESOURCE, List.of("enrolled"),
            "SOCIAL_ASSISTANCE_ELIGIBILITY"))));
    for (NodeId n : List.of(GD, HRSS)) {
      Path config = layout.nodeConfigs().get(n);
      Files.writeString(config, Files.readString(config) + "metrics: 127.0.0.1:0\n"
          + (n.equals(GD) ? "callLog: calls-prov-44.jsonl\n" : ""));
    }
    transport = Transport.create();
    federation = LocalFederation.start(layout, transport,
        n -> n.isHub() || n.equals(GD) || n.equals(HRSS) || n.equals(GRANTED) || n.equals(UNGRANTED));
    federation.awaitReady(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    federation.close();
    transport.close();
  }

  static String scrape(NodeId node) throws Exception {
    InetSocketAddress at = federation.running().get(node).metrics().orElseThrow();
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + at.getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
    return r.body();
  }

  /** The value of the one sample of {@code name} whose labels include every one of {@code labels}. */
  static double sample(String text, String name, String... labels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(text);
    double found = Double.NaN;
    while (m.find()) {
      boolean all = true;
      for (String l : labels) {
        all &= m.group(1).contains(l);
      }
      if (all) {
        assertTrue(Double.isNaN(found), "more than one sample of " + name + " with " + List.of(labels));
        found = Double.parseDouble(m.group(2));
      }
    }
    assertTrue(!Double.isNaN(found), "no sample of " + name + " with " + List.of(labels) + " in:\n" + text);
    return found;
  }

  static VerifyRequest withId(VerifyRequest q, String id) {
    return q.toBuilder().setContext(q.getContext().toBuilder().setRequestId(id)).build();
  }

  @Test
  void callsRefusalsTheAuditLogAndTheSnapshotAreMeasured() throws Exception {
    String subject = layout.data().resource(RESOURCE).orElseThrow().sampleKeys().get(0);
    VerifyRequest q = request(RESOURCE, subject, cmp("enrolled", Operator.EQ, Fixtures.bool(true)));
    try (ConsumerClient granted = federation.consumer(GRANTED, Fixtures.DEADLINE);
        ConsumerClient ungranted = federation.consumer(UNGRANTED, Fixtures.DEADLINE)) {
      for (int i = 0; i < 3; i++) {
        assertEquals(Answer.TRUE, granted.verify(withId(q, "m-ok-" + i)).response().getAnswer());
      }
      for (int i = 0; i < 2; i++) {
        VerifyRequest refused = withId(q, "m-denied-" + i);
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ungranted.verify(refused));
        assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
        // The refusal carries its stable reason and what it concerns (google.rpc.ErrorInfo).
        com.google.rpc.ErrorInfo info = com.google.rpc.ErrorInfo.parseFrom(
            io.grpc.protobuf.StatusProto.fromThrowable(e).getDetails(0).getValue());
        assertEquals("NO_GRANT", info.getReason());
        assertEquals("sluice.v1", info.getDomain());
        assertEquals(java.util.Map.of("node", "prov-44", "consumer", UNGRANTED.toString(), "resource", RESOURCE,
            "purpose", "SOCIAL_ASSISTANCE_ELIGIBILITY"), info.getMetadataMap());
      }
    }
    String gd = scrape(GD);
    String verify = "method=\"sluice.v1.VerifyService/Verify\"";
    assertEquals(3, sample(gd, "sluice_calls_total", verify, "code=\"OK\"", "node=\"prov-44\""), 0);
    assertEquals(2, sample(gd, "sluice_calls_total", verify, "code=\"PERMISSION_DENIED\""), 0);
    assertEquals(2, sample(gd, "sluice_refusals_total", verify, "reason=\"NO_GRANT\""), 0);
    assertEquals(5, sample(gd, "sluice_call_duration_seconds_count", verify), 0);
    assertTrue(sample(gd, "sluice_audit_entries_total", "node=\"prov-44\"") >= 5, "every call audited");
    assertTrue(sample(gd, "sluice_audit_append_seconds_count", "node=\"prov-44\"") >= 5);
    assertTrue(sample(gd, "sluice_audit_backlog", "node=\"prov-44\"") >= 0);
    assertTrue(sample(gd, "sluice_audit_index_behind", "node=\"prov-44\"") >= 0);
    double age = sample(gd, "sluice_catalog_snapshot_age_seconds", "node=\"prov-44\"");
    assertTrue(age >= 0 && age < 600, "snapshot age " + age);
    assertTrue(gd.contains("jvm_memory_used_bytes{"), "JVM metrics too");

    // The department answered only the granted calls: the gateway refused the others.
    String dept = scrape(HRSS);
    assertEquals(3, sample(dept, "sluice_calls_total", verify, "code=\"OK\"", "node=\"prov-44/dept-hrss\""), 0);
    assertTrue(!dept.contains("code=\"PERMISSION_DENIED\""), "no refused call reached the department");

    // The call log: a JSON line per audited call, with the request id of its audit entry.
    Path log = layout.nodeConfigs().get(GD).resolveSibling("calls-prov-44.jsonl");
    java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> byId = Fixtures.awaitValue(() -> {
      java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> m = new java.util.HashMap<>();
      try {
        for (String line : Files.readAllLines(log)) {
          com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
          m.put(n.path("requestId").asText(), n);
        }
      } catch (java.io.IOException e) {
        return null;
      }
      return m;
    }, m -> m != null && m.keySet().containsAll(List.of("m-ok-0", "m-ok-1", "m-ok-2", "m-denied-0", "m-denied-1")));
    com.fasterxml.jackson.databind.JsonNode denied = byId.get("m-denied-0");
    assertEquals("DENY", denied.path("decision").asText(), denied.toString());
    assertEquals("PERMISSION_DENIED", denied.path("status").asText());
    assertEquals(UNGRANTED.toString(), denied.path("consumerNodeId").asText());
    assertEquals("prov-44", denied.path("node").asText());
    assertTrue(denied.path("reason").asText().contains("has no grant"), denied.toString());
    assertEquals("PERMIT", byId.get("m-ok-0").path("decision").asText());
    for (com.fasterxml.jackson.databind.JsonNode n : byId.values()) {
      assertTrue(n.path("subjectPseudonym").isMissingNode() && n.path("caseReference").isMissingNode(),
          "the call log leaves the subject and the case reference to the audit log: " + n);
    }

    InetSocketAddress at = federation.running().get(GD).metrics().orElseThrow();
    HttpResponse<String> other = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + at.getPort() + "/")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(404, other.statusCode());
  }
}
