package sluice.nodes.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import sluice.crypto.NodeId;
import sluice.crypto.pki.NodeCredentials;
import sluice.gateway.Transport;
import sluice.gateway.client.ConsumerClient;
import sluice.nodes.config.ConfigException;
import sluice.nodes.config.FederationFile;

/** Which federation, as which department: the options every consumer command shares. */
final class DepartmentLogin {
  @Option(names = "--work", required = true, description = "The federation's work folder (from `sluice setup` or `sluice demo`).")
  Path work;

  @Option(names = "--as", required = true, description = "The consumer department, e.g. prov-11/dept-ca.")
  String consumer;

  @Option(names = "--deadline-ms", defaultValue = "10000", description = "Deadline (default: ${DEFAULT-VALUE} ms).")
  long deadlineMs;

  /** The federation's revocation lists in the work folder: the gateway's certificate is checked against them. */
  sluice.crypto.pki.Revocations revocations() {
    return sluice.crypto.pki.Revocations.watching(sluice.crypto.pki.FederationPki.revocationFile(work.resolve("pki")));
  }

  /** A client for the department, connected to its provincial gateway. */
  ConsumerClient connect(CommandSpec spec, Transport transport) throws IOException, ConfigException {
    NodeId me;
    try {
      me = NodeId.parse(consumer);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--as: " + e.getMessage());
    }
    if (!me.isDepartment()) {
      throw new ParameterException(spec.commandLine(), "--as must be a department, not " + me);
    }
    FederationFile.Directory directory = FederationFile.load(work.resolve("federation.yaml"));
    NodeId gateway = me.gateway().orElseThrow();
    NodeCredentials creds = NodeCredentials.load(work.resolve("pki").resolve("nodes").resolve(me.fileName()));
    java.util.List<java.net.InetSocketAddress> at = directory.addresses().of(gateway);
    if (at.isEmpty()) {
      throw new IllegalStateException(gateway + " has no address in federation.yaml");
    }
    return new ConsumerClient(
        creds,
        at,
        transport,
        Duration.ofMillis(deadlineMs));
  }
}
