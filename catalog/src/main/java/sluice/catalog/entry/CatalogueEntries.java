package sluice.catalog.entry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The front door for catalogue entries written by stewards: parse YAML (or JSON, which is
 * YAML), check every rule, and return the entry or every problem at once.
 */
public final class CatalogueEntries {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();

  private CatalogueEntries() {}

  /**
   * @param source a name for messages (a file name)
   * @throws InvalidEntryException listing every problem, each with its path
   */
  public static CatalogueEntry parse(String yaml, String source) throws InvalidEntryException {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
      throw new InvalidEntryException(
          source, List.of(new Problem("(entry)", "not valid YAML" + where + ": " + e.getOriginalMessage())));
    }
    return fromTree(root, source);
  }

  /**
   * Reads an entry in the JSON form {@link EntryWriter} writes (as stores and snapshots keep it),
   * faster than through the YAML reader.
   */
  public static CatalogueEntry fromJson(String json, String source) throws InvalidEntryException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidEntryException(source, List.of(new Problem("(entry)", "not valid JSON: " + e.getOriginalMessage())));
    }
    return fromTree(root, source);
  }

  /** Checks an entry already parsed into a tree (as a snapshot carries it). */
  public static CatalogueEntry fromTree(JsonNode root, String source) throws InvalidEntryException {
    EntryParser parser = new EntryParser();
    CatalogueEntry entry = parser.parse(root);
    if (entry == null) {
      throw new InvalidEntryException(source, parser.problems());
    }
    return entry;
  }

  /** Reads and checks the entry in {@code file}. */
  public static CatalogueEntry read(Path file) throws IOException, InvalidEntryException {
    return parse(Files.readString(file), file.toString());
  }
}
