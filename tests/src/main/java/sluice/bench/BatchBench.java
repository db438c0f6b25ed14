package sluice.bench;

import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import sluice.v1.BatchHeader;
import sluice.v1.BatchItem;
import sluice.v1.BatchVerifyRequest;
import sluice.v1.BatchVerifyResponse;
import sluice.v1.RequestContext;
import sluice.v1.VerifyServiceGrpc;

/**
 * {@code sluice bench batch}: one BatchVerify stream of N subjects, straight to the department,
 * through its provincial gateway, and across provinces, in one run; subjects per second for each.
 * The stream is timed from the header to the last answer; receipts are not checked here (a
 * client checks them on every core after the stream, see {@code ConsumerClient}).
 *
 * <p>Usage: {@code ./sluice bench batch [--items N] [--rounds R] [--distinct true] [--path cross]}: with
 * {@code --distinct true} the provider holds a record per item and every item asks about another
 * subject (the issue 7 sweep: {@code --items 1000000 --distinct true --rounds 1 --path "full, cross"}).
 */
final class BatchBench {
  private BatchBench() {}

  static void run(String[] args) throws Exception {
    int items = 20_000;
    int rounds = 2;
    boolean distinct = false;
    String only = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--items" -> items = Integer.parseInt(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--distinct" -> distinct = Boolean.parseBoolean(args[i + 1]);
        case "--path" -> only = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path work = Files.createTempDirectory("sluice-batch-bench");
    // --distinct true: the provider holds one record per item and every item asks about another subject.
    List<String> distinctKeys = distinct ? ProviderData.keys(items) : null;
    try (LoadRig load = distinct ? new LoadRig(work, ProviderData.withKeys(distinctKeys, work)) : new LoadRig(work)) {
      CatalogRig rig = load.rig;
      List<String> subjects = distinct ? distinctKeys : load.subjects;
      Map<String, VerifyServiceGrpc.VerifyServiceStub> paths = new LinkedHashMap<>();
      paths.put("direct", load.asGateway(load.toDepartment));
      paths.put("full (prov-44)", VerifyServiceGrpc.newStub(load.toGd));
      paths.put("full, cross-province", VerifyServiceGrpc.newStub(load.toBj));
      if (only != null) {
        String wanted = only;
        paths.keySet().removeIf(k -> !k.startsWith(wanted));
        if (paths.isEmpty()) {
          throw new IllegalArgumentException("--path: one of direct, full (prov-44), full, cross-province");
        }
      }
      // Wait for the grants to reach the gateways.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      for (var p : paths.entrySet()) {
        while (stream(p.getValue(), rig, subjects, 10).errors() > 0) {
          if (System.nanoTime() > until) {
            throw new IllegalStateException(p.getKey() + " still refuses the bench's items");
          }
          Thread.sleep(100);
        }
      }
      System.out.printf("BatchVerify: one stream of %,d %s per run, %d rounds%n", items,
          distinct ? "distinct subjects, each with a record" : "items over " + subjects.size() + " subjects", rounds);
      for (var p : paths.entrySet()) {
        report("warm-up " + p.getKey(), stream(p.getValue(), rig, subjects, Math.min(items, 5000)));
      }
      for (int r = 0; r < rounds; r++) {
        for (var p : paths.entrySet()) {
          report(p.getKey(), stream(p.getValue(), rig, subjects, items));
        }
      }
    } finally {
      Bench.deleteTree(work);
    }
  }

  record Streamed(int answers, long errors, double seconds, double cpuSeconds) {}

  private static void report(String name, Streamed s) {
    System.out.printf("  %-28s %,8.0f subjects/s  (%,d answers in %.1f s, %d item errors; CPU %.0f%%, %.0f µs/subject)%n",
        name, s.answers() / s.seconds(), s.answers(), s.seconds(), s.errors(),
        100 * s.cpuSeconds() / s.seconds() / Runtime.getRuntime().availableProcessors(), 1e6 * s.cpuSeconds() / s.answers());
  }

  /** Streams {@code n} items as fast as the stream takes them; waits for every answer. */
  static Streamed stream(VerifyServiceGrpc.VerifyServiceStub stub, CatalogRig rig, List<String> subjects, int n)
      throws Exception {
    BatchHeader header = BatchHeader.newBuilder()
        .setContext(RequestContext.newBuilder().setPurposeCode("SOCIAL_ASSISTANCE_ELIGIBILITY").setCaseReference("BENCH"))
        .setResourceCode(rig.entry.resourceCode()).build();
    var predicate = QueryBench.verifyRequest(rig, subjects.get(0)).getPredicate();
    CompletableFuture<Streamed> done = new CompletableFuture<>();
    AtomicLong errors = new AtomicLong();
    long cpu = Bench.processCpuNanos();
    long start = System.nanoTime();
    stub.withDeadlineAfter(30, TimeUnit.MINUTES).batchVerify(
        new ClientResponseObserver<BatchVerifyRequest, BatchVerifyResponse>() {
          private ClientCallStreamObserver<BatchVerifyRequest> requests;
          private int sent = -1;
          private int answers;

          @Override
          public void beforeStart(ClientCallStreamObserver<BatchVerifyRequest> r) {
            requests = r;
            r.setOnReadyHandler(this::pump);
          }

          private synchronized void pump() {
            while (sent < n && requests.isReady()) {
              if (sent < 0) {
                requests.onNext(BatchVerifyRequest.newBuilder().setHeader(header).build());
              } else {
                requests.onNext(BatchVerifyRequest.newBuilder().setItem(BatchItem.newBuilder().setSeq(sent)
                    .setSubjectKey(subjects.get(sent % subjects.size())).setPredicate(predicate)).build());
              }
              if (++sent == n) {
                requests.onCompleted();
              }
            }
          }

          @Override
          public void onNext(BatchVerifyResponse value) {
            answers++;
            if (value.hasError()) {
              errors.incrementAndGet();
            }
          }

          @Override
          public void onError(Throwable t) {
            done.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            done.complete(new Streamed(answers, errors.get(), (System.nanoTime() - start) / 1e9,
                (Bench.processCpuNanos() - cpu) / 1e9));
          }
        });
    try {
      return done.get(30, TimeUnit.MINUTES);
    } catch (java.util.concurrent.ExecutionException e) {
      return new Streamed(0, n, (System.nanoTime() - start) / 1e9, 0);
    }
  }
}
