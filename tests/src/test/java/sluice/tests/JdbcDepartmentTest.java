package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static sluice.tests.Fixtures.cmp;
import static sluice.tests.Fixtures.request;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.catalog.FieldSpec;
import sluice.catalog.ResourceDescriptor;
import sluice.crypto.NodeId;
import sluice.crypto.Province;
import sluice.gateway.Transport;
import sluice.gateway.client.ConsumerClient;
import sluice.nodes.department.JdbcRecordStore;
import sluice.nodes.run.FederationSetup;
import sluice.nodes.run.LocalFederation;
import sluice.v1.Answer;
import sluice.v1.Operator;

/**
 * A department node answering from its own database (issue 9): Guangdong's social-insurance
 * records in a PostgreSQL table of 1,000,000 rows (the generated records plus filler), the
 * subject key column named otherwise than the field ({@code columns:} maps it), served through
 * the node's {@code jdbc:} configuration. Verify through the gateway gives the answers the data
 * give; every lookup is an index scan and the table is never scanned whole (PostgreSQL's own
 * counters say so); lookup latency is reported. Runs when {@code SLUICE_TEST_POSTGRES_URL} names
 * a server ({@code .ci/run} starts one).
 */
class JdbcDepartmentTest {
  static final NodeId GD = NodeId.parse("prov-44");
  static final NodeId HRSS = NodeId.parse("prov-44/dept-hrss");
  static final NodeId CONSUMER = NodeId.parse("prov-44/dept-ca");
  static final String RESOURCE = "3-44-002-001-000001";
  static final int ROWS = 1_000_000;

  @TempDir static Path work;
  static String url;
  static String user;
  static String password;
  static String schema;
  static Transport transport;
  static FederationSetup.Layout layout;
  static LocalFederation federation;

  @BeforeAll
  static void start() throws Exception {
    url = System.getenv("SLUICE_TEST_POSTGRES_URL");
    assumeTrue(url != null, "SLUICE_TEST_POSTGRES_URL names no PostgreSQL server (.ci/run starts one)");
    user = System.getenv().getOrDefault("SLUICE_TEST_POSTGRES_USER", "sluice");
    password = System.getenv().getOrDefault("SLUICE_TEST_POSTGRES_PASSWORD", "");
    schema = "sluice_jdbc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    layout = FederationSetup.create(work, FederationSetup.Options.defaults()
        .withDataProvinces(Set.of(Province.GUANGDONG)).withPersonsPerProvince(40)
        .withCatalogue(List.of(new FederationSetup.DemoGrant(CONSUMER, RESOURCE,
            List.of("enrolled", "monthly_contribution_base"), "SOCIAL_ASSISTANCE_ELIGIBILITY"))));
    ResourceDescriptor resource = layout.data().resource(RESOURCE).orElseThrow().descriptor();
    load(resource);
    // The department serves the resource from the table instead of its CSV file.
    Path config = layout.nodeConfigs().get(HRSS);
    String yaml = Files.readString(config).replaceAll("(?s)data:\\n  \"" + RESOURCE + "\": [^\\n]+\\n", "");
    Files.writeString(config, yaml + "jdbc:\n  \"" + RESOURCE + "\":\n    url: \"" + url + "\"\n    user: " + user
        + "\n    password: \"" + password + "\"\n    table: " + schema + ".insured\n    columns:\n      "
        + resource.subjectKeyField() + ": sfzhm\n");
    assertTrue(!Files.readString(config).contains("data:"), Files.readString(config));
    transport = Transport.create();
    federation = LocalFederation.start(layout, transport, n -> n.isHub() || n.equals(GD) || n.equals(HRSS) || n.equals(CONSUMER));
    federation.awaitReady(Duration.ofSeconds(60));
  }

  /** The generated records, then filler rows up to {@link #ROWS}, in a fresh schema. */
  static void load(ResourceDescriptor resource) throws Exception {
    try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
      List<String> cols = new ArrayList<>();
      for (FieldSpec f : resource.fields()) {
        String column = f.name().equals(resource.subjectKeyField()) ? "sfzhm" : f.name();
        String type = switch (f.type()) {
          case STRING -> "TEXT";
          case INTEGER -> "BIGINT";
          case DECIMAL -> "NUMERIC";
          case DATE -> "DATE";
          case BOOLEAN -> "BOOLEAN";
        };
        cols.add(column + " " + type + (column.equals("sfzhm") ? " PRIMARY KEY" : ""));
      }
      st.execute("CREATE TABLE " + schema + ".insured (" + String.join(", ", cols) + ")");
      var rows = Fixtures.rows(layout, RESOURCE);
      String names = String.join(", ", resource.fields().stream()
          .map(f -> f.name().equals(resource.subjectKeyField()) ? "sfzhm" : f.name()).toList());
      String marks = String.join(", ", resource.fields().stream().map(f -> "?").toList());
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + schema + ".insured (" + names + ") VALUES (" + marks + ")")) {
        for (Map<String, String> row : rows.values()) {
          for (int i = 0; i < resource.fields().size(); i++) {
            FieldSpec f = resource.fields().get(i);
            String v = row.get(f.name());
            ins.setObject(i + 1, v == null || v.isEmpty() ? null : switch (f.type()) {
              case STRING -> v;
              case INTEGER -> Long.parseLong(v);
              case DECIMAL -> new java.math.BigDecimal(v);
              case DATE -> java.time.LocalDate.parse(v);
              case BOOLEAN -> Boolean.parseBoolean(v);
            });
          }
          ins.addBatch();
        }
        ins.executeBatch();
      }
      // Filler: keys no real citizen ID has (they start with F), the other columns left empty.
      st.execute("INSERT INTO " + schema + ".insured (sfzhm) SELECT 'F' || lpad(g::text, 17, '0')"
          + " FROM generate_series(1, " + (ROWS - rows.size()) + ") g");
      st.execute("ANALYZE " + schema + ".insured");
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (federation != null) {
      federation.close();
    }
    if (transport != null) {
      transport.close();
    }
    if (schema != null && url != null) {
      try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
        st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  /** {sequential scans, index scans} of the table so far, as PostgreSQL counts them. */
  static long[] scans() throws Exception {
    try (Connection c = DriverManager.getConnection(url, user, password);
        PreparedStatement st = c.prepareStatement(
            "SELECT seq_scan, idx_scan FROM pg_stat_user_tables WHERE schemaname = ? AND relname = 'insured'")) {
      st.setString(1, schema);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  @Test
  void answersComeFromIndexedLookupsInAMillionRowTable() throws Exception {
    var rows = Fixtures.rows(layout, RESOURCE);
    List<String> subjects = new ArrayList<>(rows.keySet()).subList(0, 20);
    // Statistics reach pg_stat_user_tables within a second or so of each statement.
    long[] before = Fixtures.awaitValue(() -> {
      try {
        return scans();
      } catch (Exception e) {
        return null;
      }
    }, s -> s != null);
    try (ConsumerClient client = federation.consumer(CONSUMER, Fixtures.DEADLINE)) {
      Fixtures.awaitValue(() -> {
        try {
          return client.verify(request(RESOURCE, subjects.get(0), cmp("enrolled", Operator.EXISTS))).response().getAnswer();
        } catch (Exception e) {
          return null;
        }
      }, a -> a != null);
      for (String s : subjects) {
        Map<String, String> row = rows.get(s);
        Answer enrolled = client.verify(request(RESOURCE, s, cmp("enrolled", Operator.EQ, Fixtures.bool(true)))).response().getAnswer();
        assertEquals(row.get("enrolled").equals("true") ? Answer.TRUE : Answer.FALSE, enrolled, s);
        String base = row.get("monthly_contribution_base");
        if (!base.isEmpty()) {
          assertEquals(Answer.TRUE, client.verify(request(RESOURCE, s, cmp("monthly_contribution_base", Operator.GE,
              Fixtures.integer(Long.parseLong(base))))).response().getAnswer());
          assertEquals(Answer.FALSE, client.verify(request(RESOURCE, s, cmp("monthly_contribution_base", Operator.GT,
              Fixtures.integer(Long.parseLong(base))))).response().getAnswer());
        }
      }
      assertEquals(Answer.NO_RECORD, client.verify(request(RESOURCE, "110105194912310010",
          cmp("enrolled", Operator.EXISTS))).response().getAnswer());
    }
    long[] after = Fixtures.awaitValue(() -> {
      try {
        return scans();
      } catch (Exception e) {
        return null;
      }
    }, s -> s != null && s[1] - before[1] >= 21);
    assertEquals(before[0], after[0], "the table was never scanned whole");

    // Lookup latency straight against the store, over keys spread through the million rows.
    ResourceDescriptor resource = layout.data().resource(RESOURCE).orElseThrow().descriptor();
    try (JdbcRecordStore store = JdbcRecordStore.open(resource, url, user, password, schema + ".insured",
        Map.of(resource.subjectKeyField(), "sfzhm"))) {
      try (Connection c = DriverManager.getConnection(url, user, password);
          PreparedStatement explain = c.prepareStatement("EXPLAIN " + store.lookupSql())) {
        explain.setString(1, "F00000000000500000");
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = explain.executeQuery()) {
          while (rs.next()) {
            plan.append(rs.getString(1)).append('\n');
          }
        }
        assertTrue(plan.toString().contains("Index Scan") || plan.toString().contains("Index Only Scan"), plan.toString());
      }
      Random random = new Random(11);
      int n = 2000;
      long[] nanos = new long[n];
      for (int i = 0; i < n; i++) {
        String key = "F" + String.format("%017d", 1 + random.nextInt(ROWS - rows.size()));
        long t0 = System.nanoTime();
        assertTrue(store.find(key).isPresent(), key);
        nanos[i] = System.nanoTime() - t0;
      }
      Arrays.sort(nanos);
      System.out.printf("jdbc department: %,d rows; %d lookups by subject key: p50 %.2f ms, p99 %.2f ms (index scans)%n",
          ROWS, n, nanos[n / 2] / 1e6, nanos[n * 99 / 100] / 1e6);
      assertTrue(store.find("F99999999999999999").isEmpty());
    }
  }
}
