package sluice.nodes.config;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import sluice.crypto.merkle.TreeHash;
import sluice.gateway.audit.AuditLogSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import sluice.crypto.NodeId;
import sluice.gateway.NodeAddresses;

/**
 * One node's configuration file. The node's role follows from its id: {@code national} runs
 * the hub, {@code prov-CC} a provincial gateway, {@code prov-CC/dept-NAME} a department node.
 * Relative paths are resolved against the directory holding the file.
 *
 * <pre>
 * id: prov-44/dept-hrss
 * listen: 127.0.0.1:7501
 * credentials: pki/nodes/prov-44_dept-hrss
 * federation: federation.yaml
 * revocations: pki/revoked.crl  # the federation's certificate revocation lists (PEM CRLs, as
 *                             #   `sluice pki revoke` writes them): peers whose certificates they
 *                             #   list are refused at the TLS handshake; the file is read again
 *                             #   within a second of each change; none, or no file: none revoked
 * data:                       # department nodes only: resource code -> CSV file
 *   3-44-002-001-000001: data/3-44-002-001-000001.csv
 * jdbc:                       # department nodes only: resource code -> a table in the department's
 *   3-44-002-001-000002:      #   own database, read by indexed lookups on the subject key column
 *     url: jdbc:postgresql://127.0.0.1:5432/hrss
 *     user: sluice_reader     #   a read-only role; its password here (keep this file mode 0600)
 *     password: secret        #   or in $SLUICE_DATA_PASSWORD when left out
 *     table: public.insured_persons
 *     columns:                #   optional: field -> column, where the names differ
 *       id_number: sfzhm
 * catalog: hub-catalog        # hub only: publish snapshots from this catalogue database
 *                             #   (an H2 folder, or a jdbc: URL with catalogUser and the
 *                             #   password in $SLUICE_DB_PASSWORD)
 * enforce: true               # provincial gateways only: watch the hub's catalogue snapshots
 *                             #   and enforce them on every question
 * audit: audit/prov-44        # gateways only (required): the audit log folder; the federation's
 *                             #   audit key is audit-subject.key in the credentials folder
 * auditIndex: jdbc:postgresql://db/sluice  # gateways only: the audit query index there (with
 *                             #   auditIndexUser and $SLUICE_DB_PASSWORD), not in H2 in the audit folder
 * auditHash: SM3              # gateways only: the audit log's Merkle tree hash, SM3 (default) or
 *                             #   SHA256; a log keeps the hash it was started with
 * auditSegmentMegabytes: 256  # gateways only: seal the open audit segment at this size (or daily)
 * auditRetentionDays: 180     # gateways only: keep sealed segments this long (at least 180), then
 *                             #   archive them compressed with their checkpoint
 * metrics: 127.0.0.1:9464     # optional: serve Prometheus metrics at http://HOST:PORT/metrics
 *                             #   (plain HTTP: loopback or the operators' network only)
 * callLog: stdout             # gateways only, optional: a JSON line per audited call (request id,
 *                             #   operation, decision, status, reason, ...) to stdout or a file
 * logFormat: json             # optional: the node's own log lines as JSON objects (default text)
 * instance: a                # provincial gateways only, optional: this process is instance "a" of a
 *                             #   gateway run as several (federation.yaml lists each instance's
 *                             #   address); it keeps an audit log of its own (audit: a folder of its
 *                             #   own) and needs auditIndex: the database every instance shares
 * rateLimit:                  # provincial gateways only: each consumer's calls to this
 *   perSecond: 50             #   province's departments, refilled at perSecond up to burst
 *   burst: 100
 * </pre>
 */
public record NodeConfig(
    String id,
    String listen,
    String credentials,
    String federation,
    String revocations,
    Map<String, String> data,
    String catalog,
    String catalogUser,
    Boolean enforce,
    RateLimit rateLimit,
    String audit,
    String auditIndex,
    String auditIndexUser,
    String auditHash,
    Integer auditSegmentMegabytes,
    Integer auditRetentionDays,
    String metrics,
    Map<String, JdbcSource> jdbc,
    String callLog,
    String logFormat,
    String instance) {

  /** A department's table serving one resource. */
  public record JdbcSource(String url, String user, String password, String table, Map<String, String> columns) {
    @Override
    public String toString() {
      return "JdbcSource[" + url + ", " + user + ", " + table + "]";
    }
  }

  /** A burst limit per consumer: a bucket of {@code burst} calls refilled at {@code perSecond}. */
  public record RateLimit(Double perSecond, Integer burst) {}


  /** A configuration checked and resolved against the file's directory. */
  public record Resolved(
      Path file,
      NodeId id,
      InetSocketAddress listen,
      Path credentials,
      Path federation,
      Optional<Path> revocations,
      Map<String, Path> data,
      String catalogDatabase,
      String catalogUser,
      boolean enforce,
      Optional<RateLimit> rateLimit,
      Path audit,
      Optional<String> auditIndex,
      String auditIndexUser,
      AuditLogSettings auditSettings,
      Optional<InetSocketAddress> metrics,
      Map<String, JdbcSource> jdbc,
      Optional<String> callLog,
      boolean jsonLogs,
      String instance) {}

  public static Resolved load(Path file) throws ConfigException {
    return read(file).resolve(file);
  }

  /** The file as written, not yet checked (to edit and write back). */
  public static NodeConfig read(Path file) throws ConfigException {
    return Yaml.read(file, NodeConfig.class);
  }

  /** This configuration with {@code limit} as its rate limit. */
  public NodeConfig withRateLimit(RateLimit limit) {
    return new NodeConfig(id, listen, credentials, federation, revocations, data, catalog, catalogUser, enforce, limit, audit,
        auditIndex, auditIndexUser, auditHash, auditSegmentMegabytes, auditRetentionDays, metrics, jdbc, callLog, logFormat,
        instance);
  }

  public void write(Path file) throws IOException {
    Yaml.write(file, this);
  }

  private Resolved resolve(Path file) throws ConfigException {
    Path base = file.toAbsolutePath().getParent();
    NodeId nodeId;
    try {
      nodeId = NodeId.parse(required(file, "id", id));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ": id: " + e.getMessage());
    }
    InetSocketAddress address = parseAddress(required(file, "listen", listen), file + ": listen");
    Path creds = base.resolve(required(file, "credentials", credentials));
    Path fed = base.resolve(required(file, "federation", federation));
    Map<String, Path> files = new LinkedHashMap<>();
    if (data != null) {
      if (!nodeId.isDepartment() && !data.isEmpty()) {
        throw new ConfigException(file + ": data: only department nodes hold data; " + nodeId + " is a gateway");
      }
      data.forEach((code, path) -> files.put(code, base.resolve(path)));
    }
    Map<String, JdbcSource> tables = new LinkedHashMap<>();
    if (jdbc != null && !jdbc.isEmpty()) {
      if (!nodeId.isDepartment()) {
        throw new ConfigException(file + ": jdbc: only department nodes hold data; " + nodeId + " is a gateway");
      }
      for (Map.Entry<String, JdbcSource> e : jdbc.entrySet()) {
        String where = file + ": jdbc." + e.getKey();
        JdbcSource j = e.getValue();
        if (j == null || j.url() == null || !j.url().startsWith("jdbc:")) {
          throw new ConfigException(where + ".url: missing or not a jdbc: URL");
        }
        if (j.table() == null || j.table().isBlank()) {
          throw new ConfigException(where + ".table: missing; name the table (or SCHEMA.TABLE) holding the records");
        }
        if (files.containsKey(e.getKey())) {
          throw new ConfigException(where + ": the resource is under data: too; serve it from one source");
        }
        String password = j.password() != null ? j.password() : System.getenv().getOrDefault("SLUICE_DATA_PASSWORD", "");
        tables.put(e.getKey(), new JdbcSource(j.url(), j.user() == null ? "" : j.user(), password, j.table(),
            j.columns() == null ? Map.of() : Map.copyOf(j.columns())));
      }
    }
    if (nodeId.isDepartment() && files.isEmpty() && tables.isEmpty()) {
      throw new ConfigException(file + ": data: a department node must serve at least one resource (data: or jdbc:)");
    }
    String catalogDb = null;
    if (catalog != null && !catalog.isBlank()) {
      if (!nodeId.isHub()) {
        throw new ConfigException(file + ": catalog: only the national hub publishes the catalogue; " + nodeId + " watches it (enforce: true)");
      }
      catalogDb = catalog.startsWith("jdbc:") ? catalog : base.resolve(catalog).toString();
    }
    boolean enforcing = Boolean.TRUE.equals(enforce);
    if (enforcing && !nodeId.isProvince()) {
      throw new ConfigException(file + ": enforce: only provincial gateways enforce the catalogue; " + nodeId + " is not one");
    }
    if (rateLimit != null) {
      if (!nodeId.isProvince()) {
        throw new ConfigException(file + ": rateLimit: only provincial gateways limit consumers; " + nodeId + " is not one");
      }
      if (rateLimit.perSecond() == null || rateLimit.perSecond() <= 0) {
        throw new ConfigException(file + ": rateLimit.perSecond: must be a number above 0");
      }
      if (rateLimit.burst() == null || rateLimit.burst() < 1) {
        throw new ConfigException(file + ": rateLimit.burst: must be a whole number of at least 1");
      }
    }
    Path auditDir = null;
    if (audit != null && !audit.isBlank()) {
      if (nodeId.isDepartment()) {
        throw new ConfigException(file + ": audit: only gateways keep an audit log; " + nodeId + " is a department node");
      }
      auditDir = base.resolve(audit);
    } else if (!nodeId.isDepartment()) {
      throw new ConfigException(file + ": audit: missing; a gateway needs a folder for its audit log");
    }
    if (auditIndex != null && !auditIndex.isBlank()) {
      if (nodeId.isDepartment()) {
        throw new ConfigException(file + ": auditIndex: only gateways keep an audit log; " + nodeId + " is a department node");
      }
      if (!auditIndex.startsWith("jdbc:")) {
        throw new ConfigException(file + ": auditIndex: \"" + auditIndex + "\" is not a jdbc: URL (leave it out for H2 in the audit folder)");
      }
    }
    return new Resolved(
        file, nodeId, address, creds, fed,
        Optional.ofNullable(revocations).filter(r -> !r.isBlank()).map(base::resolve), files, catalogDb, catalogUser == null ? "sluice" : catalogUser, enforcing,
        Optional.ofNullable(rateLimit), auditDir,
        Optional.ofNullable(auditIndex).filter(u -> !u.isBlank()), auditIndexUser == null ? "sluice" : auditIndexUser,
        auditSettings(file, nodeId),
        metrics == null || metrics.isBlank() ? Optional.empty()
            : Optional.of(parseAddress(metrics, file + ": metrics")),
        tables,
        resolvedCallLog(file, nodeId, base),
        jsonLogs(file),
        resolvedInstance(file, nodeId));
  }

  /** The instance name, checked: a provincial gateway's, with a shared audit index. */
  private String resolvedInstance(Path file, NodeId nodeId) throws ConfigException {
    if (instance == null) {
      return NodeAddresses.SOLE;
    }
    if (!nodeId.isProvince()) {
      throw new ConfigException(file + ": instance: only provincial gateways run as several instances; " + nodeId
          + " is not one");
    }
    try {
      NodeAddresses.checkInstanceName(instance);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(file + ": instance: " + e.getMessage());
    }
    if (auditIndex == null || auditIndex.isBlank()) {
      throw new ConfigException(file + ": instance: every instance of " + nodeId + " shares one audit index; set"
          + " auditIndex to the database they all reach");
    }
    return instance;
  }

  /** Where the call log goes: "stdout", a path resolved against the file's folder, or none. */
  private Optional<String> resolvedCallLog(Path file, NodeId nodeId, Path base) throws ConfigException {
    if (callLog == null || callLog.isBlank()) {
      return Optional.empty();
    }
    if (nodeId.isDepartment()) {
      throw new ConfigException(file + ": callLog: only gateways audit calls; " + nodeId + " is a department node");
    }
    return Optional.of(callLog.equals("stdout") ? "stdout" : base.resolve(callLog).toString());
  }

  private boolean jsonLogs(Path file) throws ConfigException {
    if (logFormat == null || logFormat.equals("text")) {
      return false;
    }
    if (logFormat.equals("json")) {
      return true;
    }
    throw new ConfigException(file + ": logFormat: \"" + logFormat + "\" is neither text nor json");
  }

  /** The audit log's settings from auditHash, auditSegmentMegabytes and auditRetentionDays. */
  private AuditLogSettings auditSettings(Path file, NodeId nodeId) throws ConfigException {
    AuditLogSettings s = AuditLogSettings.defaults();
    if (nodeId.isDepartment()) {
      if (auditHash != null || auditSegmentMegabytes != null || auditRetentionDays != null) {
        throw new ConfigException(file + ": auditHash, auditSegmentMegabytes, auditRetentionDays: only gateways keep an"
            + " audit log; " + nodeId + " is a department node");
      }
      return s;
    }
    if (auditHash != null) {
      try {
        s = s.withHash(TreeHash.valueOf(auditHash.strip().toUpperCase(java.util.Locale.ROOT).replace("-", "")));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(file + ": auditHash: \"" + auditHash + "\" is neither SM3 nor SHA256");
      }
    }
    if (auditSegmentMegabytes != null) {
      if (auditSegmentMegabytes < 1 || auditSegmentMegabytes > 4096) {
        throw new ConfigException(file + ": auditSegmentMegabytes: must be a whole number from 1 to 4096, not "
            + auditSegmentMegabytes);
      }
      s = s.withSegments(auditSegmentMegabytes * (1L << 20), s.segmentAge());
    }
    if (auditRetentionDays != null) {
      try {
        s = s.withRetention(Duration.ofDays(auditRetentionDays));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(file + ": auditRetentionDays: " + e.getMessage());
      }
    }
    return s;
  }

  private static String required(Path file, String key, String value) throws ConfigException {
    if (value == null || value.isBlank()) {
      throw new ConfigException(file + ": " + key + ": missing");
    }
    return value;
  }

  /** Parses {@code host:port}. */
  static InetSocketAddress parseAddress(String text, String where) throws ConfigException {
    int colon = text == null ? -1 : text.lastIndexOf(':');
    if (colon <= 0) {
      throw new ConfigException(where + ": \"" + text + "\" is not host:port");
    }
    try {
      int port = Integer.parseInt(text.substring(colon + 1));
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return new InetSocketAddress(text.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new ConfigException(where + ": \"" + text + "\" has no valid port");
    }
  }

  static String hostPort(InetSocketAddress a) {
    return a.getHostString() + ":" + a.getPort();
  }
}
