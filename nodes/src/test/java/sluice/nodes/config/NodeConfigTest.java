package sluice.nodes.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.crypto.NodeId;

class NodeConfigTest {
  @TempDir Path dir;

  Path write(String name, String text) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, text);
    return f;
  }

  String error(String text) throws Exception {
    Path f = write("node.yaml", text);
    return assertThrows(ConfigException.class, () -> NodeConfig.load(f)).getMessage();
  }

  @Test
  void aDepartmentConfigResolvesPathsAgainstItsFolder() throws Exception {
    NodeConfig.Resolved c =
        NodeConfig.load(
            write(
                "node.yaml",
                "id: prov-44/dept-hrss\nlisten: 127.0.0.1:7501\ncredentials: pki/x\nfederation: f.yaml\n"
                    + "data:\n  44.hrss.social-insurance: data/a.csv\n"));
    assertEquals(NodeId.parse("prov-44/dept-hrss"), c.id());
    assertEquals(7501, c.listen().getPort());
    assertEquals(dir.resolve("pki/x"), c.credentials());
    assertEquals(dir.resolve("data/a.csv"), c.data().get("44.hrss.social-insurance"));
  }

  @Test
  void mistakesNameTheKey() throws Exception {
    assertTrue(error("id: prov-44\nlisten: 127.0.0.1:1\ncredentials: c\nfederation: f\nport: 3\n")
        .contains("unknown key \"port\""));
    assertTrue(error("id: prov-99\nlisten: 127.0.0.1:1\ncredentials: c\nfederation: f\n")
        .contains("id: not a node id"));
    assertTrue(error("id: prov-44\nlisten: localhost\ncredentials: c\nfederation: f\n")
        .contains("listen: \"localhost\" is not host:port"));
    assertTrue(error("id: prov-44\nlisten: 127.0.0.1:1\nfederation: f\n").contains("credentials: missing"));
    assertTrue(error("id: prov-44\nlisten: 127.0.0.1:1\ncredentials: c\nfederation: f\nenforce: false\nenforce: true\n")
        .contains("Duplicate field 'enforce'"));
    assertTrue(error("id: prov-44/dept-a\nlisten: 127.0.0.1:1\ncredentials: c\nfederation: f\n")
        .contains("data: a department node must serve at least one resource"));
    assertTrue(error("id: prov-44\nlisten: 127.0.0.1:1\ncredentials: c\nfederation: f\ndata:\n  x: y.csv\n")
        .contains("only department nodes hold data"));
    assertTrue(error("id: prov-44\nlisten: 127.0.0.1:1\ncredentials: c\nfederation: f\nrateLimit:\n  perSecond: 0\n  burst: 5\n")
        .contains("rateLimit.perSecond: must be a number above 0"));
    assertTrue(error("id: prov-44\nlisten: 127.0.0.1:1\ncredentials: c\nfederation: f\nrateLimit:\n  perSecond: 5\n  burts: 5\n")
        .contains("unknown key \"burts\""));
    assertTrue(error("id: national\nlisten: 127.0.0.1:1\ncredentials: c\nfederation: f\nrateLimit:\n  perSecond: 5\n  burst: 5\n")
        .contains("rateLimit: only provincial gateways limit consumers"));
  }

  @Test
  void catalogueSettingsBelongToTheHubAndTheGateways() throws Exception {
    NodeConfig.Resolved hub =
        NodeConfig.load(write("hub.yaml", "id: national\nlisten: 127.0.0.1:1\ncredentials: c\nfederation: f\ncatalog: hub-catalog\naudit: audit/national\n"));
    assertEquals(dir.resolve("hub-catalog").toString(), hub.catalogDatabase());
    NodeConfig.Resolved gw =
        NodeConfig.load(write("gw.yaml", "id: prov-44\nlisten: 127.0.0.1:1\ncredentials: c\nfederation: f\nenforce: true\naudit: a\n"));
    assertTrue(error("id: prov-44\nlisten: 127.0.0.1:1\ncredentials: c\nfederation: f\n")
        .contains("audit: missing; a gateway needs a folder for its audit log"));
    assertTrue(error("id: prov-44/dept-a\nlisten: 127.0.0.1:1\ncredentials: c\nfederation: f\ndata:\n  x: y.csv\naudit: a\n")
        .contains("audit: only gateways keep an audit log"));
    assertTrue(gw.enforce());
    assertEquals(java.util.Optional.empty(), gw.auditIndex(), "the audit index is H2 in the audit folder by default");
    NodeConfig.Resolved pg = NodeConfig.load(write("pg.yaml",
        "id: prov-44\nlisten: 127.0.0.1:1\ncredentials: c\nfederation: f\naudit: a\nauditIndex: jdbc:postgresql://db/sluice\n"));
    assertEquals("jdbc:postgresql://db/sluice", pg.auditIndex().orElseThrow());
    assertEquals("sluice", pg.auditIndexUser());
    assertTrue(error("id: prov-44\nlisten: 127.0.0.1:1\ncredentials: c\nfederation: f\naudit: a\nauditIndex: db\n")
        .contains("auditIndex: \"db\" is not a jdbc: URL"));
    assertTrue(error("id: prov-44\nlisten: 127.0.0.1:1\ncredentials: c\nfederation: f\ncatalog: x\n")
        .contains("catalog: only the national hub publishes the catalogue"));
    assertTrue(error("id: national\nlisten: 127.0.0.1:1\ncredentials: c\nfederation: f\nenforce: true\n")
        .contains("enforce: only provincial gateways enforce the catalogue"));
  }

  @Test
  void auditLogSettingsAreCheckedAndDefaultToSm3DailySegmentsAnd180Days() throws Exception {
    String gw = "id: prov-44\nlisten: 127.0.0.1:1\ncredentials: c\nfederation: f\naudit: a\n";
    sluice.gateway.audit.AuditLogSettings defaults = NodeConfig.load(write("d.yaml", gw)).auditSettings();
    assertEquals(sluice.crypto.merkle.TreeHash.SM3, defaults.hash());
    assertEquals(java.time.Duration.ofDays(180), defaults.retention());
    assertEquals(java.time.Duration.ofDays(1), defaults.segmentAge());
    sluice.gateway.audit.AuditLogSettings set = NodeConfig.load(write("s.yaml",
        gw + "auditHash: SHA-256\nauditSegmentMegabytes: 64\nauditRetentionDays: 365\n")).auditSettings();
    assertEquals(sluice.crypto.merkle.TreeHash.SHA256, set.hash());
    assertEquals(64L << 20, set.segmentBytes());
    assertEquals(java.time.Duration.ofDays(365), set.retention());
    assertTrue(error(gw + "auditHash: MD5\n").contains("auditHash: \"MD5\" is neither SM3 nor SHA256"));
    assertTrue(error(gw + "auditRetentionDays: 30\n")
        .contains("auditRetentionDays: audit segments are kept at least 180 days before they are archived, not 30"));
    assertTrue(error(gw + "auditSegmentMegabytes: 0\n").contains("auditSegmentMegabytes: must be a whole number from 1"));
    assertTrue(error("id: prov-44/dept-a\nlisten: 127.0.0.1:1\ncredentials: c\nfederation: f\ndata:\n  x: y.csv\n"
        + "auditHash: SM3\n").contains("only gateways keep an audit log"));
  }

  @Test
  void federationFileMistakesNameTheEntry() throws Exception {
    Path f =
        write(
            "federation.yaml",
            "nodes:\n  national: 127.0.0.1:7400\nresources:\n  - code: 44.a.b\n    name: n\n"
                + "    provider: prov-44/dept-a\n    subjectKey: id\n    fields:\n      - {name: id, type: IDCARD}\n");
    String m = assertThrows(ConfigException.class, () -> FederationFile.load(f)).getMessage();
    assertTrue(m.contains("resources[0].fields[0].type: unknown value \"IDCARD\""), m);
  }

  /**
   * A provincial gateway run as several instances: each names itself, shares its audit index, and
   * the federation file lists every instance by name; the launcher refuses a node the file lists
   * otherwise.
   */
  @Test
  void instancesAreNamedSharedAndListed() throws Exception {
    String gw = "id: prov-44\nlisten: 127.0.0.1:1\ncredentials: c\nfederation: federation.yaml\naudit: a\n";
    String shared = "auditIndex: jdbc:postgresql://db/sluice\n";
    NodeConfig.Resolved a = NodeConfig.load(write("a.yaml", gw + shared + "instance: a\n"));
    assertEquals("a", a.instance());
    assertEquals("", NodeConfig.load(write("one.yaml", gw)).instance(), "one instance: unnamed");
    assertTrue(error(gw + "instance: a\n").contains("instance: every instance of prov-44 shares one audit index"));
    assertTrue(error(gw + shared + "instance: A_1\n").contains("instance: \"A_1\" is not an instance name"));
    assertTrue(error("id: national\nlisten: 127.0.0.1:1\ncredentials: c\nfederation: f\naudit: a\n" + shared
        + "instance: a\n").contains("instance: only provincial gateways run as several instances"));

    Path f = write("federation.yaml", "nodes:\n  national: 127.0.0.1:7400\n  prov-44:\n    a: 127.0.0.1:7444\n"
        + "    b: 127.0.0.2:7444\n");
    FederationFile.Directory d = FederationFile.load(f);
    assertEquals(java.util.List.of("a", "b"), java.util.List.copyOf(d.addresses().instances(NodeId.parse("prov-44")).keySet()));
    assertEquals(2, d.addresses().of(NodeId.parse("prov-44")).size());
    assertEquals(1, d.addresses().of(NodeId.NATIONAL).size());
    assertEquals(java.util.Optional.empty(), sluice.nodes.run.NodeLauncher.unlisted(a, d));
    NodeConfig.Resolved c = NodeConfig.load(write("c.yaml", gw + shared + "instance: c\n"));
    assertTrue(sluice.nodes.run.NodeLauncher.unlisted(c, d).orElseThrow().contains("lists no instance c of prov-44"));
    NodeConfig.Resolved unnamed = NodeConfig.load(write("u.yaml", gw));
    assertTrue(sluice.nodes.run.NodeLauncher.unlisted(unnamed, d).orElseThrow()
        .contains("lists prov-44 as instances [a, b]; name the one this is"));

    Path bad = write("bad.yaml", "nodes:\n  prov-44:\n    A: 127.0.0.1:7444\n");
    String m = assertThrows(ConfigException.class, () -> FederationFile.load(bad)).getMessage();
    assertTrue(m.contains("nodes.prov-44.A: not an instance name"), m);
    Path list = write("list.yaml", "nodes:\n  prov-44:\n    - 127.0.0.1:7444\n");
    m = assertThrows(ConfigException.class, () -> FederationFile.load(list)).getMessage();
    assertTrue(m.contains("nodes.prov-44: give host:port, or instance: host:port for each instance"), m);
  }
}
