package sluice.gateway.audit;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.Writer;
import sluice.v1.AuditEntry;

/**
 * The gateway's call log: one JSON object a line for every audit entry once it is durable, for
 * the operators' log pipeline. It carries the entry's request id (so a log line leads to the
 * audit entry, and back), operation, decision, status and reason, consumer, provider, resource,
 * purpose, grant, catalogue version, latency and the entry's index in the log; it leaves out what
 * the audit log keeps for auditors only: the subject pseudonym, the caller's case reference, the
 * answer digest and field details.
 *
 * <p>Entries already in the log when it opens are not logged again: it starts with {@link #start}.
 */
public final class CallLog implements AuditLog.Listener {
  private static final System.Logger LOG = System.getLogger(CallLog.class.getName());
  private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

  private final Writer out;
  private final LogName log;
  /** The line's opening after the index: the node, and the instance when there is one. */
  private final String source;
  private volatile boolean started;
  private boolean failed;

  /** Logs the calls {@code log}'s entries record to {@code out}. */
  public CallLog(Writer out, LogName log) {
    this.out = out;
    this.log = log;
    this.source = ",\"node\":\"" + log.node() + "\""
        + (log.instance().isEmpty() ? "" : ",\"instance\":\"" + log.instance() + "\"");
  }

  /** Logs entries from now on (call once the log has opened and replayed its entries). */
  public void start() {
    started = true;
  }

  @Override
  public void entry(long index, byte[] entry) {
    if (!started) {
      return;
    }
    String line;
    try {
      AuditEntry e = AuditEntry.parseFrom(entry).toBuilder()
          .clearSubjectPseudonym().clearCaseReference().clearAnswerDigest().clearFields().build();
      String json = JSON.print(e);
      line = "{\"index\":" + index + source + "," + json.substring(1);
    } catch (InvalidProtocolBufferException ex) {
      line = "{\"index\":" + index + source + ",\"error\":\"not an audit entry\"}";
    }
    synchronized (this) {
      try {
        out.write(line);
        out.write('\n');
        out.flush();
      } catch (IOException ex) {
        if (!failed) {
          LOG.log(System.Logger.Level.WARNING, "call log of " + log + " cannot be written: " + ex.getMessage()
              + "; the audit log has every entry");
        }
        failed = true;
      }
    }
  }
}
