package sluice.nodes.cli;

import java.io.IOException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sluice.gateway.Transport;
import sluice.gateway.client.ConsumerClient;
import sluice.nodes.config.ConfigException;
import sluice.v1.RequestContext;

/** Who asks, through which federation, about what, and why: the options {@code verify} and {@code query} share. */
final class ConsumerOptions {
  @Mixin DepartmentLogin login;

  @Option(names = "--resource", required = true, description = "Resource code, e.g. 3-44-002-001-000001.")
  String resource;

  @Option(names = "--subject", required = true, description = "The subject's key (citizen ID, credit code, ...).")
  String subject;

  @Mixin PurposeOptions why;

  RequestContext context() {
    return why.context();
  }

  /** A client for the consumer department, connected to its provincial gateway. */
  ConsumerClient connect(CommandSpec spec, Transport transport) throws IOException, ConfigException {
    return login.connect(spec, transport);
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
