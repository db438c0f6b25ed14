package sluice.nodes.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** {@code logFormat: json}: every log line one JSON object naming the node, with any failure. */
class JsonLogFormatterTest {
  @Test
  void aRecordIsOneLineOfJson() throws Exception {
    LogRecord r = new LogRecord(Level.WARNING, "catalogue feed: \"quoted\" and\nnewline");
    r.setLoggerName("sluice.gateway.catalog.CatalogFeed");
    r.setThrown(new IllegalStateException("database away"));
    String line = new JsonLogFormatter("prov-44").format(r);
    assertEquals(1, line.strip().lines().count(), line);
    JsonNode n = new ObjectMapper().readTree(line);
    assertEquals("WARNING", n.path("level").asText());
    assertEquals("prov-44", n.path("node").asText());
    assertEquals("sluice.gateway.catalog.CatalogFeed", n.path("logger").asText());
    assertEquals("catalogue feed: \"quoted\" and\nnewline", n.path("message").asText());
    assertEquals("java.lang.IllegalStateException", n.path("error").asText());
    assertEquals("database away", n.path("errorMessage").asText());
    assertTrue(n.path("time").asText().endsWith("Z"));
  }
}
