package sluice.gateway.client;

import java.util.List;
import java.util.Map;
import sluice.v1.BatchVerifyResponse;

/**
 * The outcome of a BatchVerify stream: every item's response, in arrival order, and the number
 * of receipts that were checked.
 */
public record BatchResult(List<BatchVerifyResponse> responses, int receiptsVerified) {
  /** Count of responses by answer name, with item errors counted under "ERROR". */
  public Map<String, Long> tally() {
    return responses.stream()
        .collect(
            java.util.stream.Collectors.groupingBy(
                r -> r.hasError() ? "ERROR" : r.getAnswer().name(),
                java.util.TreeMap::new,
                java.util.stream.Collectors.counting()));
  }
}
