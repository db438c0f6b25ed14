package sluice.gateway.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import sluice.gateway.Transport;

/**
 * Serves a node's metrics at {@code GET /metrics} over plain HTTP, for Prometheus to scrape: bind
 * it to loopback or the operators' network, not to the federation's. It holds no citizen data
 * (see {@link NodeMetrics}); anything else answers 404.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService threads;

  private MetricsEndpoint(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /** Starts serving {@code metrics} on {@code listen} (port 0: any free one). */
  public static MetricsEndpoint start(InetSocketAddress listen, NodeMetrics metrics) throws IOException {
    HttpServer server = HttpServer.create(listen, 16);
    ExecutorService threads = Executors.newFixedThreadPool(2, Transport.daemonThreads("sluice-metrics"));
    server.setExecutor(threads);
    server.createContext("/", exchange -> {
      try (exchange) {
        if (!exchange.getRequestURI().getPath().equals("/metrics") || !exchange.getRequestMethod().equals("GET")) {
          reply(exchange, 404, "text/plain; charset=utf-8", "not found: GET /metrics\n");
        } else {
          reply(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
        }
      }
    });
    server.start();
    return new MetricsEndpoint(server, threads);
  }

  /** Where it listens (the port chosen, when asked for port 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
