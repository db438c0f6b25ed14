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
import sluice.catalog.grant.MaskChoices;
import sluice.crypto.NodeId;

/**
 * The canonical JSON forms of a snapshot: fixed key order, entries by code, grants by id, so the
 * same snapshot always gives the same bytes. A full body ({@code sluice-catalog-snapshot/1})
 * holds every entry and grant; a delta body ({@code sluice-catalog-delta/1}) holds only the
 * entries and grants that changed since its base version (entries and grants are never removed:
 * a deprecation or revocation is a change). Decoding checks every entry as stewards' entries are
 * checked, so a gateway never applies an entry that would not validate.
 */
final class SnapshotCodec {
  static final String FULL = "sluice-catalog-snapshot/1";
  static final String DELTA = "sluice-catalog-delta/1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private SnapshotCodec() {}

  /** What a body holds: a whole snapshot, or the changes from {@code baseVersion} (0 for a full one). */
  record Decoded(long baseVersion, CatalogSnapshot content) {
    boolean isDelta() {
      return baseVersion != 0;
    }
  }

  static byte[] encode(CatalogSnapshot s) {
    return write(FULL, 0, s.version(), s.issuedAt(), s.entries(), s.grants());
  }

  /** The changes from {@code base} to {@code next}. */
  static byte[] encodeDelta(CatalogSnapshot base, CatalogSnapshot next) {
    SnapshotDiff d = SnapshotDiff.between(base, next);
    return write(DELTA, base.version(), next.version(), next.issuedAt(), d.entries(), d.grants());
  }

  private static byte[] write(
      String format, long baseVersion, long version, Instant issuedAt, List<CatalogueEntry> entries, List<Grant> grants) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", format);
    if (baseVersion != 0) {
      root.put("baseVersion", baseVersion);
    }
    root.put("version", version);
    root.put("issuedAt", issuedAt.toString());
    ArrayNode entryArray = root.putArray("entries");
    entries.forEach(e -> entryArray.add(EntryWriter.tree(e)));
    ArrayNode grantArray = root.putArray("grants");
    for (Grant g : grants) {
      ObjectNode n = grantArray.addObject();
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
      if (g.query()) {
        n.put("query", true);
      }
      if (!g.masks().isEmpty()) {
        n.put("masks", MaskChoices.write(g.masks()));
      }
      if (g.sameProvinceField() != null) {
        n.put("sameProvinceField", g.sameProvinceField());
      }
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode snapshot " + version, e);
    }
  }

  static Decoded decode(byte[] body) throws SnapshotRejectedException {
    try {
      JsonNode root = JSON.readTree(body);
      String format = root.path("format").asText();
      long base;
      if (FULL.equals(format)) {
        base = 0;
      } else if (DELTA.equals(format)) {
        base = root.path("baseVersion").asLong();
        if (base <= 0) {
          throw new SnapshotRejectedException("delta snapshot without a base version");
        }
      } else {
        throw new SnapshotRejectedException("not a catalogue snapshot (format " + root.path("format") + ")");
      }
      List<CatalogueEntry> entries = new ArrayList<>();
      for (JsonNode e : root.path("entries")) {
        entries.add(CatalogueEntries.fromTree(e, "snapshot entry " + e.path("resourceCode").asText()));
      }
      List<Grant> grants = new ArrayList<>();
      for (JsonNode g : root.path("grants")) {
        grants.add(
            new Grant(
                g.path("id").asText(), NodeId.parse(g.path("consumer").asText()), g.path("resourceCode").asText(),
                texts(g.path("fields")), texts(g.path("purposes")), Instant.parse(g.path("issuedAt").asText()),
                Instant.parse(g.path("expiresAt").asText()), g.path("dailyQuota").asLong(),
                g.hasNonNull("revokedAt") ? Instant.parse(g.path("revokedAt").asText()) : null,
                g.hasNonNull("revocationReason") ? g.path("revocationReason").asText() : null,
                g.path("query").asBoolean(false),
                MaskChoices.read(g.path("masks").asText("")),
                g.hasNonNull("sameProvinceField") ? g.path("sameProvinceField").asText() : null));
      }
      return new Decoded(
          base,
          new CatalogSnapshot(root.path("version").asLong(), Instant.parse(root.path("issuedAt").asText()), entries, grants));
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
