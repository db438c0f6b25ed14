package sluice.gateway;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import sluice.crypto.merkle.TreeHash;
import sluice.crypto.note.SignedNote;
import sluice.crypto.pki.SigningChains;
import sluice.gateway.audit.CheckpointWitness;
import sluice.v1.Checkpoint;
import sluice.v1.WitnessRequest;
import io.grpc.stub.StreamObserver;
import sluice.catalog.ResourceCatalog;
import sluice.catalog.ResourceDescriptor;
import sluice.crypto.NodeId;
import sluice.gateway.catalog.CatalogPublisher;
import sluice.gateway.identity.CallerIdentity;
import sluice.v1.FederationServiceGrpc;
import sluice.v1.LocateResourceRequest;
import sluice.v1.ResourceLocation;
import sluice.v1.SignedCatalogSnapshot;
import sluice.v1.WatchCatalogRequest;

/** The national hub's federation service: where each resource lives, the catalogue feed, and the audit witness. Gateways only. */
final class HubFederationService extends FederationServiceGrpc.FederationServiceImplBase {
  private static final System.Logger LOG = System.getLogger(HubFederationService.class.getName());
  private final ResourceCatalog catalog;
  private final CatalogPublisher publisher;
  private final CheckpointWitness witness;

  /**
   * @param publisher the catalogue snapshots to serve, or null when the hub publishes none
   * @param witness the witness of provincial audit logs, or null when the hub witnesses none
   */
  HubFederationService(ResourceCatalog catalog, CatalogPublisher publisher, CheckpointWitness witness) {
    this.catalog = catalog;
    this.publisher = publisher;
    this.witness = witness;
  }

  @Override
  public void witnessCheckpoint(WitnessRequest request, StreamObserver<Checkpoint> responses) {
    NodeId peer = CallerIdentity.peer();
    try {
      if (!peer.isProvince()) {
        throw Refusals.denied("only provincial gateways have their audit checkpoints witnessed; caller is " + peer);
      }
      if (witness == null) {
        throw Status.UNIMPLEMENTED.withDescription("this hub witnesses no audit logs").asRuntimeException();
      }
      List<X509Certificate> chain;
      try {
        chain = SigningChains.parse(request.getSignerChainList().stream().map(ByteString::toByteArray).toList());
      } catch (CertificateException e) {
        throw Refusals.invalid("signer_chain: " + e.getMessage());
      }
      TreeHash hash;
      try {
        hash = request.getTreeHash().isEmpty() ? TreeHash.SM3 : TreeHash.valueOf(request.getTreeHash());
      } catch (IllegalArgumentException e) {
        throw Refusals.invalid("tree_hash: \"" + request.getTreeHash() + "\" is neither SM3 nor SHA256");
      }
      SignedNote cosigned =
          witness.witness(peer, hash, request.getCheckpoint().getNote(), chain, request.getProof().getFirstSize(),
              request.getProof().getHashesList().stream().map(ByteString::toByteArray).toList());
      responses.onNext(Checkpoint.newBuilder().setNote(cosigned.format()).build());
      responses.onCompleted();
    } catch (CheckpointWitness.Refusal r) {
      com.google.rpc.Status.Builder s =
          com.google.rpc.Status.newBuilder()
              .setCode(r.fork || r.witnessedSize < 0 ? Code.FAILED_PRECONDITION_VALUE : Code.ABORTED_VALUE)
              .setMessage("national refused to witness: " + r.getMessage());
      if (r.witnessedSize >= 0) {
        s.addDetails(Any.pack(ErrorInfo.newBuilder()
            .setReason(r.fork ? "AUDIT_LOG_FORK" : "WITNESSED_SIZE")
            .setDomain("sluice")
            .putMetadata("witnessed_size", Long.toString(r.witnessedSize))
            .build()));
      }
      if (r.fork) {
        LOG.log(System.Logger.Level.ERROR, "audit log fork from " + peer + ": " + r.getMessage());
      }
      responses.onError(StatusProto.toStatusRuntimeException(s.build()));
    } catch (IOException e) {
      responses.onError(Status.UNAVAILABLE.withDescription("national cannot keep witnessed checkpoints: " + e.getMessage())
          .asRuntimeException());
    } catch (StatusRuntimeException e) {
      responses.onError(e);
    }
  }

  @Override
  public void watchCatalog(
      WatchCatalogRequest request, StreamObserver<SignedCatalogSnapshot> responses) {
    NodeId peer = CallerIdentity.peer();
    if (!peer.isProvince()) {
      responses.onError(Refusals.denied("only provincial gateways watch the catalogue; caller is " + peer));
      return;
    }
    if (publisher == null) {
      responses.onError(
          io.grpc.Status.UNIMPLEMENTED
              .withDescription("this hub publishes no catalogue snapshots")
              .asRuntimeException());
      return;
    }
    publisher.watch(
        request.getKnownVersion(), (io.grpc.stub.ServerCallStreamObserver<SignedCatalogSnapshot>) responses);
  }

  @Override
  public void locateResource(
      LocateResourceRequest request, StreamObserver<ResourceLocation> responses) {
    try {
      NodeId peer = CallerIdentity.peer();
      if (!peer.isProvince()) {
        throw Refusals.denied("only provincial gateways may locate resources; caller is " + peer);
      }
      ResourceDescriptor r =
          catalog
              .find(request.getResourceCode())
              .orElseThrow(
                  () ->
                      Refusals.notFound(
                          "resource " + request.getResourceCode() + " is not in the catalogue"));
      responses.onNext(
          ResourceLocation.newBuilder()
              .setResourceCode(r.code())
              .setProvinceNodeId(r.provider().gateway().orElseThrow().toString())
              .setProviderNodeId(r.provider().toString())
              .build());
      responses.onCompleted();
    } catch (StatusRuntimeException e) {
      responses.onError(e);
    }
  }
}
