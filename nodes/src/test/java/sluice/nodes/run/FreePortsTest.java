package sluice.nodes.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class FreePortsTest {
  @Test
  void portsAreDistinctFreeAndBelowTheEphemeralRange() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    List<Integer> ports = FreePorts.choose(loopback, 50);
    assertEquals(50, ports.size());
    assertEquals(50, new HashSet<>(ports).size(), ports.toString());
    int ephemeral = FreePorts.ephemeralStart();
    for (int port : ports) {
      assertTrue(port >= FreePorts.LOWEST && port < ephemeral, port + " outside [" + FreePorts.LOWEST + ", "
          + ephemeral + ")");
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(loopback, port));
      }
    }
  }
}
