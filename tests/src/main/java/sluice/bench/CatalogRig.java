package sluice.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import sluice.catalog.ResourceCatalog;
import sluice.catalog.entry.CatalogueEntries;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.grant.AccessService;
import sluice.catalog.predicate.PredicateLimits;
import sluice.catalog.snapshot.SnapshotSigner;
import sluice.catalog.snapshot.SnapshotVerifier;
import sluice.catalog.store.Database;
import sluice.catalog.store.JdbcCatalogStore;
import sluice.catalog.store.JdbcGrantStore;
import sluice.crypto.NodeId;
import sluice.crypto.Province;
import sluice.crypto.Sm2;
import sluice.crypto.pki.NodeCredentials;
import sluice.gateway.Gateway;
import sluice.gateway.NodeAddresses;
import sluice.gateway.Transport;
import sluice.gateway.catalog.CatalogFeed;
import sluice.gateway.catalog.CatalogPublisher;
import sluice.gateway.catalog.CatalogOperations;
import sluice.gateway.catalog.HubCatalogService;
import sluice.gateway.client.ConsumerClient;
import sluice.nodes.department.CsvRecords;
import sluice.nodes.department.DepartmentNode;
import sluice.nodes.department.MaskKeyFile;
import sluice.nodes.department.ServedResource;
import sluice.nodes.run.FederationSetup;

/**
 * A small federation with catalogue distribution on: the hub publishes from its own catalogue
 * database, Beijing's and Guangdong's gateways watch and enforce, and Guangdong's social
 * insurance department answers under the catalogue entry {@code entry}. The hub serves the
 * stewards' CatalogService; the provincial gateways forward to it. For tests and benches.
 */
public final class CatalogRig implements AutoCloseable {
  public static final NodeId BJ = NodeId.parse("prov-11");
  public static final NodeId GD = NodeId.parse("prov-44");
  public static final NodeId PROVIDER = NodeId.parse("prov-44/dept-hrss");
  public static final NodeId CONSUMER = NodeId.parse("prov-11/dept-ca");

  /** A resource of the consumer department's own (its PSI sets are drawn from it), in the gateways' directory. */
  public static final sluice.catalog.ResourceDescriptor RECEIVER_RESOURCE =
      sluice.nodes.synth.DemoResources.dibao(Province.BEIJING);

  public final FederationSetup.Layout layout;
  public final Transport transport;
  public final Database db;
  public final AccessService access;
  public final CatalogueEntry entry;
  public final SnapshotVerifier bjSnapshots;
  public final Gateway hub;
  public final String subject;
  /** Every message the provider department receives and sends. */
  public final MessageTap providerTap = new MessageTap();
  /** Guangdong's gateway's metrics (calls, audit, PSI progress). */
  public final sluice.gateway.metrics.NodeMetrics gdMetrics = new sluice.gateway.metrics.NodeMetrics(NodeId.parse("prov-44"));
  /** Where the provider department spills PSI tags. */
  public final Path providerSpill;
  private final CatalogFeed feed;
  private final List<AutoCloseable> nodes = new ArrayList<>();
  private final java.util.Map<NodeId, Gateway> gateways = new java.util.HashMap<>();

  /**
   * @param entryYaml the catalogue entry to register (its provider must be prov-44/dept-hrss)
   * @param poll how often the hub looks for catalogue changes
   */
  public CatalogRig(Path work, Path entryYaml, Duration poll) throws Exception {
    this(work, entryYaml, poll, sluice.gateway.audit.AuditLogSettings.defaults());
  }

  /**
   * @param gdAudit the audit log settings of Guangdong's gateway (the others keep the defaults)
   */
  public CatalogRig(Path work, Path entryYaml, Duration poll, sluice.gateway.audit.AuditLogSettings gdAudit)
      throws Exception {
    this(work, entryYaml, poll, gdAudit, csv -> csv);
  }

  /**
   * @param providerData given the provider's generated CSV, the CSV it serves instead (a bench's
   *     larger set)
   */
  public CatalogRig(Path work, Path entryYaml, Duration poll, sluice.gateway.audit.AuditLogSettings gdAudit,
      java.util.function.UnaryOperator<Path> providerData) throws Exception {
    this(work, entryYaml, poll, gdAudit, providerData, sluice.gateway.psi.TagSpill.PARTITION_TAGS);
  }

  /**
   * @param providerPartitionTags tags per partition when the provider department spills a PSI
   *     session's tags (under {@link #providerSpill})
   */
  public CatalogRig(Path work, Path entryYaml, Duration poll, sluice.gateway.audit.AuditLogSettings gdAudit,
      java.util.function.UnaryOperator<Path> providerData, int providerPartitionTags) throws Exception {
    providerSpill = work.resolve("provider-psi-spill");
    layout =
        FederationSetup.create(
            work,
            FederationSetup.Options.defaults()
                .withDataProvinces(java.util.Set.of(Province.BEIJING, Province.GUANGDONG))
                .withPersonsPerProvince(60));
    transport = Transport.create();
    entry = CatalogueEntries.read(entryYaml);
    db = Database.h2(work.resolve("hub-catalog"));
    JdbcCatalogStore catalog = new JdbcCatalogStore(db, Clock.systemUTC());
    JdbcGrantStore grants = new JdbcGrantStore(db);
    catalog.register(entry);
    access = new AccessService(catalog, grants, Clock.systemUTC(), new SecureRandom());

    var csv = layout.data().resource("3-44-002-001-000001").orElseThrow();
    subject = csv.sampleKeys().get(0);
    nodes.add(
        DepartmentNode.builder()
            .credentials(credentials(PROVIDER))
            .transport(transport)
            .listen(layout.addresses().get(PROVIDER))
            .serve(new ServedResource(entry.descriptor(), CsvRecords.load(entry.descriptor(), providerData.apply(csv.csvFile())),
                PredicateLimits.DEFAULT))
            .maskKeys(MaskKeyFile.load(layout.credentials(PROVIDER), PROVIDER).orElseThrow())
            .intercept(providerTap)
            .psiSpill(providerSpill, providerPartitionTags)
            .start());
    NodeCredentials national = credentials(NodeId.NATIONAL);
    CatalogPublisher publisher =
        new CatalogPublisher(new SnapshotSigner(Sm2.signer(national.signingKey()), national.signingChain()), Clock.systemUTC());
    feed = new CatalogFeed(db, catalog, grants, publisher).start(poll);
    // Beijing's departments' resources too: a Beijing department's PSI set is drawn from one.
    List<sluice.catalog.ResourceDescriptor> known = new ArrayList<>(List.of(entry.descriptor()));
    known.addAll(sluice.nodes.synth.DemoResources.forProvince(Province.BEIJING));
    ResourceCatalog directory = ResourceCatalog.of(known);
    NodeAddresses addresses = NodeAddresses.single(layout.addresses());
    HubCatalogService stewardService = new HubCatalogService(
        NodeId.NATIONAL, new CatalogOperations(catalog, grants, access, feed::changed, Clock.systemUTC()), publisher);
    hub = Gateway.builder().credentials(national).catalog(directory).addresses(addresses).transport(transport)
        .listen(layout.addresses().get(NodeId.NATIONAL)).audit(layout.auditDir(NodeId.NATIONAL), auditKey()).publishCatalog(publisher).stewardCatalog(stewardService).start();
    bjSnapshots = new SnapshotVerifier(national.trustRoots(), Clock.systemUTC());
    gateways.put(NodeId.NATIONAL, hub);
    for (NodeId id : List.of(GD, BJ)) {
      Gateway.Builder builder = Gateway.builder().credentials(credentials(id)).catalog(directory).addresses(addresses)
          .transport(transport).listen(layout.addresses().get(id)).audit(layout.auditDir(id), auditKey())
          .auditSettings(id.equals(GD) ? gdAudit : sluice.gateway.audit.AuditLogSettings.defaults())
          .watchCatalog(id.equals(BJ) ? bjSnapshots : new SnapshotVerifier(national.trustRoots(), Clock.systemUTC()));
      if (id.equals(GD)) {
        builder.metrics(gdMetrics);
      }
      Gateway g = builder.start();
      gateways.put(id, g);
      nodes.add(g);
    }
  }

  /**
   * Stops the provider department node and serves {@code impostor} in its place, at its address
   * and with its credentials (to test what the gateways do when a department misbehaves).
   */
  public void replaceProvider(io.grpc.BindableService impostor) throws Exception {
    nodes.get(0).close();
    io.grpc.Server server =
        sluice.gateway.NodeServer.start(
            transport, layout.addresses().get(PROVIDER), credentials(PROVIDER), List.of(impostor), List.of(),
            new io.grpc.protobuf.services.HealthStatusManager());
    nodes.set(0, () -> sluice.gateway.NodeServer.stop(server));
  }

  /** The running gateway {@code id} (national, prov-11 or prov-44). */
  public Gateway gateway(NodeId id) {
    return gateways.get(id);
  }

  /** The federation's audit key, as every gateway holds it. */
  public sluice.gateway.audit.SubjectPseudonyms auditKey() throws IOException {
    return sluice.gateway.audit.AuditKeyFile.pseudonyms(layout.auditKey());
  }

  public NodeCredentials credentials(NodeId node) throws IOException {
    return NodeCredentials.load(layout.credentials(node));
  }

  /** A client for the Beijing consumer department. */
  public ConsumerClient consumer(Duration deadline) throws IOException {
    return new ConsumerClient(credentials(CONSUMER), layout.addresses().get(BJ), transport, deadline);
  }

  @Override
  public void close() throws Exception {
    hub.close();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
    feed.close();
    db.close();
    transport.close();
    gdMetrics.close();
  }
}
