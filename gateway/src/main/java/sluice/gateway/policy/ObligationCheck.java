package sluice.gateway.policy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import sluice.catalog.entry.Mask;
import sluice.catalog.grant.MaskOrder;
import sluice.catalog.mask.MaskShapes;
import sluice.crypto.NodeId;
import sluice.v1.FieldObligation;
import sluice.v1.FieldValue;
import sluice.v1.MaskObligation;
import sluice.v1.QueryResponse;

/**
 * The provider's gateway's side of masking: the obligation it orders the department node to
 * apply, and the check of what comes back. A field the obligation does not name, one labelled
 * with another mask, one that does not have its mask's shape, or one sent twice is withheld, and
 * {@code onWithheld} hears which field and why; everything else passes unchanged, so the department's receipt
 * still proves each field that reaches the consumer.
 */
public final class ObligationCheck {
  private ObligationCheck() {}

  public static MaskObligation order(NodeId consumer, String grantId, Map<String, MaskOrder> masks) {
    MaskObligation.Builder b =
        MaskObligation.newBuilder().setConsumerNodeId(consumer.toString()).setGrantId(grantId == null ? "" : grantId);
    masks.forEach(
        (field, order) ->
            b.addFields(
                FieldObligation.newBuilder()
                    .setName(field)
                    .setMask(order.mask().name())
                    .setSemanticType(order.semanticType().name())));
    return b.build();
  }

  public static QueryResponse enforce(MaskObligation obligation, QueryResponse response, BiConsumer<String, String> onWithheld) {
    Map<String, Mask> ordered = new HashMap<>();
    for (FieldObligation f : obligation.getFieldsList()) {
      ordered.put(f.getName(), Mask.valueOf(f.getMask()));
    }
    Set<String> seen = new HashSet<>();
    QueryResponse.Builder out = response.toBuilder().clearFields();
    List<FieldValue> fields = response.getFieldsList();
    for (FieldValue f : fields) {
      Mask mask = ordered.get(f.getName());
      String problem;
      if (mask == null) {
        problem = "was not asked for";
      } else if (mask == Mask.NULLIFY || mask == Mask.VERIFY_ONLY) {
        problem = "must not leave (" + mask + " was ordered)";
      } else if (!seen.add(f.getName())) {
        problem = "came twice";
      } else if (!f.getMask().equals(mask.name())) {
        problem = "came labelled " + f.getMask() + " but " + mask + " was ordered";
      } else if (!MaskShapes.conforms(mask, f.getValue())) {
        problem = "does not have the shape of " + mask;
      } else {
        out.addFields(f);
        continue;
      }
      onWithheld.accept(f.getName(), problem);
    }
    return out.build();
  }
}
