package sluice.nodes.cli;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sluice.crypto.NodeId;
import sluice.crypto.Province;
import sluice.crypto.pki.FederationPki;

/** {@code sluice pki init}: the federation's certificate authority and node certificates. */
@Command(
    name = "pki",
    mixinStandardHelpOptions = true,
    description = "Federation PKI.",
    subcommands = PkiCommand.Init.class)
final class PkiCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description = {
        "Create a root CA, an intermediate CA per province (32), and TLS and SM2 signing",
        "certificates for the hub, every provincial gateway and the listed departments."
      })
  static final class Init implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "pki", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(
        names = "--departments",
        split = ",",
        defaultValue = "psb,hrss,samr,tax,ca",
        description = "Department names created in every province (default: ${DEFAULT-VALUE}).")
    List<String> departments;

    @Option(names = "--node", description = "Extra node id, e.g. prov-44/dept-health (repeatable).")
    List<String> extra = List.of();

    @Option(names = "--validity-days", defaultValue = "365", description = "Certificate validity (default: ${DEFAULT-VALUE}).")
    int validityDays;

    @Override
    public Integer call() throws Exception {
      Set<NodeId> nodes = new TreeSet<>();
      nodes.add(NodeId.NATIONAL);
      for (Province p : Province.values()) {
        nodes.add(p.gatewayId());
        for (String d : departments) {
          nodes.add(NodeId.department(p, d.trim()));
        }
      }
      for (String e : extra) {
        nodes.add(NodeId.parse(e));
      }
      FederationPki.init(dir, nodes, Instant.now(), Duration.ofDays(validityDays), new SecureRandom());
      System.out.println("sluice: issued certificates for " + nodes.size() + " nodes in " + dir);
      return 0;
    }
  }
}
