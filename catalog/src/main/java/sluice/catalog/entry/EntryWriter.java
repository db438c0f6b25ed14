package sluice.catalog.entry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import sluice.catalog.FieldType;

/**
 * Writes a catalogue entry in the tree form {@link CatalogueEntries} reads, so that stored and
 * distributed entries are the same documents stewards write.
 */
public final class EntryWriter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();

  private EntryWriter() {}

  /** Compact JSON text of {@code entry}; parse it back with {@link CatalogueEntries#parse}. */
  public static String toJson(CatalogueEntry entry) {
    try {
      return JSON.writeValueAsString(tree(entry));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write entry " + entry.resourceCode(), e);
    }
  }

  public static JsonNode tree(CatalogueEntry e) {
    ObjectNode o = NODES.objectNode();
    o.put("resourceCode", e.resourceCode());
    o.put("name", e.name());
    o.put("category", e.category());
    ObjectNode p = o.putObject("provider");
    p.put("name", e.provider().name());
    p.put("code", e.provider().code());
    p.put("node", e.provider().node().toString());
    o.put("summary", e.summary());
    o.put("format", e.format().name());
    ObjectNode s = o.putObject("sharing");
    s.put("type", e.sharingType().name());
    if (e.sharingType() == SharingType.CONDITIONAL) {
      SharingConditions c = e.sharingConditions();
      strings(s.putArray("allowedPurposes"), c.allowedPurposes());
      enums(s.putArray("allowedConsumerKinds"), c.allowedConsumerKinds());
      s.put("needsApproval", c.needsApproval());
      s.put("rowCap", c.rowCap());
    }
    if (e.legalBasis() != null) {
      o.put("legalBasis", e.legalBasis());
    }
    o.put("openType", e.openType().name());
    o.put("updateCycle", e.updateCycle().name());
    o.put("publishedOn", e.publishedOn().toString());
    o.put("updatedOn", e.updatedOn().toString());
    o.put("subjectKey", e.subjectKey());
    o.put("version", e.version());
    o.put("status", e.status().name());
    if (e.sunsetOn() != null) {
      o.put("sunsetOn", e.sunsetOn().toString());
    }
    o.put("steward", e.steward());
    ArrayNode fields = o.putArray("fields");
    for (FieldEntry f : e.fields()) {
      ObjectNode n = fields.addObject();
      n.put("name", f.name());
      n.put("code", f.code());
      n.put("type", f.type().name());
      if (f.length() > 0 || f.type() == FieldType.STRING) {
        n.put("length", f.length());
      }
      n.put("description", f.description());
      n.put("level", f.level().name());
      n.put("personalInfo", f.personalInfo().name());
      n.put("identifierRole", f.identifierRole().name());
      n.put("semanticType", f.semanticType().name());
      n.put("defaultMask", f.defaultMask().name());
      enums(n.putArray("allowedMasks"), f.allowedMasks());
    }
    return o;
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }

  private static void enums(ArrayNode a, List<? extends Enum<?>> values) {
    values.forEach(v -> a.add(v.name()));
  }
}
