package sluice.nodes.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sluice.gateway.Transport;
import sluice.nodes.config.NodeConfig;
import sluice.nodes.run.NodeLauncher;
import sluice.nodes.run.RunningNode;

/** {@code sluice node --config FILE}: runs one node as its own process until stopped. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = "Run one node (hub, provincial gateway or department) from its config file.")
final class NodeCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, description = "The node's YAML configuration.")
  Path config;

  @Override
  public Integer call() throws Exception {
    NodeConfig.Resolved resolved = NodeConfig.load(config);
    if (resolved.jsonLogs()) {
      for (java.util.logging.Handler h : java.util.logging.Logger.getLogger("").getHandlers()) {
        h.setFormatter(new sluice.nodes.run.JsonLogFormatter(resolved.id().toString()));
      }
    }
    Transport transport = Transport.create(resolved.revocations()
        .map(sluice.crypto.pki.Revocations::watching).orElse(sluice.crypto.pki.Revocations.none()));
    RunningNode node = NodeLauncher.start(resolved, transport);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    node.close();
                  } catch (Exception e) {
                    System.err.println("sluice: error while stopping " + node.id() + ": " + e);
                  }
                  transport.close();
                  stopped.countDown();
                }));
    System.out.println(
        "sluice: node " + node.id() + " listening on " + resolved.listen().getHostString() + ":"
            + node.port() + (resolved.instance().isEmpty() ? "" : " (instance " + resolved.instance() + ")"));
    node.metrics().ifPresent(m -> System.out.println(
        "sluice: node " + node.id() + " serves metrics at http://" + m.getHostString() + ":" + m.getPort() + "/metrics"));
    System.out.flush();
    stopped.await();
    return 0;
  }
}
