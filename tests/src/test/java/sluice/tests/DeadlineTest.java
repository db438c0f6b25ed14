package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sluice.tests.Fixtures.cmp;
import static sluice.tests.Fixtures.request;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import sluice.catalog.predicate.PredicateLimits;
import sluice.catalog.predicate.Record;
import sluice.crypto.NodeId;
import sluice.crypto.Province;
import sluice.gateway.Transport;
import sluice.gateway.client.ConsumerClient;
import sluice.nodes.department.DepartmentNode;
import sluice.nodes.department.RecordStore;
import sluice.nodes.department.ServedResource;
import sluice.nodes.run.FederationSetup;
import sluice.nodes.run.LocalFederation;
import sluice.v1.Operator;

/**
 * A caller's deadline travels with the call through every gateway to the department node, and a
 * stalled department costs the caller no more than its deadline; with the hub down,
 * cross-province calls fail fast naming it while calls within a province go on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeadlineTest {
  static final NodeId STALLED = NodeId.parse("prov-44/dept-hrss");
  static final String RESOURCE = "3-44-002-001-000001";

  @TempDir static Path work;
  static Transport transport;
  static LocalFederation federation;
  static DepartmentNode stalled;
  static final AtomicReference<Deadline> seenDeadline = new AtomicReference<>();
  static final CountDownLatch cancelled = new CountDownLatch(1);

  /** A store that blocks until the call is cancelled, noting the deadline it arrived with. */
  static final class StallingStore implements RecordStore {
    @Override
    public Optional<Record> find(String subjectKey) {
      Context ctx = Context.current();
      seenDeadline.set(ctx.getDeadline());
      CountDownLatch done = new CountDownLatch(1);
      ctx.addListener(c -> done.countDown(), Runnable::run);
      try {
        if (done.await(30, TimeUnit.SECONDS)) {
          cancelled.countDown();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Optional.empty();
    }

    @Override
    public long size() {
      return 0;
    }

    @Override
    public void forEach(java.util.function.BiConsumer<String, Record> action) {}
  }

  @BeforeAll
  static void start() throws Exception {
    FederationSetup.Layout layout =
        Fixtures.beijingAndGuangdong(work, 20);
    transport = Transport.create();
    stalled =
        DepartmentNode.builder()
            .credentials(Fixtures.credentials(layout, STALLED))
            .transport(transport)
            .listen(layout.addresses().get(STALLED))
            .serve(
                new ServedResource(
                    layout.data().resource(RESOURCE).orElseThrow().descriptor(),
                    new StallingStore(),
                    PredicateLimits.DEFAULT))
            .start();
    federation =
        LocalFederation.start(
            layout,
            transport,
            n -> !n.equals(STALLED) && Fixtures.inBeijingOrGuangdong(n));
  }

  @AfterAll
  static void stop() {
    federation.close();
    stalled.close();
    transport.close();
  }

  @Test
  @Order(1)
  void deadlinePropagatesAcrossProvincesAndCancelsTheStalledCall() throws Exception {
    try (ConsumerClient bj =
        federation.consumer(NodeId.parse("prov-11/dept-ca"), java.time.Duration.ofMillis(1500))) {
      long t = System.nanoTime();
      StatusRuntimeException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              StatusRuntimeException.class,
              () -> bj.verify(request(RESOURCE, "11010519491231002X", cmp("id_number", Operator.EXISTS))));
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t);
      assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
      assertTrue(ms < 5_000, "caller waited " + ms + " ms on a 1500 ms deadline");
    }
    Deadline d = seenDeadline.get();
    assertNotNull(d, "the department saw no deadline: it was not propagated");
    assertTrue(d.timeRemaining(TimeUnit.MILLISECONDS) <= 1500, "propagated deadline is the caller's");
    assertTrue(cancelled.await(10, TimeUnit.SECONDS), "the department's call was cancelled at the deadline");
  }

  @Test
  @Order(2)
  void withTheHubDownCrossProvinceFailsFastAndTheProvinceCarriesOn() throws Exception {
    federation.stop(NodeId.NATIONAL);
    String resident =
        federation.layout().data().resource("3-44-001-001-000001").orElseThrow().sampleKeys().get(0);
    try (ConsumerClient bj = federation.consumer(NodeId.parse("prov-11/dept-ca"), java.time.Duration.ofSeconds(10));
        ConsumerClient gd = federation.consumer(NodeId.parse("prov-44/dept-ca"), java.time.Duration.ofSeconds(10))) {
      long t = System.nanoTime();
      StatusRuntimeException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              StatusRuntimeException.class,
              () -> bj.verify(request("3-44-001-001-000001", resident, cmp("id_number", Operator.EXISTS))));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
      assertTrue(e.getStatus().getDescription().contains("node national is unreachable"), e.getStatus().getDescription());
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t) < 5_000, "failed fast");
      assertEquals(
          sluice.v1.Answer.TRUE,
          gd.verify(request("3-44-001-001-000001", resident, cmp("id_number", Operator.EXISTS))).response().getAnswer());
    }
  }
}
