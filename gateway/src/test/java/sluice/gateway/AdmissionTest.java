package sluice.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import sluice.crypto.NodeId;

class AdmissionTest {
  static final NodeId GD = NodeId.parse("prov-44");
  static final NodeId BJ = NodeId.parse("prov-11");
  static final NodeId GD_CA = NodeId.parse("prov-44/dept-ca");
  static final NodeId BJ_CA = NodeId.parse("prov-11/dept-ca");

  final Admission gateway = new Admission(GD);
  final Admission hub = new Admission(NodeId.NATIONAL);

  static String denied(Runnable r) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, r::run);
    assertEquals(Status.Code.PERMISSION_DENIED, e.getStatus().getCode());
    return e.getStatus().getDescription();
  }

  @Test
  void aGatewayServesItsOwnDepartmentsAsThemselves() {
    assertEquals(GD_CA, gateway.consumer(GD_CA, Optional.empty()));
    assertEquals(GD_CA, gateway.consumer(GD_CA, Optional.of("prov-44/dept-ca")));
    assertTrue(denied(() -> gateway.consumer(GD_CA, Optional.of("prov-44/dept-psb"))).contains("on behalf of"));
  }

  @Test
  void aGatewayRefusesOtherProvincesDepartmentsAndGateways() {
    assertTrue(denied(() -> gateway.consumer(BJ_CA, Optional.empty())).contains("own provincial gateway prov-11"));
    assertTrue(denied(() -> gateway.consumer(BJ, Optional.of("prov-11/dept-ca"))).contains("national hub"));
  }

  @Test
  void aGatewayTrustsTheHubForOtherProvincesConsumersOnly() {
    assertEquals(BJ_CA, gateway.consumer(NodeId.NATIONAL, Optional.of("prov-11/dept-ca")));
    assertTrue(denied(() -> gateway.consumer(NodeId.NATIONAL, Optional.of("prov-44/dept-ca"))).contains("directly"));
    assertTrue(denied(() -> gateway.consumer(NodeId.NATIONAL, Optional.empty())).contains("without naming"));
    assertTrue(denied(() -> gateway.consumer(NodeId.NATIONAL, Optional.of("prov-11"))).contains("not a department"));
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> gateway.consumer(NodeId.NATIONAL, Optional.of("prov-99/dept-x")));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
  }

  @Test
  void theHubServesGatewaysForTheirOwnDepartmentsOnly() {
    assertEquals(BJ_CA, hub.consumer(BJ, Optional.of("prov-11/dept-ca")));
    assertTrue(denied(() -> hub.consumer(BJ, Optional.of("prov-44/dept-ca"))).contains("only for its own departments"));
    assertTrue(denied(() -> hub.consumer(BJ_CA, Optional.empty())).contains("only from provincial gateways"));
  }

  @Test
  void departmentsAreNotGateways() {
    assertThrows(IllegalArgumentException.class, () -> new Admission(GD_CA));
  }
}
