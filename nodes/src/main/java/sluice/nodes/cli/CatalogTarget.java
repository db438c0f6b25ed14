package sluice.nodes.cli;

import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import sluice.catalog.store.Database;
import sluice.crypto.NodeId;
import sluice.crypto.pki.NodeCredentials;
import sluice.gateway.NodeChannels;
import sluice.gateway.Transport;
import sluice.gateway.catalog.Actor;
import sluice.nodes.config.ConfigException;
import sluice.nodes.config.FederationFile;

/**
 * Where the {@code catalog} and {@code access} commands act: with {@code --work}, as the
 * department {@code --as} through its provincial gateway in a running federation (what stewards
 * do); otherwise directly on the hub's catalogue database {@code --store} (what the hub's
 * operator does, e.g. before the federation starts).
 */
final class CatalogTarget {
  @Option(
      names = "--work",
      description = "A running federation's work folder (from `sluice setup` or `sluice demo --serve`): act through"
          + " CatalogService at the --as department's provincial gateway.")
  Path work;

  @Option(
      names = "--as",
      description = "The department acting, e.g. prov-44/dept-hrss (needed with --work; with --store, the consumer a"
          + " request is filed for).")
  String as;

  @Option(
      names = "--store",
      defaultValue = "work/catalog",
      description = "Without --work: the hub's catalogue, an embedded H2 folder or a jdbc: URL (default: ${DEFAULT-VALUE}).")
  String store;

  @Option(names = "--db-user", defaultValue = "sluice", description = "Database user for a jdbc: URL.")
  String user;

  @Option(names = "--db-password-env", defaultValue = "SLUICE_DB_PASSWORD",
      description = "Environment variable holding the database password (default: ${DEFAULT-VALUE}).")
  String passwordEnv;

  @Option(names = "--deadline-ms", defaultValue = "10000", description = "With --work: deadline per call (default: ${DEFAULT-VALUE} ms).")
  long deadlineMs;

  StewardCatalog open(CommandSpec spec) throws IOException, ConfigException {
    NodeId me = null;
    if (as != null) {
      try {
        me = NodeId.parse(as);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--as: " + e.getMessage());
      }
      if (!me.isDepartment()) {
        throw new ParameterException(spec.commandLine(), "--as must be a department, not " + me);
      }
    }
    if (work == null) {
      return new DirectCatalog(
          store.startsWith("jdbc:")
              ? Database.open(store, user, System.getenv().getOrDefault(passwordEnv, ""))
              : Database.h2(Path.of(store)),
          Actor.operator(me));
    }
    if (me == null) {
      throw new ParameterException(spec.commandLine(), "--work needs --as: the department you act for");
    }
    FederationFile.Directory directory = FederationFile.load(work.resolve("federation.yaml"));
    NodeCredentials creds = NodeCredentials.load(work.resolve("pki").resolve("nodes").resolve(me.fileName()));
    Transport transport = Transport.create();
    return new GatewayCatalog(
        new NodeChannels(creds, directory.addresses(), transport), me.gateway().orElseThrow(), deadlineMs, transport);
  }

  /** Runs {@code action} on the catalogue, printing a refusal (status and reason) instead of failing. */
  int run(CommandSpec spec, Action action) throws IOException, ConfigException {
    try (StewardCatalog catalog = open(spec)) {
      action.run(catalog, spec.commandLine().getOut());
      return 0;
    } catch (StatusRuntimeException e) {
      spec.commandLine().getErr().println(e.getStatus().getCode() + ": " + e.getStatus().getDescription());
      return 1;
    }
  }

  interface Action {
    void run(StewardCatalog catalog, java.io.PrintWriter out) throws IOException;
  }
}
