package sluice.gateway;

import com.google.protobuf.ByteString;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import sluice.catalog.ResourceCatalog;
import sluice.catalog.snapshot.SnapshotVerifier;
import sluice.crypto.NodeId;
import sluice.crypto.note.Ed25519NoteKeys;
import sluice.crypto.note.NoteSigner;
import sluice.crypto.note.Sm2NoteKeys;
import sluice.crypto.note.VerifierKeys;
import sluice.crypto.pki.NodeCredentials;
import sluice.crypto.pki.SigningChains;
import sluice.gateway.audit.AuditCheckpoints;
import sluice.gateway.audit.AuditIndex;
import sluice.gateway.audit.AuditKeyFile;
import sluice.gateway.audit.AuditLog;
import sluice.gateway.audit.AuditLogSettings;
import sluice.gateway.audit.AuditTrail;
import sluice.gateway.audit.AuditedRefusals;
import sluice.gateway.audit.CheckpointWitness;
import sluice.gateway.audit.GatewayAuditService;
import sluice.gateway.audit.LogName;
import sluice.gateway.audit.SubjectPseudonyms;
import sluice.gateway.catalog.CatalogPublisher;
import sluice.gateway.catalog.CatalogSubscriber;
import sluice.gateway.catalog.HubCatalogService;
import sluice.gateway.catalog.ProvinceCatalogService;
import sluice.gateway.catalog.SnapshotAgeInterceptor;
import sluice.gateway.policy.AccessPolicy;
import sluice.gateway.policy.ConsumerRateLimit;
import sluice.gateway.policy.Enforcement;
import sluice.gateway.policy.LocalQuotaLedger;
import sluice.gateway.policy.QuotaLedger;
import sluice.gateway.policy.SharedQuotaLedger;
import sluice.gateway.policy.SnapshotAccessPolicy;
import sluice.v1.ExportHeader;
import sluice.v1.FederationServiceGrpc;
import sluice.v1.VerifyServiceGrpc;

/**
 * A running gateway: the national hub ({@code national}) or a provincial gateway
 * ({@code prov-CC}). It serves VerifyService to its callers and forwards each admitted call
 * towards the resource's provider over mutual TLS; the hub also serves FederationService.
 *
 * <p>Build with {@link #builder()}; configuration is checked in {@link Builder#start()}.
 */
public final class Gateway implements AutoCloseable {
  /** Where the federation's calendar days (quotas, sunset dates) begin and end. */
  public static final ZoneId FEDERATION_ZONE = ZoneId.of("Asia/Shanghai");
  /**
   * Attempts refused before authentication (certificates refused in handshakes, calls without a
   * usable certificate) audited one by one in any second; the rest are counted in one entry a
   * second.
   */
  static final int REFUSALS_PER_SECOND = 100;

  /** The gateway's Ed25519 checkpoint key, in its audit directory. */
  public static final String ED25519_KEY = "checkpoint-ed25519.key";

  private static final System.Logger LOG = System.getLogger(Gateway.class.getName());

  private final NodeId id;
  private final Server server;
  private final NodeChannels channels;
  private final CatalogSubscriber subscriber;
  private final ScheduledExecutorService scheduler;
  private final HealthStatusManager health;
  private final CatalogPublisher publisher;
  private final AuditParts audit;
  /** The quota ledger the gateway opened (instances share one in a database), or null. */
  private final QuotaLedger quotas;

  /**
   * A gateway's audit log, its index, what its exports start with, and the threads that release
   * answers and sign checkpoints; closed with it.
   */
  private record AuditParts(
      AuditLog log, AuditIndex index, ExportHeader exportHeader, ExecutorService release,
      ScheduledExecutorService checkpoints) implements AutoCloseable {
    @Override
    public void close() {
      checkpoints.shutdownNow();
      try {
        log.checkpoint();
        log.close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "closing the audit log: " + e.getMessage());
      }
      index.close();
      release.shutdown();
    }
  }

  private Gateway(
      NodeId id,
      Server server,
      NodeChannels channels,
      CatalogSubscriber subscriber,
      ScheduledExecutorService scheduler,
      HealthStatusManager health,
      CatalogPublisher publisher,
      AuditParts audit,
      QuotaLedger quotas) {
    this.id = id;
    this.quotas = quotas;
    this.audit = audit;
    this.health = health;
    this.publisher = publisher;
    this.server = server;
    this.channels = channels;
    this.subscriber = subscriber;
    this.scheduler = scheduler;
  }

  public static Builder builder() {
    return new Builder();
  }

  public NodeId id() {
    return id;
  }

  /** The port the gateway listens on (useful when started on port 0). */
  public int port() {
    return server.getPort();
  }

  /** Stops accepting calls, lets calls in flight finish for up to 5 s, and closes channels. */
  @Override
  public void close() {
    health.enterTerminalState();
    if (publisher != null) {
      publisher.endWatches();
    }
    if (subscriber != null) {
      subscriber.close();
    }
    scheduler.shutdownNow();
    NodeServer.stop(server);
    channels.close();
    audit.close();
    if (quotas != null) {
      quotas.close();
    }
  }

  /** The gateway's audit log (for operators' tools and tests). */
  public AuditLog auditLog() {
    return audit.log();
  }

  /** The gateway's audit query index. */
  public AuditIndex auditIndex() {
    return audit.index();
  }

  /** Collects a gateway's configuration; {@link #start()} validates it and starts serving. */
  public static final class Builder {
    private NodeCredentials credentials;
    private ResourceCatalog catalog;
    private NodeAddresses addresses;
    private Transport transport;
    private InetSocketAddress listen;
    private Duration defaultDeadline = Duration.ofSeconds(30);
    private AccessPolicy policy;
    private CatalogPublisher publisher;
    private SnapshotVerifier watched;
    private HubCatalogService stewardService;
    private ConsumerRateLimit rateLimit;
    private Path auditDir;
    private SubjectPseudonyms pseudonyms;
    private Jdbc auditIndexDatabase;
    private AuditLogSettings auditSettings = AuditLogSettings.defaults();
    private sluice.gateway.metrics.NodeMetrics metrics;
    private java.io.Writer callLog;
    private String instance = NodeAddresses.SOLE;

    /** Where a database is and who logs in to it. */
    private record Jdbc(String url, String user, String password) {}

    private Builder() {}

    /**
     * Where the gateway keeps its audit log (created if missing), and the federation's audit key
     * that pseudonymises subjects in it. Required: a gateway serves nothing it cannot audit.
     */
    public Builder audit(Path dir, SubjectPseudonyms pseudonyms) {
      this.auditDir = Objects.requireNonNull(dir);
      this.pseudonyms = Objects.requireNonNull(pseudonyms);
      return this;
    }

    /** How the audit log is kept: tree hash, batching, segments and retention. SM3, a segment a day, 180 days by default. */
    public Builder auditSettings(AuditLogSettings settings) {
      this.auditSettings = Objects.requireNonNull(settings);
      return this;
    }

    /**
     * Keeps the audit query index in the database at {@code jdbcUrl} (PostgreSQL, shared by
     * several gateways if need be) rather than in embedded H2 in the audit folder.
     */
    public Builder auditIndex(String jdbcUrl, String user, String password) {
      this.auditIndexDatabase = new Jdbc(Objects.requireNonNull(jdbcUrl), user, password);
      return this;
    }

    /**
     * This process is instance {@code name} of a provincial gateway run as several instances: it
     * keeps an audit log of its own ({@code sluice.audit/prov-CC@name}, witnessed by the hub on
     * its own) and shares the audit index, which must then be a database all instances reach
     * ({@link #auditIndex}).
     */
    public Builder instance(String name) {
      this.instance = NodeAddresses.checkInstanceName(name);
      return this;
    }

    /**
     * Measures the gateway into {@code metrics}: every call it serves (refusals included), its
     * audit log (entries, appends waiting, time to durable, the index behind the log), the PSI
     * sessions passing it and, when it watches the catalogue, the age of the snapshot it enforces.
     */
    public Builder metrics(sluice.gateway.metrics.NodeMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics);
      return this;
    }

    /** Writes a JSON line to {@code out} for every call the gateway audits ({@link sluice.gateway.audit.CallLog}). */
    public Builder callLog(java.io.Writer out) {
      this.callLog = Objects.requireNonNull(out);
      return this;
    }

    /** The gateway's own TLS and signing credentials; their node id is the gateway's id. */
    public Builder credentials(NodeCredentials credentials) {
      this.credentials = credentials;
      return this;
    }

    public Builder catalog(ResourceCatalog catalog) {
      this.catalog = catalog;
      return this;
    }

    public Builder addresses(NodeAddresses addresses) {
      this.addresses = addresses;
      return this;
    }

    public Builder transport(Transport transport) {
      this.transport = transport;
      return this;
    }

    public Builder listen(InetSocketAddress listen) {
      this.listen = listen;
      return this;
    }

    /**
     * The access policy a provincial gateway enforces on every question (the hub routes only).
     * Without one, the gateway admits any question about a resource in its catalogue.
     */
    public Builder policy(AccessPolicy policy) {
      this.policy = Objects.requireNonNull(policy);
      return this;
    }

    /** The hub publishes catalogue snapshots from {@code publisher} to watching gateways. */
    public Builder publishCatalog(CatalogPublisher publisher) {
      this.publisher = Objects.requireNonNull(publisher);
      return this;
    }

    /**
     * The hub serves the stewards' CatalogService from {@code service} (provincial gateways
     * forward their departments' calls to it; they serve CatalogService without being told).
     */
    public Builder stewardCatalog(HubCatalogService service) {
      this.stewardService = Objects.requireNonNull(service);
      return this;
    }

    /**
     * A provincial gateway watches the hub's catalogue snapshots, applies them to
     * {@code verifier}, and enforces them (unless another policy is set).
     */
    public Builder watchCatalog(SnapshotVerifier verifier) {
      this.watched = Objects.requireNonNull(verifier);
      return this;
    }

    /**
     * A provincial gateway limits each consumer's calls to its departments to a burst rate
     * (RESOURCE_EXHAUSTED with the time to retry); none by default.
     */
    public Builder rateLimit(ConsumerRateLimit limit) {
      this.rateLimit = Objects.requireNonNull(limit);
      return this;
    }

    /** Deadline for forwarded unary calls that arrive without one; zero for none. */
    public Builder defaultDeadline(Duration defaultDeadline) {
      this.defaultDeadline = Objects.requireNonNull(defaultDeadline);
      return this;
    }

    public Gateway start() throws IOException {
      require(credentials, "credentials");
      require(catalog, "catalog");
      require(addresses, "addresses");
      require(transport, "transport");
      require(listen, "listen address");
      require(auditDir, "audit log directory");
      NodeId id = credentials.id();
      if (id.isDepartment()) {
        throw new IllegalStateException(
            id + " is a department node; a gateway is national or prov-CC");
      }
      if (defaultDeadline.isNegative()) {
        throw new IllegalStateException("default deadline must not be negative");
      }
      if (publisher != null && !id.isHub()) {
        throw new IllegalStateException(id + " is not the national hub; only the hub publishes the catalogue");
      }
      if (rateLimit != null && !id.isProvince()) {
        throw new IllegalStateException(id + " is not a provincial gateway; only those limit consumers' calls");
      }
      if (stewardService != null && !id.isHub()) {
        throw new IllegalStateException(id + " is not the national hub; only the hub keeps the catalogue");
      }
      if (!instance.equals(NodeAddresses.SOLE) && !id.isProvince()) {
        throw new IllegalStateException(id + " is not a provincial gateway; only those run as several instances");
      }
      if (!instance.equals(NodeAddresses.SOLE) && auditIndexDatabase == null) {
        throw new IllegalStateException("instance " + instance + " of " + id + " needs an audit index database"
            + " shared by every instance (auditIndex), not one of its own in its audit folder");
      }
      if (watched != null && !id.isProvince()) {
        throw new IllegalStateException(id + " is not a provincial gateway; only gateways watch the catalogue");
      }
      QuotaLedger quotas = null;
      if (watched != null && policy == null) {
        if (!instance.equals(NodeAddresses.SOLE)) {
          // Instances count quotas together, or each would grant the whole quota.
          quotas = SharedQuotaLedger.open(auditIndexDatabase.url(), auditIndexDatabase.user(),
              auditIndexDatabase.password(), id);
        }
        policy = new SnapshotAccessPolicy(watched, Clock.systemUTC(), FEDERATION_ZONE,
            quotas == null ? new LocalQuotaLedger() : quotas);
      }
      AuditParts audit;
      try {
        audit = openAudit(id);
      } catch (IOException | RuntimeException e) {
        if (quotas != null) {
          quotas.close();
        }
        throw e;
      }
      NodeChannels channels = new NodeChannels(credentials, addresses, transport);
      ScheduledExecutorService scheduler =
          Executors.newSingleThreadScheduledExecutor(Transport.daemonThreads("sluice-" + id.fileName() + "-catalog"));
      List<BindableService> services = new ArrayList<>();
      AuditTrail trail = new AuditTrail(id, audit.log(), pseudonyms, Clock.systemUTC(), audit.release());
      CallRouting routing =
          new CallRouting(id, catalog, channels, policy == null ? null : new Enforcement(policy, id), rateLimit);
      services.add(new GatewayVerifyService(routing, defaultDeadline, trail));
      services.add(new GatewayPsiService(routing, trail, defaultDeadline,
          metrics == null ? sluice.gateway.psi.PsiProgress.none() : new sluice.gateway.metrics.PsiMetrics(metrics.registry())));
      services.add(new GatewayAggregateService(routing, channels, trail, defaultDeadline));
      services.add(new GatewayAuditService(id, audit.log(), audit.index(), audit.exportHeader(),
          id.isHub() ? channels::to : null));
      if (id.isHub()) {
        CheckpointWitness witness;
        try {
          witness = new CheckpointWitness(auditDir.resolve("witnessed"),
              Sm2NoteKeys.signer(CheckpointWitness.NAME, credentials.signingKey(),
                  credentials.signingChain().get(0).getPublicKey()),
              credentials.trustRoots(), Clock.systemUTC());
        } catch (IOException e) {
          audit.close();
          channels.close();
          scheduler.shutdownNow();
          if (quotas != null) {
            quotas.close();
          }
          throw e;
        }
        services.add(new HubFederationService(catalog, publisher, witness));
        if (stewardService != null) {
          services.add(stewardService);
        }
      } else {
        services.add(new ProvinceCatalogService(id, channels, defaultDeadline));
      }
      // A gateway that decides from the hub's snapshots reports NOT_SERVING until it holds one,
      // so load balancers and the demo wait rather than send calls it would refuse.
      HealthStatusManager health = new HealthStatusManager();
      boolean waitsForSnapshot = watched != null && watched.applied().isEmpty();
      if (waitsForSnapshot) {
        setServing(health, ServingStatus.NOT_SERVING);
      }
      try {
        List<ServerInterceptor> interceptors =
            watched == null ? List.of() : List.of(new SnapshotAgeInterceptor(id, watched, Clock.systemUTC()));
        AuditedRefusals refusals = new AuditedRefusals(id, audit.log(), Clock.systemUTC(), REFUSALS_PER_SECOND);
        if (metrics != null) {
          measure(metrics.registry(), audit, watched);
        }
        Server server = NodeServer.start(transport, listen, credentials, services, interceptors, health, refusals,
            metrics == null ? null : metrics.calls());
        audit.checkpoints().scheduleWithFixedDelay(refusals::flush, 1, 1, TimeUnit.SECONDS);
        CatalogSubscriber subscriber = null;
        if (watched != null) {
          subscriber =
              new CatalogSubscriber(
                  id, channels, watched, scheduler, Duration.ofSeconds(1),
                  () -> setServing(health, ServingStatus.SERVING));
          subscriber.start();
        }
        AuditCheckpoints checkpoints =
            new AuditCheckpoints(audit.log(),
                id.isHub() ? null : FederationServiceGrpc.newBlockingStub(channels.to(NodeId.NATIONAL)),
                credentials.signingChain(), audit.exportHeader(), Clock.systemUTC());
        audit.checkpoints().scheduleWithFixedDelay(checkpoints, 1, 1, TimeUnit.SECONDS);
        return new Gateway(id, server, channels, subscriber, scheduler, health, publisher, audit, quotas);
      } catch (IOException | RuntimeException e) {
        channels.close();
        scheduler.shutdownNow();
        audit.close();
        if (quotas != null) {
          quotas.close();
        }
        throw e;
      }
    }

    private AuditParts openAudit(NodeId id) throws IOException {
      LogName name = new LogName(id, instance);
      String origin = name.origin();
      Ed25519PrivateKeyParameters ed25519 =
          new Ed25519PrivateKeyParameters(AuditKeyFile.loadOrCreate(auditDir.resolve(ED25519_KEY), 32, new SecureRandom()), 0);
      List<NoteSigner> signers = List.of(
          Sm2NoteKeys.signer(origin, credentials.signingKey(), credentials.signingChain().get(0).getPublicKey()),
          Ed25519NoteKeys.signer(origin, ed25519));
      ExportHeader.Builder header = ExportHeader.newBuilder().setOrigin(origin).setLogNodeId(id.toString()).setLogInstance(instance)
          .setTreeHash(auditSettings.hash().name())
          .setEd25519VerifierKey(VerifierKeys.ed25519(origin, ed25519.generatePublicKey().getEncoded()));
      SigningChains.encode(credentials.signingChain()).forEach(d -> header.addSignerChain(ByteString.copyFrom(d)));
      AuditIndex index = auditIndexDatabase == null
          ? AuditIndex.h2(auditDir, name)
          : AuditIndex.open(auditIndexDatabase.url(), auditIndexDatabase.user(), auditIndexDatabase.password(), name);
      AuditLog log;
      sluice.gateway.audit.CallLog calls = callLog == null ? null : new sluice.gateway.audit.CallLog(callLog, name);
      try {
        AuditLog.Listener listener = calls == null ? index : (i, e) -> {
          index.entry(i, e);
          calls.entry(i, e);
        };
        log = AuditLog.open(auditDir, origin, signers, CheckpointWitness.NAME, auditSettings, listener);
        index.readMissedFrom(log::read);
        if (calls != null) {
          calls.start();
        }
      } catch (IOException | RuntimeException e) {
        index.close();
        throw e;
      }
      return new AuditParts(log, index, header.build(),
          Executors.newCachedThreadPool(Transport.daemonThreads("sluice-" + id.fileName() + "-audit-release")),
          Executors.newSingleThreadScheduledExecutor(Transport.daemonThreads("sluice-" + id.fileName() + "-checkpoints")));
    }

    private static void measure(io.micrometer.core.instrument.MeterRegistry registry, AuditParts audit,
        SnapshotVerifier watched) {
      AuditLog log = audit.log();
      io.micrometer.core.instrument.FunctionCounter.builder("sluice.audit.entries", log, AuditLog::size)
          .description("Entries durable in the gateway's audit log").register(registry);
      io.micrometer.core.instrument.Gauge.builder("sluice.audit.backlog", log, AuditLog::backlog)
          .description("Entries appended and waiting to be written").register(registry);
      io.micrometer.core.instrument.Gauge.builder("sluice.audit.index.behind", audit.index(), i -> log.size() - i.indexed())
          .description("Durable entries the auditors' index does not hold yet").register(registry);
      io.micrometer.core.instrument.Timer append = io.micrometer.core.instrument.Timer.builder("sluice.audit.append")
          .description("Time from appending an entry to its being durable").publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10)).register(registry);
      log.observeAppends(nanos -> append.record(nanos, TimeUnit.NANOSECONDS));
      if (watched != null) {
        io.micrometer.core.instrument.Gauge.builder("sluice.catalog.snapshot.age", watched,
                w -> w.applied().map(x -> Duration.between(x.issuedAt(), java.time.Instant.now()).toMillis() / 1e3)
                    .orElse(Double.NaN))
            .description("Seconds since the catalogue snapshot the gateway enforces was issued (NaN: none yet)")
            .baseUnit("seconds").register(registry);
      }
    }

    private static void setServing(HealthStatusManager health, ServingStatus status) {
      health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
      health.setStatus(VerifyServiceGrpc.SERVICE_NAME, status);
    }

    private static void require(Object value, String what) {
      if (value == null) {
        throw new IllegalStateException("gateway " + what + " is not set");
      }
    }
  }
}
