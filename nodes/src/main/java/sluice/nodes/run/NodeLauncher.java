package sluice.nodes.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import sluice.catalog.ResourceDescriptor;
import sluice.catalog.predicate.PredicateLimits;
import sluice.catalog.snapshot.SnapshotVerifier;
import sluice.crypto.pki.NodeCredentials;
import sluice.gateway.Gateway;
import sluice.gateway.Transport;
import sluice.gateway.audit.AuditKeyFile;
import sluice.gateway.policy.ConsumerRateLimit;
import sluice.nodes.config.ConfigException;
import sluice.nodes.config.FederationFile;
import sluice.nodes.config.NodeConfig;
import sluice.nodes.department.CsvRecords;
import sluice.nodes.department.DepartmentNode;
import sluice.nodes.department.JdbcRecordStore;
import sluice.nodes.department.MaskKeyFile;
import sluice.nodes.department.ServedResource;

/** Starts the node a configuration file describes, in this process. */
public final class NodeLauncher {
  private NodeLauncher() {}

  /**
   * @throws ConfigException when the configuration, its credentials or its data are unusable
   * @throws IOException when the server cannot bind its address
   */
  public static RunningNode start(NodeConfig.Resolved config, Transport transport)
      throws ConfigException, IOException {
    return start(config, transport, FederationFile.load(config.federation()));
  }

  /**
   * As {@link #start(NodeConfig.Resolved, Transport)}, with the federation file already read (a
   * process starting many nodes reads it once).
   */
  public static RunningNode start(NodeConfig.Resolved config, Transport transport, FederationFile.Directory directory)
      throws ConfigException, IOException {
    Optional<String> unlisted = unlisted(config, directory);
    if (unlisted.isPresent()) {
      throw new ConfigException(config.file() + ": " + unlisted.get());
    }
    NodeCredentials credentials = credentials(config);
    sluice.gateway.metrics.NodeMetrics metrics =
        config.metrics().isPresent() ? new sluice.gateway.metrics.NodeMetrics(config.id()) : null;
    try {
      RunningNode node = start(config, transport, directory, credentials, metrics);
      if (metrics == null) {
        return node;
      }
      sluice.gateway.metrics.MetricsEndpoint endpoint;
      try {
        endpoint = sluice.gateway.metrics.MetricsEndpoint.start(config.metrics().get(), metrics);
      } catch (IOException e) {
        node.close();
        throw new IOException(config.file() + ": metrics: cannot listen on " + config.metrics().get() + ": "
            + e.getMessage(), e);
      }
      return new RunningNode(node.id(), node.port(), () -> {
        endpoint.close();
        try {
          node.close();
        } finally {
          metrics.close();
        }
      }, Optional.of(endpoint.address()));
    } catch (ConfigException | IOException | RuntimeException e) {
      if (metrics != null) {
        metrics.close();
      }
      throw e;
    } catch (Exception e) {
      metrics.close();
      throw new IOException(e);
    }
  }

  /**
   * What is wrong with how the federation file lists the node {@code config} configures (so that
   * other nodes reach it), if anything: not at all, or as several instances while the node names
   * none of them, or without the instance it names.
   */
  public static Optional<String> unlisted(NodeConfig.Resolved config, FederationFile.Directory directory) {
    java.util.Map<String, java.net.InetSocketAddress> listed = directory.addresses().instances(config.id());
    String federation = config.federation().toString();
    if (listed.isEmpty()) {
      return Optional.of("federation: " + federation + " does not list " + config.id()
          + ", so no other node can reach it");
    }
    boolean several = !listed.containsKey(sluice.gateway.NodeAddresses.SOLE);
    if (config.instance().isEmpty() && several) {
      return Optional.of("instance: " + federation + " lists " + config.id() + " as instances " + listed.keySet()
          + "; name the one this is");
    }
    if (!config.instance().isEmpty() && !listed.containsKey(config.instance())) {
      return Optional.of("instance: " + federation + " lists no instance " + config.instance() + " of " + config.id()
          + (several ? " (it lists " + listed.keySet() + ")" : " (it lists one address, for a gateway run as one)"));
    }
    return Optional.empty();
  }

  /**
   * The credentials {@code config} names, which must be this node's.
   *
   * @throws ConfigException naming the file when they cannot be loaded or are another node's
   */
  public static NodeCredentials credentials(NodeConfig.Resolved config) throws ConfigException {
    NodeCredentials credentials;
    try {
      credentials = NodeCredentials.load(config.credentials());
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(
          config.file() + ": credentials: cannot load " + config.credentials() + ": " + e.getMessage(), e);
    }
    if (!credentials.id().equals(config.id())) {
      throw new ConfigException(config.file() + ": credentials: " + config.credentials() + " holds the certificates of "
          + credentials.id() + ", not " + config.id());
    }
    return credentials;
  }

  /** The call log's writer: standard output (left open) or a file appended to. */
  private static java.io.Writer callLogWriter(String where) {
    if (where.equals("stdout")) {
      return new java.io.FilterWriter(new java.io.OutputStreamWriter(System.out, java.nio.charset.StandardCharsets.UTF_8)) {
        @Override
        public void close() throws IOException {
          flush();
        }
      };
    }
    try {
      return java.nio.file.Files.newBufferedWriter(Path.of(where), java.nio.charset.StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("callLog: cannot open " + where + ": " + e.getMessage(), e);
    }
  }

  private static RunningNode start(NodeConfig.Resolved config, Transport transport, FederationFile.Directory directory,
      NodeCredentials credentials, sluice.gateway.metrics.NodeMetrics metrics) throws ConfigException, IOException {
    if (!config.id().isDepartment()) {
      Gateway.Builder builder =
          Gateway.builder()
              .credentials(credentials)
              .catalog(directory.catalog())
              .addresses(directory.addresses())
              .transport(transport)
              .listen(config.listen());
      try {
        builder.audit(config.audit(), AuditKeyFile.pseudonyms(config.credentials().resolve(AuditKeyFile.SUBJECT_KEY)));
      } catch (IOException e) {
        throw new ConfigException(config.file() + ": credentials: the federation's audit key: " + e.getMessage(), e);
      }
      builder.auditSettings(config.auditSettings());
      if (!config.instance().isEmpty()) {
        builder.instance(config.instance());
      }
      java.io.Writer calls = config.callLog().map(NodeLauncher::callLogWriter).orElse(null);
      if (calls != null) {
        builder.callLog(calls);
      }
      if (metrics != null) {
        builder.metrics(metrics);
      }
      config.auditIndex().ifPresent(url ->
          builder.auditIndex(url, config.auditIndexUser(), System.getenv().getOrDefault("SLUICE_DB_PASSWORD", "")));
      config.rateLimit().ifPresent(l -> builder.rateLimit(new ConsumerRateLimit(l.perSecond(), l.burst())));
      if (config.enforce()) {
        builder.watchCatalog(new SnapshotVerifier(credentials.trustRoots(), Clock.systemUTC(), transport.revocations()));
      }
      HubCatalog hubCatalog = null;
      if (config.catalogDatabase() != null) {
        hubCatalog = HubCatalog.open(config, credentials);
        builder.publishCatalog(hubCatalog.publisher()).stewardCatalog(hubCatalog.stewardService());
      }
      try {
        Gateway gateway = builder.start();
        HubCatalog owned = hubCatalog;
        return new RunningNode(
            config.id(),
            gateway.port(),
            () -> {
              gateway.close();
              if (owned != null) {
                owned.close();
              }
              if (calls != null) {
                calls.close();
              }
            });
      } catch (IOException | RuntimeException e) {
        if (hubCatalog != null) {
          hubCatalog.close();
        }
        if (calls != null) {
          calls.close();
        }
        throw e;
      }
    }
    DepartmentNode.Builder builder =
        DepartmentNode.builder().credentials(credentials).transport(transport).listen(config.listen());
    if (metrics != null) {
      builder.metrics(metrics);
    }
    for (Map.Entry<String, Path> e : config.data().entrySet()) {
      String where = config.file() + ": data." + e.getKey();
      ResourceDescriptor resource =
          directory
              .catalog()
              .find(e.getKey())
              .orElseThrow(
                  () ->
                      new ConfigException(
                          where + ": resource is not in the federation directory "
                              + config.federation()));
      if (!resource.provider().equals(config.id())) {
        throw new ConfigException(
            where + ": the directory names " + resource.provider() + " as its provider, not "
                + config.id());
      }
      try {
        builder.serve(
            new ServedResource(
                resource, CsvRecords.load(resource, e.getValue()), PredicateLimits.DEFAULT));
      } catch (IOException | IllegalArgumentException ex) {
        throw new ConfigException(where + ": " + ex.getMessage(), ex);
      }
    }
    List<JdbcRecordStore> stores = new ArrayList<>();
    try {
      for (Map.Entry<String, NodeConfig.JdbcSource> e : config.jdbc().entrySet()) {
        String where = config.file() + ": jdbc." + e.getKey();
        ResourceDescriptor resource = directory.catalog().find(e.getKey()).orElseThrow(
            () -> new ConfigException(where + ": resource is not in the federation directory " + config.federation()));
        if (!resource.provider().equals(config.id())) {
          throw new ConfigException(where + ": the directory names " + resource.provider() + " as its provider, not "
              + config.id());
        }
        NodeConfig.JdbcSource j = e.getValue();
        JdbcRecordStore store;
        try {
          store = JdbcRecordStore.open(resource, j.url(), j.user(), j.password(), j.table(), j.columns());
        } catch (IllegalArgumentException | IllegalStateException ex) {
          throw new ConfigException(where + ": " + ex.getMessage(), ex);
        }
        stores.add(store);
        builder.serve(new ServedResource(resource, store, PredicateLimits.DEFAULT));
      }
      try {
        MaskKeyFile.load(config.credentials(), config.id()).ifPresent(builder::maskKeys);
      } catch (IOException e) {
        throw new ConfigException(config.file() + ": credentials: " + e.getMessage(), e);
      }
      DepartmentNode node = builder.start();
      return new RunningNode(config.id(), node.port(), () -> {
        try {
          node.close();
        } finally {
          stores.forEach(JdbcRecordStore::close);
        }
      });
    } catch (ConfigException | IOException | RuntimeException e) {
      stores.forEach(JdbcRecordStore::close);
      throw e;
    }
  }
}
