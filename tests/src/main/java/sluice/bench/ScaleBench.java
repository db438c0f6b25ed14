package sluice.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import sluice.crypto.NodeId;
import sluice.gateway.Transport;
import sluice.nodes.run.FederationSetup;
import sluice.nodes.run.LocalFederation;

/**
 * {@code sluice bench scale}: how long the whole demo federation (the hub, 32 provincial gateways
 * and every province's departments) takes to lay out and to start in one JVM, and the heap it
 * holds once started. Run it under the heap limit to check, e.g.
 * {@code SLUICE_JAVA_OPTS=-Xmx2g ./sluice bench scale} (the demo's five departments per province)
 * or {@code ... bench scale --departments 10} (1 + 32 + 320 nodes).
 */
final class ScaleBench {
  private ScaleBench() {}

  static void run(String[] args) throws Exception {
    int perProvince = 5;
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--departments")) {
        perProvince = Integer.parseInt(args[i + 1]);
      } else {
        throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = Files.createTempDirectory("sluice-scale-bench");
    try {
      long t0 = System.nanoTime();
      FederationSetup.Layout layout = FederationSetup.create(work,
          FederationSetup.Options.defaults().withDepartmentsPerProvince(perProvince));
      double laidOut = (System.nanoTime() - t0) / 1e9;
      long departments = layout.nodeConfigs().keySet().stream().filter(NodeId::isDepartment).count();
      long gateways = layout.nodeConfigs().size() - departments;
      try (Transport transport = Transport.create()) {
        long t1 = System.nanoTime();
        try (LocalFederation federation = LocalFederation.start(layout, transport, n -> true)) {
          federation.awaitReady(Duration.ofMinutes(5));
          double started = (System.nanoTime() - t1) / 1e9;
          System.gc();
          System.gc();
          long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
          long max = Runtime.getRuntime().maxMemory();
          System.out.printf("federation of %d gateways (hub included) and %d departments: laid out in %.1f s "
                  + "(keys, certificates, synthetic data), started and all serving in %.1f s; heap in use after GC "
                  + "%,d MB of %,d MB allowed; %d live threads%n",
              gateways, departments, laidOut, started, heap >> 20, max >> 20,
              ManagementFactory.getThreadMXBean().getThreadCount());
        }
      }
    } finally {
      Bench.deleteTree(work);
    }
  }
}
