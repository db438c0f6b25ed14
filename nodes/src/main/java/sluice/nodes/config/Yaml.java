package sluice.nodes.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads and writes Sluice's YAML files with strict checking (unknown keys are errors). */
final class Yaml {
  private static final ObjectMapper MAPPER =
      new ObjectMapper(
              YAMLFactory.builder()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .setSerializationInclusion(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);

  private Yaml() {}

  static <T> T read(Path file, Class<T> type) throws ConfigException {
    try {
      T value = MAPPER.readValue(Files.readString(file), type);
      if (value == null) {
        throw new ConfigException(file + ": file is empty");
      }
      return value;
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file");
    } catch (UnrecognizedPropertyException e) {
      throw new ConfigException(
          file + ": unknown key \"" + e.getPropertyName() + "\" at " + path(e)
              + " (known keys: " + e.getKnownPropertyIds() + ")");
    } catch (JsonProcessingException e) {
      throw new ConfigException(file + ": " + e.getOriginalMessage() + " at " + path(e), e);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  static void write(Path file, Object value) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    MAPPER.writeValue(file.toFile(), value);
  }

  private static String path(JsonProcessingException e) {
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
      StringBuilder sb = new StringBuilder();
      for (var ref : m.getPath()) {
        if (ref.getFieldName() != null) {
          if (sb.length() > 0) {
            sb.append('.');
          }
          sb.append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          sb.append('[').append(ref.getIndex()).append(']');
        }
      }
      return sb.toString();
    }
    return e.getLocation() == null ? "?" : "line " + e.getLocation().getLineNr();
  }
}
