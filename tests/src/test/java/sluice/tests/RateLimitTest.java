package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.NodeId;
import sluice.gateway.Transport;
import sluice.gateway.client.ConsumerClient;
import sluice.nodes.config.NodeConfig;
import sluice.nodes.run.FederationSetup;
import sluice.nodes.run.LocalFederation;
import sluice.v1.Operator;
import sluice.v1.VerifyRequest;

/**
 * A provincial gateway configured with a rate limit lets each consumer a burst of calls into its
 * departments, then refuses with RESOURCE_EXHAUSTED and when to retry (google.rpc.RetryInfo),
 * and lets calls through again once the bucket refills.
 */
class RateLimitTest {
  @TempDir Path work;

  @Test
  void aConsumerOverItsBurstIsToldWhenToRetry() throws Exception {
    FederationSetup.Layout layout = Fixtures.beijingAndGuangdong(work, 30);
    NodeId gd = NodeId.parse("prov-44");
    Path config = layout.nodeConfigs().get(gd);
    NodeConfig.read(config).withRateLimit(new NodeConfig.RateLimit(0.5, 3)).write(config);
    var csv = layout.data().resource("3-44-002-001-000001").orElseThrow();
    VerifyRequest q = VerifyRequest.newBuilder()
        .setContext(Fixtures.context())
        .setResourceCode(csv.descriptor().code())
        .setSubjectKey(csv.sampleKeys().get(0))
        .setPredicate(Fixtures.cmp("enrolled", Operator.EXISTS))
        .build();
    try (Transport transport = Transport.create();
        LocalFederation federation = LocalFederation.start(layout, transport, Fixtures::inBeijingOrGuangdong);
        ConsumerClient client = federation.consumer(NodeId.parse("prov-11/dept-ca"), Fixtures.DEADLINE)) {
      federation.awaitReady(java.time.Duration.ofSeconds(20));
      for (int i = 0; i < 3; i++) {
        client.verify(q);
      }
      StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> client.verify(q));
      assertEquals(io.grpc.Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode());
      assertTrue(e.getStatus().getDescription().matches(
          "prov-44 refused: prov-11/dept-ca is over its limit of 0.5 calls/s \\(burst 3\\); retry in \\d+ ms"),
          e.getStatus().getDescription());
      RetryInfo retry = StatusProto.fromThrowable(e).getDetails(0).unpack(RetryInfo.class);
      long waitMs = retry.getRetryDelay().getSeconds() * 1000 + retry.getRetryDelay().getNanos() / 1_000_000;
      assertTrue(waitMs > 0 && waitMs <= 2000, "one call comes back within 2 s at 0.5/s, not " + waitMs);
      Thread.sleep(waitMs + 50);
      assertEquals(q.getResourceCode(), client.verify(q).receipt().getResourceCode(), "admitted again after the wait");
    }
  }
}
