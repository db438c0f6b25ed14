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

/** {@code sluice pki}: the federation's certificate authority, node certificates and their revocation. */
@Command(
    name = "pki",
    mixinStandardHelpOptions = true,
    description = "Federation PKI.",
    subcommands = {PkiCommand.Init.class, PkiCommand.Revoke.class})
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

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = {
        "Revoke a node's TLS and signing certificates: its issuing CA (its province's, or the root for",
        "national) signs a new revocation list, written to revoked.crl in the PKI folder. Every node",
        "configured with it (`revocations:`, as `sluice setup` and `sluice demo` lay out) refuses the",
        "node's certificates at the next TLS handshake, within a second or two. Issue the node new",
        "credentials to bring it back."
      },
      footer = {
        "",
        "Example:",
        "  sluice pki revoke --dir work/demo/pki --node prov-44/dept-tax",
        "",
        "Exit codes: 0 revoked, 1 failed, 2 usage error."
      })
  static final class Revoke implements Callable<Integer> {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", defaultValue = "pki", description = "The PKI folder (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--node", required = true, description = "The node whose certificates to revoke (repeatable).")
    List<String> nodes;

    @Override
    public Integer call() throws Exception {
      List<NodeId> ids = new java.util.ArrayList<>();
      for (String n : nodes) {
        try {
          ids.add(NodeId.parse(n));
        } catch (IllegalArgumentException e) {
          throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--node: " + e.getMessage());
        }
      }
      FederationPki pki;
      try {
        pki = FederationPki.open(dir);
      } catch (java.io.IOException e) {
        spec.commandLine().getErr().println("sluice: cannot open the PKI in " + dir + ": " + e.getMessage());
        return 1;
      }
      for (NodeId id : ids) {
        try {
          List<String> serials = pki.revoke(id, Instant.now());
          spec.commandLine().getOut().printf("revoked %s: certificates %s, listed in %s%n", id, String.join(", ", serials),
              pki.revocationFile());
        } catch (java.io.IOException e) {
          spec.commandLine().getErr().println("sluice: cannot revoke " + id + ": " + e.getMessage());
          return 1;
        }
      }
      return 0;
    }
  }
}
