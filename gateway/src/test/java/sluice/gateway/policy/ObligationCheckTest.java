package sluice.gateway.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sluice.catalog.entry.Mask;
import sluice.catalog.entry.SemanticType;
import sluice.catalog.grant.MaskOrder;
import sluice.crypto.NodeId;
import sluice.v1.Answer;
import sluice.v1.FieldValue;
import sluice.v1.MaskObligation;
import sluice.v1.QueryResponse;

/** A department node that does not mask as ordered gets its fields withheld by the gateway. */
class ObligationCheckTest {
  static final MaskObligation ORDER;

  static {
    Map<String, MaskOrder> masks = new LinkedHashMap<>();
    masks.put("id_number", new MaskOrder(Mask.ID_KEEP_6_4, SemanticType.CN_ID_CARD));
    masks.put("name", new MaskOrder(Mask.NAME_KEEP_SURNAME, SemanticType.CN_NAME));
    masks.put("enrolled", new MaskOrder(Mask.CLEAR, SemanticType.FLAG));
    masks.put("address", new MaskOrder(Mask.NULLIFY, SemanticType.ADDRESS));
    ORDER = ObligationCheck.order(NodeId.parse("prov-11/dept-ca"), "G-1", masks);
  }

  static FieldValue field(String name, String value, String mask) {
    return FieldValue.newBuilder().setName(name).setValue(value).setMask(mask).build();
  }

  @Test
  void theOrderNamesEveryFieldWithItsMaskAndType() {
    assertEquals("prov-11/dept-ca", ORDER.getConsumerNodeId());
    assertEquals("G-1", ORDER.getGrantId());
    assertEquals(List.of("id_number:ID_KEEP_6_4:CN_ID_CARD", "name:NAME_KEEP_SURNAME:CN_NAME", "enrolled:CLEAR:FLAG",
        "address:NULLIFY:ADDRESS"),
        ORDER.getFieldsList().stream().map(f -> f.getName() + ":" + f.getMask() + ":" + f.getSemanticType()).toList());
  }

  @Test
  void whatIsMaskedAsOrderedPassesAndEverythingElseIsWithheld() {
    QueryResponse sent = QueryResponse.newBuilder()
        .setAnswer(Answer.TRUE)
        .addFields(field("id_number", "11010519491231002X", "ID_KEEP_6_4"))   // clear under a mask's label
        .addFields(field("name", "张**", "NAME_KEEP_SURNAME"))
        .addFields(field("enrolled", "true", "CLEAR"))
        .addFields(field("enrolled", "true", "CLEAR"))                         // twice
        .addFields(field("address", "北京市海淀区马连洼街道289号", "NULLIFY"))   // ordered absent
        .addFields(field("salary", "9000", "CLEAR"))                           // never asked for
        .addFields(field("name", "张三", "CLEAR"))                             // relabelled
        .build();
    List<String> withheld = new ArrayList<>();
    QueryResponse passed = ObligationCheck.enforce(ORDER, sent, (field, why) -> withheld.add("field " + field + " " + why));
    assertEquals(List.of("name=张**", "enrolled=true"),
        passed.getFieldsList().stream().map(f -> f.getName() + "=" + f.getValue()).toList());
    assertEquals(Answer.TRUE, passed.getAnswer());
    assertEquals(List.of(
        "field id_number does not have the shape of ID_KEEP_6_4",
        "field enrolled came twice",
        "field address must not leave (NULLIFY was ordered)",
        "field salary was not asked for",
        "field name came twice"), withheld);
  }
}
