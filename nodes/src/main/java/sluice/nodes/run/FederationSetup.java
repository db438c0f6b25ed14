package sluice.nodes.run;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import sluice.catalog.ResourceDescriptor;
import sluice.catalog.grant.AccessException;
import sluice.catalog.grant.AccessRequest;
import sluice.catalog.grant.AccessService;
import sluice.catalog.store.CatalogConflictException;
import sluice.catalog.store.Database;
import sluice.catalog.store.JdbcCatalogStore;
import sluice.catalog.store.JdbcGrantStore;
import sluice.crypto.NodeId;
import sluice.crypto.Province;
import sluice.crypto.pki.FederationPki;
import sluice.gateway.audit.AuditKeyFile;
import sluice.gateway.audit.SubjectPseudonyms;
import sluice.nodes.config.FederationFile;
import sluice.nodes.config.NodeConfig;
import sluice.nodes.department.MaskKeyFile;
import sluice.nodes.synth.DemoCatalogue;
import sluice.nodes.synth.GeneratedFederation;
import sluice.nodes.synth.GeneratedResource;
import sluice.nodes.synth.SyntheticData;

/**
 * Lays out a complete 1+32+N federation in a work folder: synthetic department data, the PKI
 * (root, 32 provincial intermediates, a certificate pair per node), the federation directory
 * and one configuration file per node, all on loopback.
 *
 * <pre>
 * work/
 *   data/&lt;resource&gt;.csv       department data, one file per resource
 *   pki/                        federation PKI (see FederationPki)
 *   federation.yaml             node addresses and resource directory
 *   nodes/&lt;node&gt;.yaml           one config per node, for `sluice node --config`
 *   hub-catalog/                the hub's catalogue and grants (with {@code withCatalogue})
 *   audit/&lt;gateway&gt;/            each gateway's audit log, checkpoints and query index
 * </pre>
 */
public final class FederationSetup {

  /**
   * @param dataProvinces provinces whose departments hold data (every province has a gateway)
   * @param basePort 0 to take free ports, else national = base, prov-CC = base + CC, departments
   *     from base + 100
   */
  public record Options(
      Set<Province> dataProvinces,
      int personsPerProvince,
      int companiesPerProvince,
      long seed,
      String host,
      int basePort,
      List<DemoGrant> catalogue,
      int departmentsPerProvince,
      Storage storage) {

    public static Options defaults() {
      return new Options(EnumSet.allOf(Province.class), 200, 60, 20261128L, "127.0.0.1", 0, null, 5, null);
    }

    public Options withDataProvinces(Collection<Province> provinces) {
      return new Options(EnumSet.copyOf(provinces), personsPerProvince, companiesPerProvince, seed, host, basePort, catalogue, departmentsPerProvince, storage);
    }

    public Options withPersonsPerProvince(int n) {
      return new Options(dataProvinces, n, companiesPerProvince, seed, host, basePort, catalogue, departmentsPerProvince, storage);
    }

    public Options withBasePort(int port) {
      return new Options(dataProvinces, personsPerProvince, companiesPerProvince, seed, host, port, catalogue, departmentsPerProvince, storage);
    }

    /**
     * Registers every resource in the hub's catalogue, approves {@code grants}, and has the hub
     * publish and every provincial gateway enforce the catalogue.
     */
    public Options withCatalogue(List<DemoGrant> grants) {
      return new Options(dataProvinces, personsPerProvince, companiesPerProvince, seed, host, basePort, List.copyOf(grants),
          departmentsPerProvince, storage);
    }

    /**
     * Keeps the hub's catalogue and every gateway's audit index in the database {@code storage}
     * names (PostgreSQL, say) instead of embedded H2 files; the nodes read its password from
     * {@code $SLUICE_DB_PASSWORD}.
     */
    public Options withStorage(Storage storage) {
      return new Options(dataProvinces, personsPerProvince, companiesPerProvince, seed, host, basePort, catalogue,
          departmentsPerProvince, storage);
    }

    /** Ten departments per province instead of the demo's five (scale tests), or any count from 5 to 10. */
    public Options withDepartmentsPerProvince(int n) {
      return new Options(dataProvinces, personsPerProvince, companiesPerProvince, seed, host, basePort, catalogue, n, storage);
    }
  }

  /** A database for the federation's stores: its JDBC URL, user and password. */
  public record Storage(String jdbcUrl, String user, String password) {
    @Override
    public String toString() {
      return "Storage[" + jdbcUrl + ", " + user + "]";
    }
  }

  /** A grant the layout approves for the demo: who may use which fields of what, and why. */
  public record DemoGrant(NodeId consumer, String resourceCode, List<String> fields, String purpose, long dailyQuota) {
    /** A grant of 10,000 subjects a day. */
    public DemoGrant(NodeId consumer, String resourceCode, List<String> fields, String purpose) {
      this(consumer, resourceCode, fields, purpose, 10_000);
    }
  }

  /** What was laid out. */
  public record Layout(
      Path workDir,
      Path federationFile,
      Path pkiDir,
      Map<NodeId, Path> nodeConfigs,
      Map<NodeId, InetSocketAddress> addresses,
      GeneratedFederation data) {

    public Path credentials(NodeId node) {
      return pkiDir.resolve("nodes").resolve(node.fileName());
    }

    /** Where a gateway keeps its audit log. */
    public Path auditDir(NodeId gateway) {
      return workDir.resolve("audit").resolve(gateway.fileName());
    }

    /** The federation's audit key, as auditors hold it. */
    public Path auditKey() {
      return pkiDir.resolve(AuditKeyFile.SUBJECT_KEY);
    }

    /** The federation's revocation lists, as every node here watches them ({@code sluice pki revoke} writes them). */
    public sluice.crypto.pki.Revocations revocations() {
      return sluice.crypto.pki.Revocations.watching(sluice.crypto.pki.FederationPki.revocationFile(pkiDir));
    }
  }

  private FederationSetup() {}

  /** Marks a folder as laid out by Sluice, so that tools may safely recreate it. */
  public static final String MARKER = ".sluice-work";

  public static Layout create(Path workDir, Options options) throws IOException {
    Files.createDirectories(workDir);
    Files.writeString(workDir.resolve(MARKER), "laid out by sluice; safe to delete\n");
    GeneratedFederation data =
        SyntheticData.builder()
            .seed(options.seed())
            .personsPerProvince(options.personsPerProvince())
            .companiesPerProvince(options.companiesPerProvince())
            .provinces(options.dataProvinces())
            .departmentsPerProvince(options.departmentsPerProvince())
            .build()
            .generate(workDir.resolve("data"));

    Set<NodeId> nodes = new TreeSet<>();
    nodes.add(NodeId.NATIONAL);
    for (Province p : Province.values()) {
      nodes.add(p.gatewayId());
    }
    Map<NodeId, List<GeneratedResource>> byProvider = new LinkedHashMap<>();
    for (GeneratedResource r : data.resources()) {
      nodes.add(r.descriptor().provider());
      byProvider.computeIfAbsent(r.descriptor().provider(), k -> new ArrayList<>()).add(r);
    }

    Path pki = workDir.resolve("pki");
    // Valid from a day ago, so that nodes whose clocks lag a little still accept each other.
    Instant from = Instant.now().minus(Duration.ofDays(1));
    SecureRandom random = new SecureRandom();
    FederationPki.init(pki, nodes, from, Duration.ofDays(366), random);
    byte[] auditKey = new byte[SubjectPseudonyms.KEY_LENGTH];
    random.nextBytes(auditKey);
    AuditKeyFile.write(pki.resolve(AuditKeyFile.SUBJECT_KEY), auditKey);
    for (NodeId node : nodes) {
      Path credentials = pki.resolve("nodes").resolve(node.fileName());
      if (node.isDepartment()) {
        MaskKeyFile.create(credentials, random);
      } else {
        AuditKeyFile.write(credentials.resolve(AuditKeyFile.SUBJECT_KEY), auditKey);
      }
    }

    Map<NodeId, InetSocketAddress> addresses = assignPorts(nodes, options);
    Path federationFile = workDir.resolve("federation.yaml");
    List<ResourceDescriptor> descriptors =
        data.resources().stream().map(GeneratedResource::descriptor).toList();
    FederationFile.of(addresses, descriptors).write(federationFile);

    boolean catalogue = options.catalogue() != null;
    if (catalogue) {
      registerCatalogue(options.storage() == null ? Database.h2(workDir.resolve("hub-catalog"))
          : Database.open(options.storage().jdbcUrl(), options.storage().user(), options.storage().password()),
          descriptors, options.catalogue());
    }
    Storage storage = options.storage();
    Map<NodeId, Path> configs = new LinkedHashMap<>();
    for (NodeId node : nodes) {
      Map<String, String> files = new LinkedHashMap<>();
      for (GeneratedResource r : byProvider.getOrDefault(node, List.of())) {
        files.put(r.descriptor().code(), "../data/" + r.csvFile().getFileName());
      }
      Path file = workDir.resolve("nodes").resolve(node.fileName() + ".yaml");
      new NodeConfig(
              node.toString(),
              addresses.get(node).getHostString() + ":" + addresses.get(node).getPort(),
              "../pki/nodes/" + node.fileName(),
              "../federation.yaml",
              "../pki/" + sluice.crypto.pki.FederationPki.REVOCATION_FILE,
              files.isEmpty() ? null : files,
              catalogue && node.isHub() ? (storage == null ? "../hub-catalog" : storage.jdbcUrl()) : null,
              catalogue && node.isHub() && storage != null ? storage.user() : null,
              catalogue && node.isProvince() ? Boolean.TRUE : null,
              null,
              node.isDepartment() ? null : "../audit/" + node.fileName(),
              node.isDepartment() || storage == null ? null : storage.jdbcUrl(),
              node.isDepartment() || storage == null ? null : storage.user(),
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null)
          .write(file);
      configs.put(node, file);
    }
    return new Layout(workDir, federationFile, pki, configs, addresses, data);
  }

  private static void registerCatalogue(Database database, List<ResourceDescriptor> resources, List<DemoGrant> grants)
      throws IOException {
    try (Database db = database) {
      JdbcCatalogStore catalog = new JdbcCatalogStore(db, Clock.systemUTC());
      for (ResourceDescriptor r : resources) {
        catalog.register(DemoCatalogue.entryFor(r));
      }
      AccessService access = new AccessService(catalog, new JdbcGrantStore(db), Clock.systemUTC(), new SecureRandom());
      for (DemoGrant g : grants) {
        AccessRequest req = access.request(g.consumer(), g.resourceCode(), g.fields(), List.of(g.purpose()),
            "demo: 《政务信息资源共享管理暂行办法》", 365, g.dailyQuota());
        access.approve(req.id(), "demo steward", "demo grant");
      }
    } catch (CatalogConflictException | AccessException e) {
      throw new IOException("cannot register the demo catalogue: " + e.getMessage(), e);
    }
  }

  private static Map<NodeId, InetSocketAddress> assignPorts(Set<NodeId> nodes, Options options)
      throws IOException {
    Map<NodeId, InetSocketAddress> out = new LinkedHashMap<>();
    int nextDepartment = options.basePort() + 100;
    List<Integer> free = options.basePort() == 0
        ? FreePorts.choose(InetAddress.getByName(options.host()), nodes.size()) : List.of();
    int i = 0;
    for (NodeId node : nodes) {
      int port;
      if (options.basePort() == 0) {
        port = free.get(i++);
      } else if (node.isHub()) {
        port = options.basePort();
      } else if (node.isProvince()) {
        port = options.basePort() + node.provinceOf().orElseThrow().code();
      } else {
        port = nextDepartment++;
      }
      out.put(node, new InetSocketAddress(options.host(), port));
    }
    return out;
  }
}
