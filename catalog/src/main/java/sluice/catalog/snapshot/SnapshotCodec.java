package sluice.catalog.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import sluice.catalog.entry.CatalogueEntries;
import sluice.catalog.entry.CatalogueEntry;
import sluice.catalog.entry.EntryWriter;
import sluice.catalog.entry.InvalidEntryException;
import sluice.catalog.grant.Grant;
import sluice.crypto.NodeId;

/**
 * The canonical JSON form of a snapshot: fixed key order, entries by code, grants by id, so the
 * same snapshot always gives the same bytes. Decoding checks every entry as stewards' entries are
 * checked, so a gateway never applies an entry that would not validate.
 */
final class SnapshotCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SnapshotCodec() {}

  static byte[] encode(CatalogSnapshot s) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", "sluice-catalog-snapshot/1");
    root.put("version", s.version());
    root.put("issuedAt", s.issuedAt().toString());
    ArrayNode entries = root.putArray("entries");
    s.entries().forEach(e -> entries.add(EntryWriter.tree(e)));
    ArrayNode grants = root.putArray("grants");
    for (Grant g : s.grants()) {
      ObjectNode n = grants.addObject();
      n.put("id", g.id());
      n.put("consumer", g.consumer().toString());
      n.put("resourceCode", g.resourceCode());
      g.fields().stream().sorted().forEach(n.putArray("fields")::add);
      g.purposes().stream().sorted().forEach(n.putArray("purposes")::add);
      n.put("issuedAt", g.issuedAt().toString());
      n.put("expiresAt", g.expiresAt().toString());
      n.put("dailyQuota", g.dailyQuota());
      if (g.revokedAt() != null) {
        n.put("revokedAt", g.revokedAt().toString());
        n.put("revocationReason", g.revocationReason());
      }
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode snapshot " + s.version(), e);
    }
  }

  static CatalogSnapshot decode(byte[] body) throws SnapshotRejectedException {
    try {
      JsonNode root = JSON.readTree(body);
      if (!"sluice-catalog-snapshot/1".equals(root.path("format").asText())) {
        throw new SnapshotRejectedException("not a catalogue snapshot (format " + root.path("format") + ")");
      }
      List<CatalogueEntry> entries = new ArrayList<>();
      for (JsonNode e : root.path("entries")) {
        entries.add(CatalogueEntries.parse(JSON.writeValueAsString(e), "snapshot entry"));
      }
      List<Grant> grants = new ArrayList<>();
      for (JsonNode g : root.path("grants")) {
        grants.add(
            new Grant(
                g.path("id").asText(), NodeId.parse(g.path("consumer").asText()), g.path("resourceCode").asText(),
                texts(g.path("fields")), texts(g.path("purposes")), Instant.parse(g.path("issuedAt").asText()),
                Instant.parse(g.path("expiresAt").asText()), g.path("dailyQuota").asLong(),
                g.hasNonNull("revokedAt") ? Instant.parse(g.path("revokedAt").asText()) : null,
                g.hasNonNull("revocationReason") ? g.path("revocationReason").asText() : null));
      }
      return new CatalogSnapshot(
          root.path("version").asLong(), Instant.parse(root.path("issuedAt").asText()), entries, grants);
    } catch (InvalidEntryException e) {
      throw new SnapshotRejectedException("snapshot holds an invalid entry: " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      throw new SnapshotRejectedException("snapshot body is malformed: " + e.getMessage());
    }
  }

  private static Set<String> texts(JsonNode array) {
    Set<String> out = new LinkedHashSet<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
