package sluice.nodes.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * A node's log lines as JSON objects, one a line ({@code logFormat: json}): time, level, logger,
 * thread, node, message and, for a failure, its class and message. Calls have their own JSON
 * lines in the gateway's call log, keyed by request id.
 */
public final class JsonLogFormatter extends Formatter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String node;

  public JsonLogFormatter(String node) {
    this.node = node;
  }

  @Override
  public String format(LogRecord r) {
    ObjectNode o = JSON.createObjectNode();
    o.put("time", Instant.ofEpochMilli(r.getMillis()).toString());
    o.put("level", r.getLevel().getName());
    o.put("logger", r.getLoggerName());
    o.put("thread", Thread.currentThread().getName());
    o.put("node", node);
    o.put("message", formatMessage(r));
    if (r.getThrown() != null) {
      o.put("error", r.getThrown().getClass().getName());
      o.put("errorMessage", String.valueOf(r.getThrown().getMessage()));
    }
    try {
      return JSON.writeValueAsString(o) + System.lineSeparator();
    } catch (JsonProcessingException e) {
      return "{\"level\":\"SEVERE\",\"message\":\"unloggable record\"}" + System.lineSeparator();
    }
  }
}
