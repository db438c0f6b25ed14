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
import sluice.v1.RequestContext;

/** Who asks, through which federation, about what, and why: the options {@code verify} and {@code query} share. */
final class ConsumerOptions {
  @Option(names = "--work", required = true, description = "The federation's work folder (from `sluice setup` or `sluice demo`).")
  Path work;

  @Option(names = "--as", required = true, description = "The consumer department, e.g. prov-11/dept-ca.")
  String consumer;

  @Option(names = "--resource", required = true, description = "Resource code, e.g. 3-44-002-001-000001.")
  String resource;

  @Option(names = "--subject", required = true, description = "The subject's key (citizen ID, credit code, ...).")
  String subject;

  @Option(names = "--purpose", required = true, description = "Declared purpose code.")
  String purpose;

  @Option(names = "--case", required = true, description = "Business case reference.")
  String caseReference;

  @Option(names = "--deadline-ms", defaultValue = "10000", description = "Deadline (default: ${DEFAULT-VALUE} ms).")
  long deadlineMs;

  RequestContext context() {
    return RequestContext.newBuilder().setPurposeCode(purpose).setCaseReference(caseReference).build();
  }

  /** A client for the consumer department, connected to its provincial gateway. */
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
    return new ConsumerClient(
        creds,
        directory.addresses().of(gateway)
            .orElseThrow(() -> new IllegalStateException(gateway + " has no address in federation.yaml")),
        transport,
        Duration.ofMillis(deadlineMs));
  }

  /** Prints why the call gave no trusted answer (refused, or a receipt that does not prove it); exit code 1. */
  static int failed(CommandSpec spec, Exception e) {
    if (e instanceof io.grpc.StatusRuntimeException r) {
      spec.commandLine().getErr().printf("refused: %s: %s%n", r.getStatus().getCode(), r.getStatus().getDescription());
    } else {
      spec.commandLine().getErr().println("answer not trusted: " + e.getMessage());
    }
    return 1;
  }
}
