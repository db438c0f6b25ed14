package sluice.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static sluice.tests.Fixtures.cmp;

import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.bench.CatalogRig;
import sluice.bench.MessageTap;
import sluice.catalog.grant.AccessRequest;
import sluice.gateway.client.ConsumerClient;
import sluice.v1.BatchHeader;
import sluice.v1.BatchItem;
import sluice.v1.FieldValue;
import sluice.v1.Operator;
import sluice.v1.QueryRequest;
import sluice.v1.RequestContext;
import sluice.v1.VerifyRequest;

/**
 * The privacy canary suite for Verify, BatchVerify and Query across provinces: Guangdong's social
 * insurance records are seeded with canary values (every name its surname then 雀 and two
 * numbering stems, every contribution base 98765xx), a Beijing department asks about them through three gateways under
 * a grant that lets names out only masked (surname kept), and every message the provider
 * department sends is captured there. No canary may appear in any of them, nor any record's
 * citizen ID, while the granted masked fields do leave. (PSI's canary check is in {@code
 * PsiTest}.)
 */
class PrivacyCanaryTest {
  static final String PURPOSE = "SOCIAL_ASSISTANCE_ELIGIBILITY";
  @TempDir static Path work;
  static CatalogRig rig;
  static ConsumerClient bj;
  static final List<String> ids = new ArrayList<>();
  static final List<String> names = new ArrayList<>();
  static final String STEMS = "甲乙丙丁戊己庚辛壬癸";

  @BeforeAll
  static void start() throws Exception {
    rig = new CatalogRig(work.resolve("fed"), Path.of("../docs/examples/catalogue-entry.yaml"), java.time.Duration.ofMillis(100),
        sluice.gateway.audit.AuditLogSettings.defaults(), PrivacyCanaryTest::seedCanaries);
    bj = rig.consumer(Fixtures.DEADLINE);
  }

  @AfterAll
  static void stop() throws Exception {
    bj.close();
    rig.close();
  }

  /** The provider's records with canary names and contribution bases; their citizen IDs noted. */
  static Path seedCanaries(Path csv) {
    try {
      List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
      List<String> header = List.of(lines.get(0).split(","));
      int name = header.indexOf("name");
      int base = header.indexOf("monthly_contribution_base");
      List<String> out = new ArrayList<>(List.of(lines.get(0)));
      for (int i = 1; i < lines.size(); i++) {
        String[] cells = lines.get(i).split(",", -1);
        ids.add(cells[header.indexOf("id_number")]);
        // A name the masks accept (no digits): the surname, then 雀 and two stems numbering it.
        cells[name] = cells[name].substring(0, 1) + "雀" + STEMS.charAt(i / 10 % 10) + STEMS.charAt(i % 10);
        names.add(cells[name]);
        cells[base] = Integer.toString(9_876_500 + i);
        out.add(String.join(",", cells));
      }
      Path seeded = csv.resolveSibling("canaries.csv");
      Files.write(seeded, out, StandardCharsets.UTF_8);
      return seeded;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static RequestContext context(String id) {
    return RequestContext.newBuilder().setPurposeCode(PURPOSE).setCaseReference("BJ-MZ-2026-CANARY").setRequestId(id).build();
  }

  @Test
  void noCanaryLeavesTheProviderInVerifyBatchVerifyOrQuery() throws Exception {
    AccessRequest r = rig.access.request(CatalogRig.CONSUMER, rig.entry.resourceCode(), List.of("id_number", "name", "enrolled"),
        List.of(PURPOSE), "《社会救助暂行办法》第十一条", 30, 10_000, true, Map.of());
    rig.access.approve(r.id(), "张敏", "");
    String subject = ids.get(0);
    QueryRequest first = QueryRequest.newBuilder().setContext(context("canary-q-first")).setResourceCode(rig.entry.resourceCode())
        .setSubjectKey(subject).addFields("name").addFields("enrolled").build();
    Fixtures.await(() -> {
      try {
        bj.query(first);
        return "answered";
      } catch (StatusRuntimeException | sluice.gateway.receipt.InvalidReceiptException e) {
        return e.toString();
      }
    }, "answered"::equals);

    int asked = 0;
    List<String> maskedNames = new ArrayList<>();
    for (int i = 0; i < Math.min(20, ids.size()); i++) {
      String id = ids.get(i);
      // Verify: on granted fields, including a guess at the canary name itself.
      bj.verify(VerifyRequest.newBuilder().setContext(context("canary-v-" + i)).setResourceCode(rig.entry.resourceCode())
          .setSubjectKey(id).setPredicate(cmp("enrolled", Operator.EQ, Fixtures.bool(true))).build());
      bj.verify(VerifyRequest.newBuilder().setContext(context("canary-n-" + i)).setResourceCode(rig.entry.resourceCode())
          .setSubjectKey(id).setPredicate(cmp("name", Operator.EXISTS)).build());
      // Query: the name leaves, masked to its surname.
      ConsumerClient.Queried q = bj.query(QueryRequest.newBuilder().setContext(context("canary-q-" + i))
          .setResourceCode(rig.entry.resourceCode()).setSubjectKey(id).addFields("name").addFields("enrolled").build());
      FieldValue name = q.response().getFieldsList().stream().filter(f -> f.getName().equals("name")).findFirst()
          .orElseThrow(() -> new AssertionError("no name for " + id + ": " + q.response()));
      assertEquals("NAME_KEEP_SURNAME", name.getMask());
      maskedNames.add(name.getValue());
      asked += 3;
    }
    // BatchVerify: every subject at once, on granted fields.
    List<BatchItem> items = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      items.add(BatchItem.newBuilder().setSeq(i).setSubjectKey(ids.get(i))
          .setPredicate(cmp(i % 2 == 0 ? "enrolled" : "name", Operator.EXISTS)).build());
    }
    var batch = bj.batchVerify(BatchHeader.newBuilder().setContext(context("canary-batch"))
        .setResourceCode(rig.entry.resourceCode()).build(), items);
    assertEquals(ids.size(), batch.responses().size());
    // Refused at the gateways, never reaching the provider: the contribution base is not granted.
    StatusRuntimeException base = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
        () -> bj.verify(VerifyRequest.newBuilder().setContext(context("canary-base"))
            .setResourceCode(rig.entry.resourceCode()).setSubjectKey(subject)
            .setPredicate(cmp("monthly_contribution_base", Operator.GT, Fixtures.integer(0))).build()));
    assertEquals(io.grpc.Status.Code.PERMISSION_DENIED, base.getStatus().getCode(), base.getStatus().toString());

    // Every message the provider department sent, as bytes and as text.
    List<MessageTap.Message> sent = rig.providerTap.seen().stream().filter(m -> !m.in()).toList();
    assertTrue(sent.size() >= asked + 1, "messages captured: " + sent.size());
    int checked = 0;
    boolean sawMaskedName = false;
    for (MessageTap.Message m : sent) {
      String text = new String(((com.google.protobuf.MessageLite) m.message()).toByteArray(), StandardCharsets.UTF_8)
          + "\n" + m.message();
      for (String name : names) {
        assertFalse(text.contains(name.substring(1)), m.method() + " sent (part of) the canary name " + name);
      }
      assertFalse(text.contains("98765"), m.method() + " sent a canary contribution base: " + m.message());
      for (String id : ids) {
        assertFalse(text.contains(id), m.method() + " sent the citizen ID " + id);
        assertFalse(text.contains(id.substring(6, 14)), m.method() + " sent the birth date inside citizen ID " + id);
      }
      sawMaskedName |= !maskedNames.isEmpty() && text.contains(maskedNames.get(0));
      checked++;
    }
    assertTrue(sawMaskedName, "the scan reads the names that did leave (masked): " + maskedNames.get(0));
    assertTrue(checked > 40, "checked " + checked);
    System.out.println("privacy canaries: " + checked + " messages the provider sent, " + names.size() + " canary names, "
        + ids.size() + " citizen IDs: none found");
    // The granted field did leave, masked: the surname and stars, nothing of the canary.
    assertTrue(maskedNames.stream().allMatch(n -> n.matches("\\S\\*+")), maskedNames.toString());
  }
}
